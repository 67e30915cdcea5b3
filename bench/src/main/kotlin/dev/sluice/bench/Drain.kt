package dev.sluice.bench

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancel
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull

/**
 * The receiving side of one [ThreadsToCoroutines] batch: coroutines on [Dispatchers.Default] that
 * each receive their share of the batch from a [Bridge], started by [start] before the producer
 * threads run, and waited for by [await] after.
 *
 * The coroutines live in a scope of their own rather than under a `runBlocking`, because some rows
 * wait in a blocking call that cancellation cannot interrupt (`ArrayBlockingQueue.take` in
 * [Dispatchers.IO]): a batch that failed must still let the benchmark thread report it. On success
 * every coroutine has finished when [await] returns; after a failure, [cancel] and [Bridge.close]
 * wake all of them except those blocked in a queue's `take`, which stay blocked (the row has
 * failed, and JMH ends the fork).
 */
class Drain
private constructor(
    private val scope: CoroutineScope,
    private val sums: List<Deferred<Long>>,
) {

    /**
     * Waits until every consumer has received its share, and checks their total.
     *
     * @throws IllegalStateException if the total is not [expected], or the consumers are still
     *   waiting after [CoroutineBatches.STALL]
     */
    fun await(expected: Long) {
        val total =
            runBlocking { withTimeoutOrNull(CoroutineBatches.STALL) { sums.awaitAll().sum() } }
                ?: throw IllegalStateException(
                    "the consumers did not finish in ${CoroutineBatches.STALL}: a receive is stuck"
                )
        check(total == expected) {
            "the consumers received elements adding up to $total, not $expected"
        }
    }

    /** Cancels the consumers that are still running (none, after a successful [await]). */
    fun cancel() {
        scope.cancel()
    }

    companion object {
        /** Starts [consumers] coroutines on [Dispatchers.Default] that receive [count] each. */
        @JvmStatic
        fun start(bridge: Bridge, consumers: Int, count: Int): Drain {
            val scope = CoroutineScope(Dispatchers.Default + Job())
            return Drain(scope, List(consumers) { scope.async { bridge.receiveSum(count) } })
        }
    }
}
