@file:JvmName("ConfigWatcher")

package dev.sluice.examples

import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.Watch
import dev.sluice.coroutines.asFlow
import dev.sluice.coroutines.value
import kotlin.concurrent.thread
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.onEach
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking

/*
 * A config watcher. A Watch holds the service's current configuration. An admin coroutine sets new
 * versions now and then; two readers follow at their own pace: a Java thread that resizes a pool,
 * waiting with the blocking `changed()`, and a coroutine collecting `asFlow()`. A reader that looks
 * less often than the admin sets skips the versions that were replaced in between (a config is
 * only worth its latest value), but it never sees an older version after a newer one, and it
 * always sees the last one. Closing the watch ends both readers.
 */

private data class Config(val version: Int, val poolSize: Int)

private const val LAST = 10

fun main() {
    val config = Watch.create(Config(version = 0, poolSize = 4))

    val resizerSaw = mutableListOf<Int>()
    val reader =
        config.subscribe() // before the admin starts: its first changed() waits for version 1
    val resizer =
        thread(name = "pool-resizer") {
            reader.use {
                while (true) {
                    val next =
                        try {
                            it.changed() // waits for a version this reader has not seen
                        } catch (e: ChannelClosedException) {
                            break // the watch is closed, and this reader saw its last version
                        }
                    resizerSaw +=
                        next.version // a real service would resize its pool to next.poolSize here
                }
            }
        }

    val flowSaw = runBlocking {
        val collecting = CompletableDeferred<Unit>()
        val collector =
            async(Dispatchers.Default) {
                config
                    .asFlow() // subscribes when the collection starts, and emits the current value
                    // first
                    .onEach { collecting.complete(Unit) }
                    .map { it.version }
                    .toList() // completes when the watch is closed
            }
        collecting.await() // the flow has subscribed (and the resizer before it): the admin starts
        for (v in 1..LAST) {
            delay(2) // the admin's pace; readers may be faster or slower
            config.value =
                Config(version = v, poolSize = 4 + v % 3) // Watch.set, in Kotlin's spelling
        }
        config.close() // readers see the last version, then their waits end
        collector.await()
    }
    resizer.join()

    println("   the admin set versions 1..$LAST, then closed the watch")
    println("   the pool resizer (Java thread, changed()) saw versions $resizerSaw")
    println("   the coroutine (asFlow()) saw versions $flowSaw")
    for ((who, saw) in listOf("resizer" to resizerSaw, "flow" to flowSaw)) {
        check(saw.zipWithNext().all { (a, b) -> a < b }) {
            "expected $who to see only newer versions: $saw"
        }
        check(saw.lastOrNull() == LAST) { "expected $who to see the last version, $LAST: $saw" }
    }
}
