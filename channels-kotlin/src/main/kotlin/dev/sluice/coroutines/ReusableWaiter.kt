/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Outcome
import dev.sluice.channels.internal.Waiter
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater
import java.util.concurrent.atomic.AtomicReferenceArray
import kotlin.concurrent.Volatile
import kotlin.coroutines.Continuation
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.intrinsics.COROUTINE_SUSPENDED
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException

/*
 * The waiter of a coroutine suspended in send, receive, receiveCatching or an iterator's hasNext:
 * Sluice's own continuation, reused by the same coroutine for every suspension on one channel, so
 * that a suspension allocates nothing and registers nothing with the coroutine's Job (JobRelations
 * keeps one registration per Job).
 *
 * Invariant: each suspension is completed exactly once, by whoever wins its state:
 *
 *   IDLE --owner, before queueing--------------------------> WAITING
 *   WAITING --cas by a claimer (under the channel lock, or-> CLAIMED    the operation happened
 *             holding the waiter alone as the hand-off slot's BUSY)
 *   WAITING --cas by the Job's handler, or the owner--------> CANCELLED  it never will
 *   CLAIMED or CANCELLED --owner, once it has the result---> IDLE       reusable again
 *
 * and, separately, whether the owner is still inside its suspending call when the winner comes:
 *
 *   UNDECIDED --cas by the owner, after the waiter was queued--> SUSPENDED  the winner dispatches
 *   UNDECIDED --cas by the winner (claimer or handler)---------> RESUMED    the owner finishes
 *
 * So the coroutine is resumed once: dispatched through its own interceptor (the coroutine's
 * dispatcher, with its thread-context elements) when it had suspended, or not at all when the
 * result came before the owner returned COROUTINE_SUSPENDED, which then returns the result itself.
 *
 * Cancellation, step by step:
 *  - the owner sets WAITING, queues the waiter, publishes it as its Job's current suspension (or
 *    registers it with the Job), and then reads the Job. The Job's handler runs after the Job became
 *    cancelling and reads current and the state. With volatile accesses on both sides, one of them
 *    sees the other: the owner withdraws itself and throws, or the handler withdraws it and resumes
 *    it with the Job's CancellationException, as kotlinx resumes a cancelled continuation. A
 *    withdrawal by the handler unlinks the waiter before it resumes the coroutine;
 *  - a cancellation after the claim cannot withdraw: the claimer resumes the coroutine, and the
 *    result is made on the coroutine's thread (claimedResult). There, a coroutine found cancelled
 *    gives a received element back to the channel (BufferedChannel.giveBack) and throws, which is
 *    kotlinx's prompt cancellation with nothing lost. A send whose element was taken returns
 *    normally: it happened, and a send that throws never sent.
 *  - a send or receive that completes at once, without queueing, returns its outcome even if the
 *    Job was cancelled meanwhile, as kotlinx's channels do.
 */

/** Where an iterator's `hasNext` leaves the element it was handed, for `next`. */
internal fun interface ElementSink<E> {
    fun handed(element: E)
}

/** A suspended coroutine's waiter, reusable across its suspensions on one channel. */
@OptIn(InternalCoroutinesApi::class)
internal class ReusableWaiter<E : Any>(
    private val engine: BufferedChannel<E>,
    /** The coroutine's context: the waiter serves only suspensions with this very context. */
    override val context: CoroutineContext,
    /** Whether the waiter serves sends (or else receives): the same side for all its life. */
    private val sends: Boolean,
) : Waiter<E>(engine, null), Continuation<Any?>, (Throwable?) -> Unit {
    private val job: Job? = context[Job]

    /**
     * The Job's shared relation (JobRelations.kt), from the waiter's second suspension on: a Job
     * that is a coroutine (a Continuation, as every coroutine kotlinx starts is) runs one body, so
     * at most one of its suspensions waits at a time, which is what a relation can withdraw. Any
     * other Job (a `Job()` put in a context by hand may be shared) registers each suspension on its
     * own, as does a first suspension: a context that suspends once (a `withTimeout` block, a reply
     * channel) then never touches the table.
     */
    private var relation: JobRelation? = null

    /** This waiter as the coroutine's dispatcher sees it: resuming it dispatches the coroutine. */
    private val dispatched: Continuation<Any?> =
        context[ContinuationInterceptor]?.interceptContinuation(this) ?: this

    @Volatile @JvmField var state: Int = IDLE

    @Volatile @JvmField var decision: Int = UNDECIDED

    /** 1 while a suspension uses the waiter, 0 while it sits free in its cache. */
    @Volatile @JvmField var owned: Int = 1

    // Per suspension, written by the owner before the waiter is queued (which publishes them).
    private var mode = SEND
    private var caller: Continuation<Any?>? = null
    private var sink: ElementSink<E>? = null

    /** This suspension's own registration with the Job, when it has no relation. */
    private var ownHandle: DisposableHandle? = null

    /**
     * How many suspensions this waiter began; the second one of a coroutine's Job makes the
     * relation.
     */
    private var uses = 0

    /** Whether this waiter's Job is over, so that its cache may drop it. */
    val isDefunct: Boolean
        get() = relation?.done == true || job?.isCompleted == true

    /** Takes the waiter for a suspension, if no other suspension holds it. */
    fun tryAcquire(): Boolean = owned == 0 && OWNED.compareAndSet(this, 0, 1)

    /**
     * Runs one operation of [mode] for [caller], which this waiter now serves: at once if it can,
     * else queued until a counterpart, `close` or the Job's cancellation completes it.
     *
     * @return the operation's result, or COROUTINE_SUSPENDED
     * @throws Throwable what the operation throws: a close exception, or the Job's cancellation
     */
    @Suppress("UNCHECKED_CAST")
    fun suspend(caller: Continuation<*>, mode: Int, element: E?, sink: ElementSink<E>?): Any? {
        this.caller = caller as Continuation<Any?>
        this.mode = mode
        this.sink = sink
        reuse(element)
        // Release stores, not volatile ones: the lock that queues the waiter publishes both to its
        // claimer, and the volatile write of the relation's current (in watch) to the Job's
        // handler.
        // These stores and those of release() as volatile ones cost a sixth of a coroutine
        // rendezvous (CoroutineThroughput, SPSC, capacity 0: 4.37 ops/us with, 5.23 without).
        DECISION.lazySet(this, UNDECIDED)
        STATE.lazySet(this, WAITING)
        val outcome =
            if (mode == SEND) engine.sendOrEnqueue(this) else engine.receiveOrEnqueue(this)
        if (outcome != Outcome.QUEUED) {
            // Done at once, even in a cancelled coroutine (as kotlinx's channels do): not queued,
            // so
            // nobody else can claim or withdraw it.
            STATE.lazySet(this, IDLE)
            return completedAtOnce(outcome)
        }
        val job = job
        if (job != null) {
            watch(job)
            if (!job.isActive && STATE.compareAndSet(this, WAITING, CANCELLED)) {
                engine.removeWaiter(this)
                release()
                throw job.getCancellationException()
            }
        }
        if (DECISION.compareAndSet(this, UNDECIDED, SUSPENDED)) { // cas: the winner will dispatch
            return COROUTINE_SUSPENDED
        }
        // The claim or the cancellation came before the suspension: finish it in the caller's
        // frame.
        if (state == CLAIMED) return claimedResult()
        assert(state == CANCELLED) { "resumed while neither claimed nor withdrawn" }
        engine.removeWaiter(this) // the handler's unlink may have come before the queueing
        release()
        throw job!!.getCancellationException()
    }

    /**
     * Makes the Job's cancellation reach this queued suspension: through the Job's relation, or a
     * registration of its own (see [relation]). Before the owner's look at the Job, which catches a
     * cancellation that came before this.
     */
    private fun watch(job: Job) {
        var rel = relation
        if (rel == null && job is Continuation<*> && uses++ > 0) {
            rel = JobRelations.of(job)
            relation = rel
        }
        if (rel != null) {
            rel.current = this // sv: before the look at the Job
        } else {
            ownHandle =
                job.invokeOnCompletion(
                    onCancelling = true,
                    invokeImmediately = false,
                    handler = this,
                )
        }
    }

    /** The result of an operation that finished under the lock without queueing the waiter. */
    private fun completedAtOnce(outcome: Int): Any? {
        val mode = mode
        val sink = sink
        val e = takeItem()
        release()
        when (outcome) {
            Outcome.SENT -> return Unit
            Outcome.RECEIVED -> return delivered(mode, e!!, sink)
            else -> return closedResult(mode, cancelled = false)
        }
    }

    /** What an operation of [mode] that found the channel closed returns or throws. */
    private fun closedResult(mode: Int, cancelled: Boolean): Any? =
        when (mode) {
            SEND ->
                if (cancelled) throw job!!.getCancellationException()
                else throw sendException(engine)
            RECEIVE -> throw receiveException(engine)
            CATCHING ->
                if (cancelled) throw job!!.getCancellationException()
                else ChannelResult.closed<E>(engine.closeCauseOrNull())
            else -> {
                val cause = engine.closeCauseOrNull()
                if (cause != null) throw cause
                if (cancelled) throw job!!.getCancellationException()
                false
            }
        }

    /**
     * The result of a claimed operation, made on the coroutine's thread as it resumes. A coroutine
     * cancelled since the claim gives a received element back and throws (see the file's notes).
     */
    private fun claimedResult(): Any? {
        val mode = mode
        val sink = sink
        val closed = isClosed
        val e = takeItem()
        val job = job
        val cancelled = job != null && !job.isActive
        release()
        if (closed) return closedResult(mode, cancelled)
        if (mode == SEND)
            return Unit // it happened: a cancelled sender learns at its next suspension
        if (cancelled) {
            engine.giveBack(e!!)
            throw job!!.getCancellationException()
        }
        return delivered(mode, e!!, sink)
    }

    /** What a receive of [mode] that was handed [e] returns. */
    private fun delivered(mode: Int, e: E, sink: ElementSink<E>?): Any? =
        when (mode) {
            RECEIVE -> e
            CATCHING -> ChannelResult.success(e)
            else -> {
                sink!!.handed(e)
                true
            }
        }

    /** Makes the waiter free for the next suspension; the last thing the owner does with it. */
    private fun release() {
        STATE.lazySet(this, IDLE)
        caller = null
        sink = null
        relation?.clear(this)
        ownHandle?.let {
            ownHandle = null
            it.dispose()
        }
        OWNED.lazySet(this, 0) // release: the next owner's cas on owned sees all of the above
    }

    // The engine's side.

    /**
     * A rendezvous channel may keep this waiter in its hand-off slot: the claim is one cas here,
     * and every withdrawal goes through the engine's removeWaiter, which waits out a claim in
     * progress, so a withdrawn waiter is held by nobody once that returns.
     */
    override fun slotSide(): Int = if (sends) SENDS else RECEIVES

    /** A dispatcher thread does not spin for the channel lock: see `ChannelLock.lock(boolean)`. */
    override fun spinsOnLock(): Boolean = false

    override fun tryClaim(): Boolean =
        state == WAITING && STATE.compareAndSet(this, WAITING, CLAIMED) // LP

    override fun resume() {
        wake(Result.success(Unit))
    }

    /** The handler of [ownHandle]: the Job is cancelling. */
    override fun invoke(cause: Throwable?) {
        cancelByJob()
    }

    /** The Job's cancellation: withdraws the waiting suspension, if it still waits. */
    fun cancelByJob() {
        if (
            state == WAITING && STATE.compareAndSet(this, WAITING, CANCELLED)
        ) { // cas: wins over a claim
            // A handler that read a stale [JobRelation.current] may withdraw the same Job's next
            // suspension before its owner queued it: then this unlink finds nothing, and the owner,
            // resumed with the failure, unlinks it again before the waiter is reused.
            engine.removeWaiter(this)
            wake(Result.failure<Any?>(job!!.getCancellationException()))
        }
    }

    /**
     * Resumes the coroutine after a claim ([result] is Unit) or a withdrawal (a failure): returns
     * at once if the owner has not suspended yet, which then finishes itself; else dispatches it.
     */
    private fun wake(result: Result<Any?>) {
        if (decision == UNDECIDED && DECISION.compareAndSet(this, UNDECIDED, RESUMED)) return
        dispatched.resumeWith(result)
    }

    /** The dispatched resumption, on the coroutine's thread: resumes the caller with the result. */
    override fun resumeWith(result: Result<Any?>) {
        val caller = caller!!
        if (result.isFailure) {
            engine.removeWaiter(this) // the handler's unlink may have come before the queueing
            release()
            caller.resumeWith(result)
            return
        }
        caller.resumeWith(runCatching { claimedResult() })
    }

    override fun toString(): String = "ReusableWaiter(state=$state, decision=$decision, mode=$mode)"

    companion object {
        const val SEND = 0
        const val RECEIVE = 1
        const val CATCHING = 2
        const val HAS_NEXT = 3

        const val IDLE = 0
        const val WAITING = 1
        const val CLAIMED = 2
        const val CANCELLED = 3

        const val UNDECIDED = 0
        const val SUSPENDED = 1
        const val RESUMED = 2

        private val STATE =
            AtomicIntegerFieldUpdater.newUpdater(ReusableWaiter::class.java, "state")
        private val DECISION =
            AtomicIntegerFieldUpdater.newUpdater(ReusableWaiter::class.java, "decision")
        private val OWNED =
            AtomicIntegerFieldUpdater.newUpdater(ReusableWaiter::class.java, "owned")
    }
}

/**
 * The reusable waiters of one channel view and direction: a few slots, each holding the waiter of
 * one coroutine context. A suspension takes its context's waiter, or makes one and keeps it in a
 * free slot (or in the slot of a coroutine that is over); when every slot serves another live
 * coroutine it uses a waiter of its own, once.
 *
 * The lookup reads only [contexts], which changes when a slot is filled, never another coroutine's
 * waiter: a waiter's fields are written on every suspension by its owner and its claimer, and
 * reading them from a third thread (two producers on two cores, say) would move their cache line on
 * every element. A matched slot's waiter is checked against the context, so a slot being refilled
 * meanwhile is only a miss.
 */
internal class WaiterCache<E : Any>(
    private val engine: BufferedChannel<E>,
    /** Whether the cache's waiters serve sends (or else receives). */
    private val sends: Boolean,
) {
    private val contexts = AtomicReferenceArray<CoroutineContext?>(SLOTS)
    private val waiters = AtomicReferenceArray<ReusableWaiter<E>?>(SLOTS)

    /** A waiter owned by the caller, for one suspension with [context]. */
    fun acquire(context: CoroutineContext): ReusableWaiter<E> {
        for (i in 0 until SLOTS) {
            if (contexts.get(i) === context) {
                val w = waiters.get(i)
                // The same context in use at once (a Job-less context shared by several
                // coroutines), or a slot being refilled: a waiter of its own, once.
                return if (w != null && w.context === context && w.tryAcquire()) w
                else ReusableWaiter(engine, context, sends)
            }
        }
        return fill(context)
    }

    /** Makes a waiter for a context that has no slot, and keeps it in a free or defunct one. */
    private fun fill(context: CoroutineContext): ReusableWaiter<E> {
        val made = ReusableWaiter(engine, context, sends)
        for (i in 0 until SLOTS) {
            val w = waiters.get(i)
            if (
                (w == null || w.isDefunct) && waiters.compareAndSet(i, w, made)
            ) { // cas: one filler per slot
                contexts.set(i, context)
                return made
            }
        }
        return made
    }

    private companion object {
        /**
         * Enough for the coroutines that usually share a channel's end; more use one-off waiters.
         */
        const val SLOTS = 4
    }
}

/** What a send on the closed channel throws: the close cause, as kotlinx's channels do. */
internal fun sendException(engine: BufferedChannel<*>): Throwable =
    engine.closeCauseOrNull() ?: ClosedSendChannelException(DEFAULT_CLOSE_MESSAGE)

/** What a receive on the closed and drained channel throws. */
internal fun receiveException(engine: BufferedChannel<*>): Throwable =
    engine.closeCauseOrNull() ?: ClosedReceiveChannelException(DEFAULT_CLOSE_MESSAGE)

private const val DEFAULT_CLOSE_MESSAGE = "Channel was closed"
