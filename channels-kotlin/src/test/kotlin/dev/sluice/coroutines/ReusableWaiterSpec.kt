package dev.sluice.coroutines

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.launch

/**
 * A dispatcher that only queues what it is given: the test decides when a resumed coroutine runs,
 * and so can put a cancellation between a claim and the coroutine's resumption.
 */
private class ManualDispatcher : CoroutineDispatcher() {
    private val tasks = ArrayDeque<Runnable>()

    override fun dispatch(context: CoroutineContext, block: Runnable) {
        synchronized(tasks) { tasks.addLast(block) }
    }

    /** Runs what was dispatched, and what that dispatches, until nothing is left. */
    fun runAll() {
        while (true) {
            val task = synchronized(tasks) { tasks.removeFirstOrNull() } ?: return
            task.run()
        }
    }
}

/** What a coroutine's one operation ended with: its value, or the class of what it threw. */
private sealed interface Outcome {
    data class Value(val value: Any?) : Outcome

    data class Threw(val type: Class<out Throwable>) : Outcome
}

/** Whether [o] is the throw of a CancellationException (kotlinx's JobCancellationException). */
private fun isCancellation(o: Outcome?): Boolean =
    o is Outcome.Threw && CancellationException::class.java.isAssignableFrom(o.type)

/**
 * Runs [scenario] with a fresh channel of [capacity] and a coroutine started on a manual
 * dispatcher, once on kotlinx's own channel and once on Sluice's view, and returns both outcomes
 * and what Sluice's channel holds afterwards. [scenario] gets the channel and the started
 * coroutine's body runner; it drives the interleaving with the dispatcher.
 */
private class Interleaving(private val capacity: Int) {
    fun run(
        operation: suspend (Channel<Int>) -> Any?,
        steps: (channel: Channel<Int>, job: Job, dispatcher: ManualDispatcher) -> Unit,
    ): Triple<Outcome?, Outcome?, List<Int>> {
        val kotlinx = once(Channel(capacity), operation, steps).first
        val (sluice, left) = once(SluiceChannel(capacity), operation, steps)
        return Triple(kotlinx, sluice, left)
    }

    private fun once(
        channel: Channel<Int>,
        operation: suspend (Channel<Int>) -> Any?,
        steps: (Channel<Int>, Job, ManualDispatcher) -> Unit,
    ): Pair<Outcome?, List<Int>> {
        val dispatcher = ManualDispatcher()
        var outcome: Outcome? = null
        val job =
            CoroutineScope(dispatcher).launch(start = CoroutineStart.UNDISPATCHED) {
                outcome =
                    try {
                        Outcome.Value(operation(channel))
                    } catch (t: Throwable) {
                        Outcome.Threw(t.javaClass)
                    }
            }
        steps(channel, job, dispatcher)
        dispatcher.runAll()
        val left = generateSequence { channel.tryReceive().getOrNull() }.toList()
        return outcome to left
    }
}

/**
 * Deterministic interleavings of a suspended coroutine's waiter (`ReusableWaiter`) against its
 * Job's cancellation, one test per window: before the coroutine waits, while it waits, between its
 * claim and its resumption (kotlinx's prompt cancellation), and after a close. Each runs the same
 * steps on kotlinx's channel and on Sluice's view and expects the same outcome of the coroutine;
 * and on Sluice's side nothing lost: an element handed to a coroutine cancelled before it ran is
 * back in the channel. Also the waiter's sharing rules: coroutines that share a context, or a plain
 * Job.
 */
class ReusableWaiterSpec :
    FunSpec({
        val receives: List<Pair<String, suspend (Channel<Int>) -> Any?>> =
            listOf(
                "receive" to { ch -> ch.receive() },
                "receiveCatching" to { ch -> ch.receiveCatching().getOrNull() },
                "hasNext" to { ch -> ch.iterator().let { if (it.hasNext()) it.next() else null } },
            )

        for (capacity in listOf(0, 1)) {
            context("capacity $capacity") {
                for ((name, receive) in receives) {
                    test("$name: cancelled before it waits, it throws and leaves no waiter") {
                        val (kotlinx, sluice, left) =
                            Interleaving(capacity).run(receive) { ch, job, d ->
                                d.runAll()
                                job.cancel()
                                d.runAll()
                                ch.trySend(1).isSuccess shouldBe (capacity > 0) // no waiter took it
                            }
                        sluice shouldBe kotlinx
                        sluice.shouldBeInstanceOf<Outcome.Threw>()
                        left shouldBe if (capacity > 0) listOf(1) else emptyList()
                    }

                    test("$name: claimed, then cancelled before it runs, the element goes back") {
                        val (kotlinx, sluice, left) =
                            Interleaving(capacity).run(receive) { ch, job, d ->
                                d.runAll() // suspended in its receive
                                ch.trySend(7).isSuccess shouldBe true // hands 7 to the waiter
                                job.cancel() // before the dispatched resumption runs
                            }
                        sluice shouldBe kotlinx
                        isCancellation(sluice) shouldBe true
                        left shouldBe listOf(7) // kotlinx drops it; Sluice gives it back
                    }

                    test("$name: claimed and run before the cancel, it returns the element") {
                        val (kotlinx, sluice, left) =
                            Interleaving(capacity).run(receive) { ch, job, d ->
                                d.runAll()
                                ch.trySend(7).isSuccess shouldBe true
                                d.runAll()
                                job.cancel()
                            }
                        sluice shouldBe kotlinx
                        sluice shouldBe Outcome.Value(7)
                        left shouldBe emptyList()
                    }

                    test("$name: woken by a close, then cancelled before it runs, as kotlinx") {
                        val (kotlinx, sluice, left) =
                            Interleaving(capacity).run(receive) { ch, job, d ->
                                d.runAll()
                                ch.close()
                                job.cancel()
                            }
                        sluice shouldBe kotlinx
                        left shouldBe emptyList()
                    }
                }

                // Here Sluice differs from kotlinx on purpose: kotlinx's send throws the
                // CancellationException although its element was delivered; Sluice's send reports
                // what happened, so that a send that throws never sent.
                test(
                    "send: claimed, then cancelled before it runs, it returns: the element was taken"
                ) {
                    val (kotlinx, sluice, left) =
                        Interleaving(capacity).run({ ch ->
                            if (capacity > 0)
                                ch.send(0) // fill the buffer, so that the next send waits
                            ch.send(7)
                            "sent"
                        }) { ch, job, d ->
                            d.runAll()
                            val first = ch.tryReceive().getOrNull() // takes the waiting 7, or 0
                            first shouldBe if (capacity > 0) 0 else 7
                            job.cancel()
                        }
                    isCancellation(kotlinx) shouldBe true
                    sluice shouldBe Outcome.Value("sent")
                    left shouldBe if (capacity > 0) listOf(7) else emptyList()
                }

                test("send: cancelled while it waits, it throws and its element was not sent") {
                    val (kotlinx, sluice, left) =
                        Interleaving(capacity).run({ ch ->
                            if (capacity > 0) ch.send(0)
                            ch.send(7)
                            "sent"
                        }) { _, job, d ->
                            d.runAll()
                            job.cancel()
                        }
                    sluice shouldBe kotlinx
                    isCancellation(sluice) shouldBe true
                    left shouldBe if (capacity > 0) listOf(0) else emptyList()
                }

                test(
                    "the second suspension of a coroutine, withdrawn by its Job's shared relation"
                ) {
                    val (kotlinx, sluice, left) =
                        Interleaving(capacity).run({ ch -> ch.receive() + ch.receive() }) {
                            ch,
                            job,
                            d ->
                            d.runAll()
                            ch.trySend(1).isSuccess shouldBe true
                            d.runAll() // received 1, suspended again
                            job.cancel()
                            d.runAll()
                            ch.trySend(2).isSuccess shouldBe (capacity > 0) // nobody waits any more
                        }
                    sluice shouldBe kotlinx
                    isCancellation(sluice) shouldBe true
                    left shouldBe if (capacity > 0) listOf(2) else emptyList()
                }
            }
        }

        test(
            "coroutines sharing one context without a Job wait at once, each on a waiter of its own"
        ) {
            val ch = SluiceChannel<Int>(0)
            val got = ArrayList<Int>()
            repeat(3) {
                suspend { ch.receive() }
                    .startCoroutine(Continuation(EmptyCoroutineContext) { got += it.getOrThrow() })
            }
            for (v in 1..3) ch.trySend(v).isSuccess shouldBe true
            got shouldContainExactlyInAnyOrder listOf(1, 2, 3)
        }

        test("coroutines sharing a plain Job wait at once, and cancelling it resumes each") {
            val ch = SluiceChannel<Int>(0)
            val shared = Job()
            val d = ManualDispatcher()
            val outcomes = ArrayList<Result<Int>>()
            repeat(3) {
                suspend { ch.receive() }.startCoroutine(Continuation(shared + d) { outcomes += it })
            }
            d.runAll()
            shared.cancel()
            d.runAll()
            outcomes.size shouldBe 3
            outcomes.forEach { it.exceptionOrNull().shouldBeInstanceOf<CancellationException>() }
            ch.trySend(1).isSuccess shouldBe false // no waiter is left behind
        }

        test("a waiter serves a coroutine again and again: a thousand round trips, in order") {
            val ch = SluiceChannel<Int>(0)
            val back = SluiceChannel<Int>(0)
            val d = ManualDispatcher()
            val scope = CoroutineScope(d)
            val echo = scope.launch { for (v in ch) back.send(v) }
            val got = ArrayList<Int>()
            scope.launch {
                for (v in 1..1_000) {
                    ch.send(v)
                    got += back.receive()
                }
                ch.close()
            }
            d.runAll()
            got shouldBe (1..1_000).toList()
            echo.isCompleted shouldBe true
        }

        test("receiveCatching of a waiting coroutine reports the close") {
            val ch = SluiceChannel<Int>(0)
            val d = ManualDispatcher()
            var result: ChannelResult<Int>? = null
            CoroutineScope(d).launch { result = ch.receiveCatching() }
            d.runAll()
            ch.close()
            d.runAll()
            result!!.isClosed shouldBe true
            ch.tryReceive().isClosed shouldBe true
        }
    })
