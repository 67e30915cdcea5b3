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
 * Both places a waiter can wait in are played: a queue under the channel's lock (capacity 1), where
 * the test holds the lock to stop the coroutine between the two steps; and a rendezvous channel's
 * hand-off slot, where the test stops it by holding the slot BUSY, as a claimer in progress does.
 * Either way the coroutine runs on a thread of its own, and the test plays the late handler by
 * calling the waiter's cancel itself.
 */
class StaleCancelSpec :
    FunSpec({
        test("a late cancel between a suspension's mark and its queueing leaves no queued waiter") {
            lateCancel(capacity = 1) { ch, w, resumeThirdSuspension ->
                val lock = lockOf(ch.engine)
                lock.lock()
                try {
                    resumeThirdSuspension()
                    // The third suspension marks the waiter WAITING, then stops at the lock.
                    untilTrue { lock.hasQueuedThreads() && w.state == ReusableWaiter.WAITING }
                    lateHandler()
                } finally {
                    lock.unlock()
                }
            }
        }

        test("a late cancel between a suspension's mark and its hand-off slot leaves it empty") {
            // The late handler's unlink waits out the claim it finds in progress, so its order
            // against the owner's placement is the scheduler's: repeated to meet both orders.
            repeat(20) {
                lateCancel(capacity = 0) { ch, w, resumeThirdSuspension ->
                    val slot = slotOf(ch.engine)
                    val slotObject = ch.engine.slotObject()
                    resumeThirdSuspension() // the coroutine's thread is held back until released
                    slot.set(slotObject, BUSY) // as a claimer of another waiter would hold it
                    releaseExecutor()
                    // The third suspension marks the waiter WAITING, then waits for the slot.
                    untilTrue { w.state == ReusableWaiter.WAITING }
                    val handler = Thread { lateHandler() }.apply { start() }
                    untilTrue { w.state == ReusableWaiter.CANCELLED } // its unlink waits now
                    slot.set(slotObject, null)
                    handler.join()
                }
            }
        }
    })

/** What [lateCancel]'s step may do while the coroutine is stopped. */
private interface LateCancelScope {
    /** Cancels the coroutine's Job, and then plays the late handler on the stopped suspension. */
    fun lateHandler()

    /** Lets the coroutine's thread run the resumed coroutine (for a step that held it back). */
    fun releaseExecutor()
}

/**
 * Runs the interleaving on a channel of [capacity]: the coroutine's first two receives are served,
 * then [stop] gets a function that sends the second element (which claims the second suspension and
 * resumes the coroutine into its third) and must stop the coroutine before the third suspension's
 * waiter is queued and play the late handler there.
 */
private fun lateCancel(
    capacity: Int,
    stop:
        LateCancelScope.(
            ch: CoroutineChannel<Int>,
            w: ReusableWaiter<Int>,
            resumeThirdSuspension: () -> Unit,
        ) -> Unit,
) {
    val executor = Executors.newSingleThreadExecutor()
    val gate = java.util.concurrent.CountDownLatch(1)
    try {
        val ch = SluiceChannel<Int>(capacity) as CoroutineChannel<Int>
        val outcomes = CopyOnWriteArrayList<String>()
        val job =
            CoroutineScope(executor.asCoroutineDispatcher()).launch {
                outcomes += "got ${ch.receive()}"
                outcomes += "got ${ch.receive()}" // the second suspension: the Job's relation
                repeat(2) {
                    try {
                        outcomes += "got ${ch.receive()}"
                    } catch (e: CancellationException) {
                        // and, caught, suspends on the same waiter again
                        outcomes += "cancelled"
                    }
                }
            }
        // The first receive waits before the first send: with a buffer, a send that came first
        // would be buffered, and the receive would take it without ever making its waiter.
        untilTrue { waiterOf(ch)?.let { isWaitingIn(ch, it) } == true }
        ch.trySend(1).isSuccess shouldBe true
        val w = waiterOf(ch)!!
        untilTrue { w.state == ReusableWaiter.WAITING && isWaitingIn(ch, w) }
        val scope =
            object : LateCancelScope {
                override fun lateHandler() {
                    job.cancel() // the handler runs now and finds no current suspension
                    w.cancelByJob() // the late handler: withdraws the third suspension
                }

                override fun releaseExecutor() = gate.countDown()
            }
        val resume: () -> Unit = {
            if (capacity == 0) executor.execute { gate.await() } // holds the dispatch back
            ch.trySend(2).isSuccess shouldBe true // claims the second suspension, resumes it
        }
        scope.stop(ch, w, resume)
        gate.countDown()
        runBlocking { job.join() }

        outcomes shouldBe listOf("got 1", "got 2", "cancelled", "cancelled")
        isWaitingIn(ch, w) shouldBe false
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
private fun lockOf(engine: BufferedChannel<*>): ReentrantLock =
    engineField(engine, "lock").get(engine) as ReentrantLock

/**
 * The receive waiter that the view's cache keeps for the only coroutine that receives, once made.
 */
@Suppress("UNCHECKED_CAST")
private fun waiterOf(ch: CoroutineChannel<Int>): ReusableWaiter<Int>? {
    val cache =
        CoroutineChannel::class
            .java
            .getDeclaredField("receivers")
            .apply { isAccessible = true }
            .get(ch)
    val waiters =
        WaiterCache::class.java.getDeclaredField("waiters").apply { isAccessible = true }.get(cache)
            as AtomicReferenceArray<ReusableWaiter<Int>?>
    return waiters.get(0)
}

/** Whether [w] waits in the channel: in a queue, or in the rendezvous channel's hand-off slot. */
private fun isWaitingIn(ch: CoroutineChannel<Int>, w: Waiter<*>): Boolean =
    queueOf(w) != null || (ch.engine.slotObject()?.let { slotOf(ch.engine).get(it) } === w)

/** The engine's hand-off slot object (null for a channel with a buffer). */
private fun BufferedChannel<*>.slotObject(): Any? = engineField(this, "slot").get(this)

/** The hand-off slot's word, as a reflective field of the slot object. */
private fun slotOf(engine: BufferedChannel<*>): java.lang.reflect.Field {
    val slot = engine.slotObject() ?: throw AssertionError("not a rendezvous channel")
    return slot.javaClass.getDeclaredField("word").apply { isAccessible = true }
}

/** The slot's BUSY marker: what a claimer in progress leaves in the slot. */
private val BUSY: Any by lazy {
    Class.forName("dev.sluice.channels.internal.HandOffSlot")
        .getDeclaredField("BUSY")
        .apply { isAccessible = true }
        .get(null)
}

/** A field of the engine, in whichever of its classes declares it. */
private fun engineField(engine: BufferedChannel<*>, name: String): java.lang.reflect.Field {
    var type: Class<*>? = engine.javaClass
    while (type != null) {
        val field = type.declaredFields.firstOrNull { it.name == name }
        if (field != null) return field.apply { isAccessible = true }
        type = type.superclass
    }
    throw AssertionError("no $name field in the engine's classes")
}

/** The queue that holds [w], or null. */
private fun queueOf(w: Waiter<*>): Any? =
    Waiter::class.java.getDeclaredField("queue").apply { isAccessible = true }.get(w)
