@file:JvmName("LogShipper")

package dev.sluice.examples

import dev.sluice.channels.Channel
import dev.sluice.coroutines.asCoroutineChannel
import java.nio.file.Files
import kotlinx.coroutines.channels.consumeEach
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking

/*
 * A log shipper. A Java thread (LogFileReader) reads a log file and sends its lines into a bounded
 * Sluice channel with the blocking `send`; a coroutine receives them through the channel's kotlinx
 * view, groups them into batches of BATCH lines and ships each batch. When the file ends, the
 * reader closes the channel: the coroutine's loop takes the lines still buffered, then ends, and
 * the last, short batch is shipped. No flag, no poison pill, no timeout.
 */

private const val LINES = 23
private const val BATCH = 5

fun main() {
    val file = Files.createTempFile("sluice-example-", ".log")
    try {
        val written = (1..LINES).map { "12:00:%02d INFO request %d served".format(it, it) }
        Files.write(file, written)

        val lines = Channel.bounded<String>(8) // the reader waits while 8 lines wait
        val reader = Thread(LogFileReader(file, lines), "log-reader").apply { start() }

        val shipped = mutableListOf<List<String>>()
        runBlocking {
            val batch = ArrayList<String>(BATCH)
            // consumeEach ends when the reader closes the channel; if shipping fails, it cancels
            // the
            // channel, and the reader's next send fails: it stops instead of waiting forever.
            lines.asCoroutineChannel().consumeEach { line ->
                batch += line
                if (batch.size == BATCH) {
                    shipped += ship(batch.toList(), shipped.size + 1)
                    batch.clear()
                }
            }
            if (batch.isNotEmpty()) shipped += ship(batch.toList(), shipped.size + 1)
        }
        reader.join()

        check(shipped.flatten() == written) {
            "expected every line shipped once, in order: $shipped"
        }
        val batches = (LINES + BATCH - 1) / BATCH
        check(shipped.size == batches) { "expected $batches batches, shipped ${shipped.size}" }
        println("   the reader closed the channel: $LINES lines shipped in ${shipped.size} batches")
    } finally {
        Files.deleteIfExists(file)
    }
}

/** Ships one batch (here: waits as a network call would, and prints it); returns the batch. */
private suspend fun ship(batch: List<String>, number: Int): List<String> {
    delay(2)
    println("   batch $number: ${batch.size} lines, \"${batch.first()}\" .. \"${batch.last()}\"")
    return batch
}
