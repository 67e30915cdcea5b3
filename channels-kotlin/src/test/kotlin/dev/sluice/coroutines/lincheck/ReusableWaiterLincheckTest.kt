package dev.sluice.coroutines.lincheck

import dev.sluice.coroutines.SluiceChannel
import kotlin.coroutines.Continuation
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.startCoroutine
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.launch
import org.jetbrains.lincheck.Lincheck
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.CsvSource

/**
 * The claim of a suspended coroutine's waiter (`ReusableWaiter`) against the cancellation of its
 * Job, model-checked: Lincheck runs each program below in every interleaving it can reach, through
 * the waiter's state `cas`es, its decision between suspending and finishing at once, the channel's
 * lock and kotlinx's Job handlers. This replaces the cancellation that Lincheck's own operations
 * can only do on kotlinx continuations (see [CoroutineChannelLincheckBase]).
 *
 * Each program forks a counterpart thread doing try-operations and a thread cancelling a Job, then
 * starts a coroutine of that Job on `Dispatchers.Unconfined` (so that its resumptions run in the
 * threads Lincheck controls) that sends or receives two elements: the cancellation may come before
 * the coroutine waits, while it queues its waiter, while it waits, or after its claim. The check is
 * the exactly-once promise, counted: what the coroutine received plus what is left in the channel
 * is what was sent, element for element, and a send that threw did not send.
 *
 * Two kinds of Job: the coroutine's own (a `launch`, whose second suspension goes through the Job's
 * shared relation) and a plain `Job()` put into a started coroutine's context by hand, which
 * registers each suspension on its own.
 */
class ReusableWaiterLincheckTest {
    @ParameterizedTest(name = "capacity {0}, {1}")
    @CsvSource("0, launch", "0, plain", "1, launch", "1, plain")
    fun receivesRaceTrySendsAndCancel(capacity: Int, kind: String) {
        explore {
            val ch = SluiceChannel<Int>(capacity)
            val received = ArrayList<Int>()
            val finished = BooleanArray(1)
            val job = Job()
            val sender = Forked {
                (1..2).filter { ch.trySend(it).isSuccess }
            }
            val canceller = Forked { job.cancel() }
            start(kind, job, finished) {
                repeat(2) { received += ch.receive() }
            }
            val sent = sender.result()
            canceller.result()
            checkEachOnce(ch, finished, sent = sent, received = received)
        }
    }

    @ParameterizedTest(name = "capacity {0}, {1}")
    @CsvSource("0, launch", "0, plain", "1, launch", "1, plain")
    fun sendsRaceTryReceivesAndCancel(capacity: Int, kind: String) {
        explore {
            val ch = SluiceChannel<Int>(capacity)
            val sent = ArrayList<Int>()
            val finished = BooleanArray(1)
            val job = Job()
            val receiver = Forked {
                (1..2).mapNotNull { ch.tryReceive().getOrNull() }
            }
            val canceller = Forked { job.cancel() }
            start(kind, job, finished) {
                for (v in 1..2) {
                    ch.send(v)
                    sent += v // only once send returned: a send that throws did not send
                }
            }
            val received = receiver.result()
            canceller.result()
            checkEachOnce(ch, finished, sent = sent, received = received)
        }
    }

    /**
     * The exactly-once check of both programs: the coroutine ended (or its cancel resumed it), and
     * what was received plus what is left in [ch] is what was sent, element for element.
     */
    private fun checkEachOnce(
        ch: Channel<Int>,
        finished: BooleanArray,
        sent: List<Int>,
        received: List<Int>,
    ) {
        check(finished[0], "the coroutine neither finished nor was resumed by its cancel", sent)
        val left = drain(ch)
        check(
            (received + left).sorted() == sent.sorted(),
            "received + left != sent",
            received,
            left,
            sent,
        )
    }

    /**
     * Starts a coroutine, in this thread until its first suspension, that runs [body] until it ends
     * or is cancelled, and then sets [finished]. Cancelling [job] cancels it: for `launch`, [job]
     * is the parent of the coroutine's own Job; for `plain`, it is the coroutine's context's Job.
     */
    private fun start(kind: String, job: Job, finished: BooleanArray, body: suspend () -> Unit) {
        val wrapped: suspend () -> Unit = {
            try {
                body()
            } catch (expected: CancellationException) {
                // cancelled: what it did so far is recorded
            }
            finished[0] = true
        }
        if (kind == "launch") {
            CoroutineScope(job + Dispatchers.Unconfined).launch(
                start = CoroutineStart.UNDISPATCHED
            ) {
                wrapped()
            }
        } else {
            val context: CoroutineContext = job + Dispatchers.Unconfined
            wrapped.startCoroutine(Continuation(context) {})
        }
    }

    private companion object {
        /** Interleavings explored per test; the long run (`-Pstress-long`) explores more. */
        val invocations = if (System.getProperty("sluice.stress") == "long") 3_000 else 100

        fun explore(body: () -> Unit) {
            Lincheck.runConcurrentTest(invocations, Runnable(body))
        }

        /** Takes what the channel holds now. */
        fun drain(ch: Channel<Int>): List<Int> = generateSequence {
            ch.tryReceive().getOrNull()
        }
            .toList()

        fun check(condition: Boolean, what: String, vararg facts: Any?) {
            if (!condition) throw AssertionError("$what ${facts.contentDeepToString()}")
        }
    }

    /** A body running in a thread of its own, whose result (or failure) [result] waits for. */
    private class Forked<T>(private val body: () -> T) : Runnable {
        private val thread = Thread(this)
        private var value: T? = null
        private var failure: Throwable? = null

        init {
            thread.start()
        }

        override fun run() {
            try {
                value = body()
            } catch (t: Throwable) {
                failure = t
            }
        }

        fun result(): T {
            thread.join()
            failure?.let { throw AssertionError("the forked body threw", it) }
            @Suppress("UNCHECKED_CAST")
            return value as T
        }
    }
}
