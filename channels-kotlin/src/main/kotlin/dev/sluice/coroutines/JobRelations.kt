/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import java.lang.ref.WeakReference
import java.util.WeakHashMap
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.Volatile
import kotlin.concurrent.withLock
import kotlinx.coroutines.InternalCoroutinesApi
import kotlinx.coroutines.Job

/*
 * One cancellation relation per coroutine Job, shared by every reusable waiter of that coroutine on
 * every channel: the Ktor idea of keeping one Job registration across suspensions, instead of
 * registering and removing a handle in the Job at each one, as a fresh CancellableContinuation does.
 *
 * Invariant: a Job has at most one JobRelation registered with it by Sluice, and the relation's
 * current waiter is the one suspension of that Job that its cancellation must withdraw. A
 * suspension publishes itself as current (a volatile write) before it checks the Job, and the
 * Job's handler reads current after the Job became cancelling: one of the two always sees the
 * other (see ReusableWaiter), so no cancellation is missed.
 *
 * The relation is made once per Job, when the first reusable waiter of that Job is made: so a
 * coroutine that uses many channels, or a channel that is dropped, adds nothing to the Job's
 * handler list. The table keys Jobs weakly and the relation holds its Job only weakly, so a Job
 * that is never completed is not kept alive by it; a completed or cancelled Job removes its entry
 * when its handler runs. The table is only read when a waiter is made, never on the hot path.
 */

/** The cancellation relation of one Job: its handler withdraws the Job's current suspension. */
internal class JobRelation(job: Job) : (Throwable?) -> Unit {
    private val job = WeakReference(job)

    /** The waiter of the Job's current suspension, or null (also stale: its state decides). */
    @Volatile @JvmField var current: ReusableWaiter<*>? = null

    /** Whether the Job was cancelled or completed: this relation's work is over. */
    @Volatile @JvmField var done: Boolean = false

    /**
     * Clears [current] if it is still [w], so that the relation does not keep a finished
     * suspension's channel reachable. Only [w]'s owner calls it, on the coroutine's own thread,
     * between two of its suspensions; no other suspension of the Job can set [current] meanwhile,
     * so a read and a release store do what a `cas` would. A handler that still reads [w] finds it
     * not WAITING, or waiting for the same Job's next suspension (ReusableWaiter's notes say what
     * then happens).
     */
    fun clear(w: ReusableWaiter<*>) {
        if (current === w) CURRENT.lazySet(this, null)
    }

    /** The Job's handler: runs once, when the Job becomes cancelling or completes. */
    override fun invoke(cause: Throwable?) {
        done = true
        job.get()?.let { JobRelations.forget(it, this) }
        current?.cancelByJob() // lv of current: after the Job's state change, see the file's notes
    }

    private companion object {
        val CURRENT: AtomicReferenceFieldUpdater<JobRelation, ReusableWaiter<*>?> =
            AtomicReferenceFieldUpdater.newUpdater(
                JobRelation::class.java,
                ReusableWaiter::class.java,
                "current",
            )
    }
}

/** The table of relations, one per live Job that has waited on a Sluice channel. */
internal object JobRelations {
    private const val STRIPES = 16

    private val locks = Array(STRIPES) { ReentrantLock() }
    private val tables = Array(STRIPES) { WeakHashMap<Job, JobRelation>() }

    private fun stripe(job: Job): Int = System.identityHashCode(job) and (STRIPES - 1)

    /** The relation of [job], registered with it the first time it is asked for. */
    @OptIn(InternalCoroutinesApi::class)
    fun of(job: Job): JobRelation {
        val i = stripe(job)
        val made: JobRelation
        locks[i].withLock {
            tables[i][job]?.let {
                return it
            }
            made = JobRelation(job)
            tables[i][job] = made
        }
        // Outside the lock: the handler runs right here if the Job is cancelling already, and then
        // takes the lock to remove the entry again. onCancelling: a cancelled coroutine is resumed
        // as soon as its cancellation starts, as kotlinx's own continuations are.
        job.invokeOnCompletion(onCancelling = true, invokeImmediately = true, handler = made)
        return made
    }

    /** Removes [relation] as the relation of [job], once the Job is over. */
    fun forget(job: Job, relation: JobRelation) {
        val i = stripe(job)
        locks[i].withLock { tables[i].remove(job, relation) }
    }
}
