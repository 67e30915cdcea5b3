package dev.sluice.coroutines

import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Waiter
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicReferenceArray
import java.util.concurrent.locks.ReentrantLock
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * A deterministic interleaving of a Job's cancellation handler that read the Job's current
 * suspension late: it withdraws the same coroutine's next suspension of the same waiter, after that
 * suspension marked itself waiting and before it was queued. The handler's unlink then finds
 * nothing to unlink, the owner queues a withdrawn waiter, and must unlink it again before the
 * waiter is reused; else the next suspension (a cancelled coroutine that caught the exception and
 * receives again) queues a waiter that is still linked.
 *
 * The test holds the channel's lock to stop the coroutine between the two steps, on a thread of its
 * own, and plays the late handler by calling the waiter's cancel itself.
 */
class StaleCancelSpec :
    FunSpec({
        test("a late cancel between a suspension's mark and its queueing leaves no queued waiter") {
            val executor = Executors.newSingleThreadExecutor()
            try {
                val ch = SluiceChannel<Int>(0) as CoroutineChannel<Int>
                val lock = lockOf(ch.engine)
                val outcomes = CopyOnWriteArrayList<String>()
                val job =
                    CoroutineScope(executor.asCoroutineDispatcher()).launch {
                        outcomes += "got ${ch.receive()}"
                        outcomes +=
                            "got ${ch.receive()}" // the second suspension: the Job's relation
                        repeat(2) {
                            try {
                                outcomes += "got ${ch.receive()}"
                            } catch (e: CancellationException) {
                                outcomes +=
                                    "cancelled" // and, caught, suspends on the same waiter again
                            }
                        }
                    }
                sendOnceWaiting(ch, 1)
                val w = waiterOf(ch)
                untilTrue { w.state == ReusableWaiter.WAITING && queueOf(w) != null }

                lock.lock()
                try {
                    ch.trySend(2).isSuccess shouldBe
                        true // claims the second suspension and resumes it
                    // The third suspension marks the waiter WAITING, then stops at the lock.
                    untilTrue { lock.hasQueuedThreads() && w.state == ReusableWaiter.WAITING }
                    job.cancel() // the handler runs now and finds no current suspension
                    w.cancelByJob() // the late handler: withdraws the third suspension, not
                    // queued yet
                } finally {
                    lock.unlock()
                }
                runBlocking { job.join() }

                outcomes shouldBe listOf("got 1", "got 2", "cancelled", "cancelled")
                queueOf(w).shouldBeNull()
                // The channel still works: a new receiver gets what is sent.
                val got = CopyOnWriteArrayList<Int>()
                val receiver =
                    CoroutineScope(executor.asCoroutineDispatcher()).launch { got += ch.receive() }
                sendOnceWaiting(ch, 9)
                runBlocking { receiver.join() }
                got shouldBe listOf(9)
            } finally {
                executor.shutdownNow()
            }
        }
    })

/** Sends [value] with trySend as soon as a receiver waits for it. */
private fun sendOnceWaiting(ch: CoroutineChannel<Int>, value: Int) {
    untilTrue { ch.trySend(value).isSuccess }
}

/** Waits, yielding, until [condition] holds; the test's own time-out bounds it. */
private fun untilTrue(condition: () -> Boolean) {
    while (!condition()) Thread.yield()
}

/**
 * The channel's lock: the engine's package-private field, in whichever of its classes declares it.
 */
private fun lockOf(engine: BufferedChannel<*>): ReentrantLock {
    var type: Class<*>? = engine.javaClass
    while (type != null) {
        val field = type.declaredFields.firstOrNull { it.name == "lock" }
        if (field != null) return field.apply { isAccessible = true }.get(engine) as ReentrantLock
        type = type.superclass
    }
    throw AssertionError("no lock field in the engine's classes")
}

/** The receive waiter that the view's cache keeps for the only coroutine that receives. */
@Suppress("UNCHECKED_CAST")
private fun waiterOf(ch: CoroutineChannel<Int>): ReusableWaiter<Int> {
    val cache =
        CoroutineChannel::class
            .java
            .getDeclaredField("receivers")
            .apply { isAccessible = true }
            .get(ch)
    val waiters =
        WaiterCache::class.java.getDeclaredField("waiters").apply { isAccessible = true }.get(cache)
            as AtomicReferenceArray<ReusableWaiter<Int>?>
    return waiters.get(0)!!
}

/** The queue that holds [w], or null. */
private fun queueOf(w: Waiter<*>): Any? =
    Waiter::class.java.getDeclaredField("queue").apply { isAccessible = true }.get(w)
