package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.SoloWaiter
import kotlin.concurrent.Volatile
import kotlin.coroutines.Continuation
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.Job

/*
 * The engine's waiters for suspended coroutines. The engine claims a waiter with a cas on its
 * state (SoloWaiter) under the channel's lock, and calls resume() after the unlock; the coroutine's
 * cancellation withdraws it with the opposite cas. Exactly one of the two wins.
 *
 * A receive and a send differ in what a cancellation that loses the race means:
 *  - a receive that was claimed has been handed an element. It resumes its cancellable continuation
 *    with an onCancellation action, so that if the coroutine turns out cancelled before it runs
 *    (kotlinx's prompt cancellation), the element goes back to the channel (BufferedChannel.giveBack)
 *    instead of being lost;
 *  - a send that was claimed has delivered its element, which cannot be taken back. So a send does
 *    not use a cancellable continuation: it resumes normally once claimed, even if its coroutine was
 *    cancelled meanwhile, and the cancellation is seen at the next suspension point. A send that
 *    throws CancellationException therefore never sent its element.
 */

/** The waiter of a coroutine suspended in `receive`, `receiveCatching` or an iterator's `hasNext`. */
internal class ReceiveWaiter<E : Any>(engine: BufferedChannel<E>) : SoloWaiter<E>(engine, null) {
    /** Set before the waiter is queued; the queueing (under the channel's lock) publishes it. */
    lateinit var cont: CancellableContinuation<Boolean>

    private val engine = engine

    /**
     * Resumes the coroutine with `true` (the element is in [item]) or `false` (the channel is
     * closed). A coroutine found cancelled before it runs gives the element back.
     */
    override fun resume() {
        if (isClosed) {
            cont.resume(false)
        } else {
            deliver()
        }
    }

    /** Resumes with the element in [item], which goes back to the channel if the coroutine is cancelled. */
    @Suppress("DEPRECATION") // the one-argument onCancellation exists in every kotlinx from 1.7 on
    fun deliver() {
        val element = item()!!
        cont.resume(true) { engine.giveBack(element) }
    }
}

/** The waiter of a coroutine suspended in `send`. */
internal class SendWaiter<E : Any>(
    engine: BufferedChannel<E>,
    element: E,
    private val cont: Continuation<Unit>,
    private val onClosed: () -> Throwable,
) : SoloWaiter<E>(engine, element) {
    /** The cancellation listener on the coroutine's job; disposed once the waiter was claimed. */
    @Volatile private var handle: DisposableHandle? = null

    /**
     * Listens for the cancellation of [job] (if any): a cancellation that withdraws the waiter before
     * it is claimed resumes the coroutine with the job's [java.util.concurrent.CancellationException].
     */
    fun listen(job: Job?) {
        if (job == null) return
        val h =
            job.invokeOnCompletion(onCancelling = true, invokeImmediately = true) {
                if (withdraw()) cont.resumeWithException(job.getCancellationException())
            }
        handle = h // sv: before the look at the state below
        if (!isWaiting) h.dispose() // claimed meanwhile; resume() may have read no handle
    }

    override fun resume() {
        handle?.dispose() // lv: after the claim's cas
        if (isClosed) cont.resumeWithException(onClosed()) else cont.resume(Unit)
    }
}
