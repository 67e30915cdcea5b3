/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Engines
import dev.sluice.channels.internal.Outcome
import dev.sluice.channels.internal.ReserveRequest
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.selects.SelectClause1
import kotlinx.coroutines.selects.SelectClause2

/**
 * The kotlinx.coroutines face of one Sluice channel: every call goes to the same engine that the
 * Java faces use, so Java threads, futures and coroutines share one queue.
 *
 * Waiting queues the coroutine's reusable waiter in the engine (see ReusableWaiter.kt); nothing
 * blocks a thread, and no future stands in between.
 */
internal class CoroutineChannel<E : Any>(@JvmField val engine: BufferedChannel<E>) : Channel<E> {
    /**
     * The reusable waiters of coroutines suspended in a send, one per coroutine
     * (ReusableWaiter.kt).
     */
    private val senders = WaiterCache(engine, sends = true)

    /** The same for receives, `receiveCatching` and iterators. */
    private val receivers = WaiterCache(engine, sends = false)

    // ---------------------------------------------------------------------------------------------
    // SendChannel

    override val isClosedForSend: Boolean
        get() = engine.isClosedForSend

    override suspend fun send(element: E) {
        if (engine.offerFast(element)) return
        // A tail call: send itself needs no frame, so the fast path allocates nothing.
        return sendWaiting(element)
    }

    /**
     * A send whose fast path failed: under the lock it hands its element to a waiting receive or
     * buffers it, else it suspends in the coroutine's waiter until it is claimed.
     */
    private suspend fun sendWaiting(element: E): Unit =
        suspendCoroutineUninterceptedOrReturn { caller ->
            senders.acquire(caller.context).suspend(caller, ReusableWaiter.SEND, element, null)
        }

    /**
     * Reserves one place (the engine's reserve is a send of a [ReserveRequest]): returns once it is
     * held, suspending in the coroutine's send waiter while none is free. Throws as a send does
     * when the channel closes, or the coroutine is cancelled while it waits.
     */
    suspend fun reserveWaiting(): Unit = suspendCoroutineUninterceptedOrReturn { caller ->
        senders
            .acquire(caller.context)
            .suspend(caller, ReusableWaiter.SEND, ReserveRequest.ONE.asElement<E>(), null)
    }

    override fun trySend(element: E): ChannelResult<Unit> =
        when (engine.trySendOutcome(element)) {
            Outcome.SENT -> ChannelResult.success(Unit)
            Outcome.FULL -> ChannelResult.failure()
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

    // receive, receiveCatching and hasNext end in their one suspension (see ReusableWaiter.kt): no
    // frame. The waiter's locked step takes an element that is buffered or offered by a waiting
    // send, and reports a closed channel, without suspending.

    override suspend fun receive(): E {
        engine.pollFast()?.let {
            return it
        }
        return suspendCoroutineUninterceptedOrReturn { caller ->
            receivers.acquire(caller.context).suspend(caller, ReusableWaiter.RECEIVE, null, null)
        }
    }

    override suspend fun receiveCatching(): ChannelResult<E> {
        engine.pollFast()?.let {
            return ChannelResult.success(it)
        }
        return suspendCoroutineUninterceptedOrReturn { caller ->
            receivers.acquire(caller.context).suspend(caller, ReusableWaiter.CATCHING, null, null)
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
    fun sendException(): Throwable = sendException(engine)

    /** What a receive on the closed and drained channel throws. */
    fun receiveException(): Throwable = receiveException(engine)

    override fun toString(): String = "CoroutineChannel(${engine})"

    private companion object {
        init {
            // So that Engines.of (and sameChannel) find the engine behind a view.
            Engines.register(CoroutineChannel::class.java) { (it as CoroutineChannel<*>).engine }
        }
    }

    /** Receives until the channel is closed; one per loop, as kotlinx's iterators are. */
    private inner class Iterator : ChannelIterator<E>, ElementSink<E> {
        /** The element that the last `hasNext` took, for [next]. */
        private var next: E? = null

        override fun handed(element: E) {
            next = element
        }

        override suspend fun hasNext(): Boolean {
            if (next != null) return true
            val e = engine.pollFast()
            if (e != null) {
                next = e
                return true
            }
            // At the end of the loop the waiter's locked step returns false, or throws the close
            // cause as it is. A cancelled wait gives its element back to the channel, and leaves
            // none here.
            return suspendCoroutineUninterceptedOrReturn { caller ->
                receivers
                    .acquire(caller.context)
                    .suspend(caller, ReusableWaiter.HAS_NEXT, null, this)
            }
        }

        override fun next(): E {
            val e =
                next
                    ?: throw IllegalStateException(
                        "'hasNext' should be called prior to 'next' invocation"
                    )
            next = null
            return e
        }
    }
}
