package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import kotlin.coroutines.resume
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.selects.SelectClause1
import kotlinx.coroutines.selects.SelectClause2
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * The kotlinx.coroutines face of one Sluice channel: every call goes to the same engine that the
 * Java faces use, so Java threads, futures and coroutines share one queue.
 *
 * Waiting registers a continuation waiter in the engine (see Waiters.kt); nothing blocks a thread,
 * and no future stands in between.
 */
internal class CoroutineChannel<E : Any>(@JvmField val engine: BufferedChannel<E>) : Channel<E> {

    // ---------------------------------------------------------------------------------------------
    // SendChannel

    override val isClosedForSend: Boolean
        get() = engine.isClosedForSend

    override suspend fun send(element: E) {
        if (engine.offerFast(element)) return
        val w = SendWaiter(engine, element)
        val sent =
            try {
                suspendCancellableCoroutine<Boolean> { cont ->
                    w.cont = cont
                    when (engine.sendOrEnqueue(w)) {
                        BufferedChannel.SENT -> {
                            w.claimed = true
                            cont.resume(true)
                        }
                        BufferedChannel.CLOSED -> cont.resume(false)
                        else -> w.onCancellation() // QUEUED
                    }
                }
            } catch (e: CancellationException) {
                // Cancelled after the element was taken (kotlinx's prompt cancellation): the send
                // happened, and says so. The cancellation is seen at the next suspension point.
                if (w.claimed && !w.isClosed) return
                throw e
            }
        if (!sent) throw sendException()
    }

    override fun trySend(element: E): ChannelResult<Unit> =
        when (engine.trySendOutcome(element)) {
            BufferedChannel.SENT -> ChannelResult.success(Unit)
            BufferedChannel.FULL -> ChannelResult.failure()
            else -> ChannelResult.closed(sendException())
        }

    override fun close(cause: Throwable?): Boolean =
        if (cause == null) engine.close() else engine.close(cause)

    override fun invokeOnClose(handler: (cause: Throwable?) -> Unit) {
        engine.invokeOnClose { cause -> handler(cause) }
    }

    override val onSend: SelectClause2<E, SendChannel<E>>
        get() = SelectClauses.onSend(this)

    // ---------------------------------------------------------------------------------------------
    // ReceiveChannel

    override val isClosedForReceive: Boolean
        get() = engine.isClosedForReceive

    override val isEmpty: Boolean
        get() = engine.isEmptyForReceive

    override suspend fun receive(): E {
        engine.pollFast()?.let { return it }
        val w = ReceiveWaiter(engine)
        if (awaitReceive(w)) return w.item()!!
        throw receiveException()
    }

    override suspend fun receiveCatching(): ChannelResult<E> {
        engine.pollFast()?.let { return ChannelResult.success(it) }
        val w = ReceiveWaiter(engine)
        if (awaitReceive(w)) return ChannelResult.success(w.item()!!)
        return ChannelResult.closed(engine.closeCauseOrNull())
    }

    /**
     * Receives into [w], suspending while the channel is empty.
     *
     * @return `true` with the element in [w], or `false` if the channel is closed and drained
     */
    private suspend fun awaitReceive(w: ReceiveWaiter<E>): Boolean =
        suspendCancellableCoroutine { cont ->
            // Cancelled already: take nothing (an element taken now would only go back).
            if (!cont.isActive) return@suspendCancellableCoroutine
            w.cont = cont
            when (engine.receiveOrEnqueue(w)) {
                BufferedChannel.RECEIVED -> {
                    // Taken at once. A coroutine that turns out cancelled gives it back (the
                    // handler runs now if it is cancelled already; resume is then ignored).
                    w.claimed = true
                    w.onCancellation()
                    cont.resume(true)
                }
                BufferedChannel.CLOSED -> cont.resume(false)
                else -> w.onCancellation() // QUEUED
            }
        }

    override fun tryReceive(): ChannelResult<E> {
        val e = engine.pollOrNull()
        return when {
            e != null -> ChannelResult.success(e)
            engine.isClosedForReceive -> ChannelResult.closed(engine.closeCauseOrNull())
            else -> ChannelResult.failure()
        }
    }

    override val onReceive: SelectClause1<E>
        get() = SelectClauses.onReceive(this)

    override val onReceiveCatching: SelectClause1<ChannelResult<E>>
        get() = SelectClauses.onReceiveCatching(this)

    override fun iterator(): ChannelIterator<E> = Iterator()

    override fun cancel(cause: CancellationException?) {
        engine.cancel(cause ?: CancellationException("Channel was cancelled"))
    }

    @Deprecated(
        "Since 1.2.0, binary compatibility with versions <= 1.1.x",
        level = DeprecationLevel.HIDDEN,
    )
    override fun cancel(cause: Throwable?): Boolean =
        engine.cancel(cause ?: CancellationException("Channel was cancelled"))

    // ---------------------------------------------------------------------------------------------

    /** What a send on the closed channel throws: the close cause, as kotlinx's channels do. */
    fun sendException(): Throwable =
        engine.closeCauseOrNull() ?: ClosedSendChannelException(DEFAULT_CLOSE_MESSAGE)

    /** What a receive on the closed and drained channel throws. */
    fun receiveException(): Throwable =
        engine.closeCauseOrNull() ?: ClosedReceiveChannelException(DEFAULT_CLOSE_MESSAGE)

    override fun toString(): String = "CoroutineChannel(${engine})"

    /** Receives until the channel is closed; one per loop, as kotlinx's iterators are. */
    private inner class Iterator : ChannelIterator<E> {
        private var next: E? = null

        override suspend fun hasNext(): Boolean {
            if (next != null) return true
            val e = engine.pollFast()
            if (e != null) {
                next = e
                return true
            }
            val w = ReceiveWaiter(engine)
            if (awaitReceive(w)) {
                next = w.item()!!
                return true
            }
            val cause = engine.closeCauseOrNull() ?: return false
            throw cause
        }

        override fun next(): E {
            val e = next ?: throw IllegalStateException("'hasNext' should be called prior to 'next' invocation")
            next = null
            return e
        }
    }

    private companion object {
        const val DEFAULT_CLOSE_MESSAGE = "Channel was closed"
    }
}
