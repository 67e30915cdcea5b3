package dev.sluice.bench

import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull

/**
 * The batches of the coroutine benchmarks, as plain blocking functions for the JMH methods to call
 * (JMH's annotation processor reads Java sources only, so the benchmark classes are Java).
 *
 * Each call is one JMH invocation: it makes new channels, starts its coroutines on
 * [Dispatchers.Default] (or, with [Dispatch.RUN_BLOCKING], in the calling thread), returns when all
 * of them have finished, and closes the channels. The coroutines are children of the call's
 * `runBlocking`, so none outlives it; the calling thread (JMH's) only starts them and waits. A
 * batch that has not finished after [STALL] fails with [IllegalStateException] instead of hanging
 * the run: its coroutines are cancelled, and they all wait in cancellable `send`s and `receive`s.
 */
object CoroutineBatches {

    /** How long a batch may take before it fails: the limit of the thread benchmarks' [Crew]. */
    internal val STALL = 30.seconds

    /**
     * Moves [count] elements from [producers] coroutines to [consumers] coroutines through one new
     * channel of [impl] and [capacity], all on [Dispatchers.Default].
     *
     * @throws IllegalArgumentException if [count] is not a multiple of both [producers] and
     *   [consumers], or more than [Elements.COUNT]
     * @throws IllegalStateException if the receivers' total is wrong, or the batch stalled
     */
    @JvmStatic
    @JvmOverloads
    fun throughput(
        impl: CoroutineImpl,
        capacity: Int,
        producers: Int,
        consumers: Int,
        count: Int,
        dispatch: Dispatch = Dispatch.DEFAULT,
    ) {
        require(count <= Elements.COUNT && count % producers == 0 && count % consumers == 0) {
            "$count elements do not split into $producers producers and $consumers consumers"
        }
        val channel = impl.open(capacity)
        try {
            val total =
                guarded("throughput batch", dispatch) {
                    for (p in 0 until producers) {
                        val from = p * (count / producers)
                        launch {
                            for (i in from until from + count / producers) {
                                channel.send(Elements.VALUES[i])
                            }
                        }
                    }
                    val sums =
                        List(consumers) {
                            async {
                                var sum = 0L
                                repeat(count / consumers) {
                                    sum += Elements.valueOf(channel.receive())
                                }
                                sum
                            }
                        }
                    sums.awaitAll().sum()
                }
            check(total == Elements.sum(count)) {
                "the consumers received elements adding up to $total, not ${Elements.sum(count)}"
            }
        } finally {
            channel.close()
        }
    }

    /**
     * Makes [roundTrips] round trips between two coroutines on [Dispatchers.Default] over two new
     * channels of [impl] and [capacity]: the pinger sends an element on one, the echo sends it back
     * on the other, and the pinger checks that the same element came back before it sends the next.
     *
     * @throws IllegalStateException if another element came back, or the batch stalled
     */
    @JvmStatic
    @JvmOverloads
    fun pingPong(
        impl: CoroutineImpl,
        capacity: Int,
        roundTrips: Int,
        dispatch: Dispatch = Dispatch.DEFAULT,
    ) {
        require(roundTrips <= Elements.COUNT) { "at most ${Elements.COUNT} round trips" }
        val ping = impl.open(capacity)
        val pong = impl.open(capacity)
        try {
            guarded("ping-pong batch", dispatch) {
                launch { repeat(roundTrips) { pong.send(ping.receive()) } }
                launch {
                    for (i in 0 until roundTrips) {
                        val element = Elements.VALUES[i]
                        ping.send(element)
                        check(pong.receive() === element) { "the echo sent back another element" }
                    }
                }
            }
        } finally {
            ping.close()
            pong.close()
        }
    }

    /**
     * Runs [block] as [dispatch] says (on [Dispatchers.Default], or in this thread's `runBlocking`)
     * and waits, in the calling thread, for it and every coroutine it started; fails if that takes
     * longer than [STALL].
     */
    private fun <T : Any> guarded(
        what: String,
        dispatch: Dispatch,
        block: suspend CoroutineScope.() -> T,
    ): T = runBlocking {
        withTimeoutOrNull(STALL) {
            when (dispatch) {
                Dispatch.DEFAULT -> withContext(Dispatchers.Default, block)
                Dispatch.RUN_BLOCKING -> coroutineScope(block)
            }
        } ?: throw IllegalStateException("no $what finished in $STALL: a send or receive is stuck")
    }
}
