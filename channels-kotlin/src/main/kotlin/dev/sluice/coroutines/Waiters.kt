/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Waiter
import kotlin.concurrent.Volatile
import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException

/*
 * The engine's waiters for suspended coroutines: one cancellable continuation each, whose own state
 * decides between the engine's claim and the coroutine's cancellation.
 *
 *  - The claim (under the channel's lock) is the continuation's tryResume (or tryResumeWithException,
 *    for a receive that fails on the closed channel): one atomic step that fails if the coroutine was
 *    cancelled first, and runs no user code. The resumption proper (completeResume, which dispatches
 *    the coroutine) happens in resume(), after the unlock.
 *  - Cancellation first marks the continuation cancelled, so every later claim fails, then calls the
 *    waiter, which is its own cancellation handler and unlinks itself.
 *  - A coroutine cancelled after the claim but before it runs (kotlinx's prompt cancellation) calls
 *    the same handler when it is dispatched. The handler knows from [ContinuationWaiter.claimed] that
 *    the operation took effect: a receive then gives its element back to the channel
 *    (BufferedChannel.giveBack). A send's element was delivered and cannot be taken back; the send
 *    catches the CancellationException and returns normally instead (see CoroutineChannel.send), so a
 *    send that throws it never sent.
 *
 * A receive's continuation resumes with what the receive returns (the element, a ChannelResult, or
 * hasNext's Boolean), so that receive() and receiveCatching() end in their suspension and need no
 * frame of their own: a suspending function whose only suspension is its last call allocates no
 * continuation, and its caller's continuation is the one kotlinx intercepts (and caches) for the
 * dispatcher.
 *
 * Only kotlinx API that is the same from 1.7 to 1.11 is used: tryResume(value, idempotent),
 * tryResumeWithException, completeResume, invokeOnCancellation.
 */

/** A suspended coroutine's waiter: [R] is what its continuation resumes with. */
internal abstract class ContinuationWaiter<E : Any, R>(
    @JvmField protected val engine: BufferedChannel<E>,
    element: E?,
) : Waiter<E>(engine, element), (Throwable?) -> Unit {
    /** Set before the waiter is queued; the queueing (under the channel's lock) publishes it. */
    lateinit var cont: CancellableContinuation<R>

    /** The token of the claim's tryResume, for completeResume. */
    private var token: Any? = null

    /**
     * Whether the operation took effect (a claim, or a completion at once): written before the
     * coroutine is resumed, read by the cancellation handler, which runs after that or not at all.
     */
    @Volatile
    @JvmField
    var claimed: Boolean = false

    /** Resumes [cont] as the claim decided (see [isClosed]), if it is not cancelled: tryResume's token. */
    protected abstract fun tryResumeClaimed(): Any?

    override fun tryClaim(): Boolean {
        val t = tryResumeClaimed() ?: return false // cancelled first: not ours
        token = t
        claimed = true
        return true
    }

    override fun resume() {
        cont.completeResume(token!!)
    }

    /**
     * Installs this waiter as the continuation's cancellation handler. Call once, after the waiter was
     * queued (or completed at once): if the continuation is cancelled already, the handler runs now.
     */
    fun onCancellation() {
        cont.invokeOnCancellation(this)
    }

    /** The cancellation handler: before a claim, unlink; after one, see the file's notes. */
    override fun invoke(cause: Throwable?) {
        if (claimed) afterClaimCancelled() else engine.removeWaiter(this)
    }

    /** The coroutine was cancelled after the operation took effect, before it could run. */
    protected abstract fun afterClaimCancelled()
}

/**
 * The waiter of a coroutine suspended in a receive: `receive` (the continuation resumes with the
 * element, or throws on the closed channel), `receiveCatching` (a [ChannelResult]) or an iterator's
 * `hasNext` (`true` with the element in [item], `false`, or the close cause thrown).
 */
internal abstract class ReceiveWaiter<E : Any, R>(engine: BufferedChannel<E>) : ContinuationWaiter<E, R>(engine, null) {
    /** What the continuation resumes with when it is handed [element]. */
    abstract fun received(element: E): R

    /** Resumes [cont] (at once, not as a claim) as the closed and drained channel says. */
    abstract fun resumeClosed()

    override fun afterClaimCancelled() {
        if (!isClosed) engine.giveBack(takeItem()!!)
    }

    /** The waiter of `receive`. */
    class Element<E : Any>(engine: BufferedChannel<E>) : ReceiveWaiter<E, E>(engine) {
        override fun received(element: E): E = element

        override fun tryResumeClaimed(): Any? =
            if (isClosed) cont.tryResumeWithException(receiveException(engine)) else cont.tryResume(item()!!, null)

        override fun resumeClosed() {
            cont.resumeWith(Result.failure(receiveException(engine)))
        }
    }

    /** The waiter of `receiveCatching`. */
    class Catching<E : Any>(engine: BufferedChannel<E>) : ReceiveWaiter<E, ChannelResult<E>>(engine) {
        override fun received(element: E): ChannelResult<E> = ChannelResult.success(element)

        override fun tryResumeClaimed(): Any? =
            cont.tryResume(if (isClosed) closedResult() else ChannelResult.success(item()!!), null)

        override fun resumeClosed() {
            cont.resumeWith(Result.success(closedResult()))
        }

        private fun closedResult(): ChannelResult<E> = ChannelResult.closed(engine.closeCauseOrNull())
    }

    /** The waiter of an iterator's `hasNext`: the element stays here for `next`. */
    class HasNext<E : Any>(engine: BufferedChannel<E>) : ReceiveWaiter<E, Boolean>(engine) {
        override fun received(element: E): Boolean = true

        override fun tryResumeClaimed(): Any? {
            if (!isClosed) return cont.tryResume(true, null)
            val cause = engine.closeCauseOrNull() ?: return cont.tryResume(false, null)
            return cont.tryResumeWithException(cause)
        }

        override fun resumeClosed() {
            val cause = engine.closeCauseOrNull()
            cont.resumeWith(if (cause == null) Result.success(false) else Result.failure(cause))
        }
    }
}

/** The waiter of a coroutine suspended in `send`: it resumes with `true` (sent) or `false` (closed). */
internal class SendWaiter<E : Any>(engine: BufferedChannel<E>, element: E) : ContinuationWaiter<E, Boolean>(engine, element) {
    override fun tryResumeClaimed(): Any? = cont.tryResume(!isClosed, null)

    /** Nothing to undo: the element was delivered, and the send reports it (CoroutineChannel.send). */
    override fun afterClaimCancelled() {}
}

/** What a send on the closed channel throws: the close cause, as kotlinx's channels do. */
internal fun sendException(engine: BufferedChannel<*>): Throwable =
    engine.closeCauseOrNull() ?: ClosedSendChannelException(DEFAULT_CLOSE_MESSAGE)

/** What a receive on the closed and drained channel throws. */
internal fun receiveException(engine: BufferedChannel<*>): Throwable =
    engine.closeCauseOrNull() ?: ClosedReceiveChannelException(DEFAULT_CLOSE_MESSAGE)

private const val DEFAULT_CLOSE_MESSAGE = "Channel was closed"
