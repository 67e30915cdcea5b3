@file:JvmName("CoroutineWorkerPool")

package dev.sluice.examples

import dev.sluice.channels.Channel
import dev.sluice.coroutines.asCoroutineChannel
import java.util.concurrent.atomic.AtomicIntegerArray
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.runInterruptible
import kotlinx.coroutines.yield

/*
 * A worker pool of coroutines fed by Java threads. Two producer threads send jobs into one bounded
 * Sluice channel with the blocking `send`; four coroutine workers compete for them through the
 * channel's kotlinx view, and each job goes to exactly one worker. When both producers are done,
 * the channel is closed, and each worker's loop ends once the channel is drained. No thread is
 * blocked on the coroutines' side: a worker waiting for a job is suspended, not parked.
 */

private const val PRODUCERS = 2
private const val JOBS_EACH = 5_000
private const val WORKERS = 4

fun main() {
    val jobs = Channel.bounded<Int>(32) // producers wait while 32 jobs wait
    val producers =
        List(PRODUCERS) { p ->
            thread(name = "producer-$p") {
                for (i in 0 until JOBS_EACH) jobs.send(p * JOBS_EACH + i) // blocking send
            }
        }

    val doneCount = AtomicIntegerArray(PRODUCERS * JOBS_EACH) // how often each job was done
    val perWorker =
        runBlocking(Dispatchers.Default) {
            val queue = jobs.asCoroutineChannel()
            val workers =
                List(WORKERS) {
                    async {
                        var done = 0
                        for (job in queue) { // ends when the channel is closed and drained
                            doneCount.incrementAndGet(job)
                            done++
                            if (done % 100 == 0)
                                yield() // a long job lets its thread go now and then
                        }
                        done
                    }
                }
            runInterruptible(Dispatchers.IO) {
                producers.forEach { it.join() }
            } // no blocked worker thread
            jobs.close() // every job was sent: the workers finish what is buffered, then stop
            workers.awaitAll()
        }

    val total = PRODUCERS * JOBS_EACH
    val wrong = (0 until total).filter { doneCount[it] != 1 }
    check(wrong.isEmpty()) {
        "expected every job done once; ${wrong.size} were not, the first job ${wrong.first()}"
    }
    check(perWorker.sum() == total) {
        "expected the workers' counts to add up to $total: $perWorker"
    }
    println("   $total jobs from $PRODUCERS Java threads, each done once by $WORKERS coroutines")
    println("   jobs per coroutine: ${perWorker.joinToString()} (the split varies from run to run)")
}
