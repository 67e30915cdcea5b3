package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Waiter
import kotlin.concurrent.Volatile
import kotlinx.coroutines.CancellableContinuation

/*
 * The engine's waiters for suspended coroutines: one cancellable continuation each, whose own state
 * decides between the engine's claim and the coroutine's cancellation.
 *
 *  - The claim (under the channel's lock) is the continuation's tryResume: one atomic step that fails
 *    if the coroutine was cancelled first, and runs no user code. The resumption proper
 *    (completeResume, which dispatches the coroutine) happens in resume(), after the unlock.
 *  - Cancellation first marks the continuation cancelled, so every later claim fails, then calls the
 *    waiter's cancellation handler, which unlinks the waiter.
 *  - A coroutine cancelled after the claim but before it runs (kotlinx's prompt cancellation) calls
 *    the same handler when it is dispatched. The handler knows from [ContinuationWaiter.claimed] that
 *    the operation took effect: a receive then gives its element back to the channel
 *    (BufferedChannel.giveBack). A send's element was delivered and cannot be taken back; the send
 *    catches the CancellationException and returns normally instead (see CoroutineChannel.send), so a
 *    send that throws it never sent.
 *
 * Only kotlinx API that is the same from 1.7 to 1.11 is used: tryResume(value, idempotent),
 * completeResume, invokeOnCancellation.
 */

/** A suspended coroutine's waiter: [R] is what its continuation resumes with. */
internal abstract class ContinuationWaiter<E : Any, R>(
    @JvmField protected val engine: BufferedChannel<E>,
    element: E?,
) : Waiter<E>(engine, element) {
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

    /** The value the continuation resumes with once claimed: from the element, or "closed". */
    protected abstract fun resumeValue(): R

    override fun tryClaim(): Boolean {
        val t = cont.tryResume(resumeValue(), null) ?: return false // cancelled first: not ours
        token = t
        claimed = true
        return true
    }

    override fun resume() {
        cont.completeResume(token!!)
    }

    /**
     * Installs the cancellation handler. Call once, after the waiter was queued (or completed at once):
     * if the continuation is cancelled already, the handler runs now.
     */
    fun onCancellation() {
        cont.invokeOnCancellation { cancelled() }
    }

    /** The coroutine was cancelled: before a claim (unlink), or after one (see the file's notes). */
    private fun cancelled() {
        if (claimed) afterClaimCancelled() else engine.removeWaiter(this)
    }

    /** The coroutine was cancelled after the operation took effect, before it could run. */
    protected abstract fun afterClaimCancelled()
}

/**
 * The waiter of a coroutine suspended in `receive`, `receiveCatching` or an iterator's `hasNext`: it
 * resumes with `true` (the element is in [item]) or `false` (the channel is closed and drained).
 */
internal class ReceiveWaiter<E : Any>(engine: BufferedChannel<E>) : ContinuationWaiter<E, Boolean>(engine, null) {
    override fun resumeValue(): Boolean = !isClosed

    override fun afterClaimCancelled() {
        if (!isClosed) engine.giveBack(item()!!)
    }
}

/** The waiter of a coroutine suspended in `send`: it resumes with `true` (sent) or `false` (closed). */
internal class SendWaiter<E : Any>(engine: BufferedChannel<E>, element: E) : ContinuationWaiter<E, Boolean>(engine, element) {
    override fun resumeValue(): Boolean = !isClosed

    /** Nothing to undo: the element was delivered, and the send reports it (CoroutineChannel.send). */
    override fun afterClaimCancelled() {}
}
