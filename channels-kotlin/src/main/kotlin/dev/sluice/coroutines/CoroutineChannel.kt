/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import kotlin.coroutines.resume
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
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
        // A send that can finish at once under the lock (a receive waits) finishes without a
        // continuation: making one registers it with the coroutine's Job and removes it again, which
        // costs more than the lock. Only a send that must wait pays for it.
        if (engine.sendMayNotWait()) {
            when (engine.trySendOutcome(element)) {
                BufferedChannel.SENT -> return
                BufferedChannel.CLOSED -> throw sendException()
            }
        }
        // A tail call: send itself needs no frame, so the paths above allocate nothing.
        return sendWaiting(element)
    }

    /** A send that found no room and nobody waiting: suspends in a waiter until it is claimed. */
    private suspend fun sendWaiting(element: E) {
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

    // receive, receiveCatching and hasNext end in their one suspension (see Waiters.kt): no frame.

    override suspend fun receive(): E {
        engine.pollFast()?.let { return it }
        receiveAtOnce()?.let { return it }
        // Closed and drained: throw the cause itself here, as a resumption would throw kotlinx's copy
        // of it (stack-trace recovery, in debug mode).
        if (engine.isClosedForReceive) throw receiveException(engine)
        return suspendCancellableCoroutine { cont -> awaitReceive(ReceiveWaiter.Element(engine), cont) }
    }

    override suspend fun receiveCatching(): ChannelResult<E> {
        engine.pollFast()?.let { return ChannelResult.success(it) }
        receiveAtOnce()?.let { return ChannelResult.success(it) }
        return suspendCancellableCoroutine { cont -> awaitReceive(ReceiveWaiter.Catching(engine), cont) }
    }

    /**
     * After the fast path failed: the element a receive can take at once under the lock (a send
     * waits, or the lane's fast path was shut by a waiter), or `null`, when it must suspend (or the
     * channel is closed and drained). Taking it here spares the continuation, as in [send].
     */
    private fun receiveAtOnce(): E? = if (engine.receiveMayNotWait()) engine.pollOrNull() else null

    /**
     * Receives into [w], which resumes [cont]: at once if an element is there or the channel is closed
     * and drained, else when a send or `close` claims it.
     */
    private fun <R> awaitReceive(w: ReceiveWaiter<E, R>, cont: CancellableContinuation<R>) {
        // Cancelled already: take nothing (an element taken now would only go back).
        if (!cont.isActive) return
        w.cont = cont
        when (engine.receiveOrEnqueue(w)) {
            BufferedChannel.RECEIVED -> {
                // Taken at once. A coroutine that turns out cancelled gives it back (the handler runs
                // now if it is cancelled already, and takes the element out of w; resume is then
                // ignored). So the element is read first.
                val e = w.item()!!
                w.claimed = true
                w.onCancellation()
                cont.resume(w.received(e))
            }
            BufferedChannel.CLOSED -> w.resumeClosed()
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
    fun sendException(): Throwable = sendException(engine)

    /** What a receive on the closed and drained channel throws. */
    fun receiveException(): Throwable = receiveException(engine)

    override fun toString(): String = "CoroutineChannel(${engine})"

    /** Receives until the channel is closed; one per loop, as kotlinx's iterators are. */
    private inner class Iterator : ChannelIterator<E> {
        /** An element taken without waiting, for [next]. */
        private var next: E? = null

        /** The waiter of the last `hasNext` that waited: its element, once claimed, is for [next]. */
        private var waited: ReceiveWaiter.HasNext<E>? = null

        override suspend fun hasNext(): Boolean {
            if (next != null || waited?.item() != null) return true
            waited = null
            val e = engine.pollFast() ?: receiveAtOnce()
            if (e != null) {
                next = e
                return true
            }
            if (engine.isClosedForReceive) {
                // The end of the loop, without a suspension; a close cause is thrown as it is.
                val cause = engine.closeCauseOrNull() ?: return false
                throw cause
            }
            val w = ReceiveWaiter.HasNext(engine)
            waited = w
            return suspendCancellableCoroutine { cont -> awaitReceive(w, cont) }
        }

        override fun next(): E {
            next?.let {
                next = null
                return it
            }
            // A waiter whose element went back to the channel (its hasNext was cancelled) has none.
            val e = waited?.item() ?: throw IllegalStateException("'hasNext' should be called prior to 'next' invocation")
            waited = null
            return e
        }
    }
}
