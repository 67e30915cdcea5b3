@file:JvmName("EventBus")

package dev.sluice.examples

import dev.sluice.channels.Broadcast
import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.LaggedException
import dev.sluice.coroutines.asReceiveChannel
import dev.sluice.coroutines.receiveAsFlow
import kotlin.concurrent.thread
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.runInterruptible

/*
 * An event bus. A Broadcast sends every event to every subscriber, in order. It holds the last
 * CAPACITY events, and a send never waits for a slow subscriber: one that falls further behind is
 * told how many events it missed, and goes on from the oldest event still held.
 *
 * A publisher thread sends EVENTS orders, one a millisecond, then closes the bus. Two subscribers
 * follow live (they keep up, unless their thread is held up for longer than CAPACITY orders): a
 * coroutine collecting `receiveAsFlow()`, and a Java thread with the blocking `receive()`. An
 * archiver subscribed too, but was paused: it starts reading only once the publisher is done, so
 * it has fallen EVENTS - CAPACITY events behind. Its `onLag` hears how many it missed, and it
 * archives the CAPACITY events still held. Every subscriber accounts for every event: received, or
 * reported missed.
 */

private const val CAPACITY = 32
private const val EVENTS = 100

fun main() {
    val bus = Broadcast.create<String>(CAPACITY)
    // Subscribe before the first send: a subscriber receives only what is sent after it subscribed.
    val dashboard = bus.subscribe()
    val fraudCheck = bus.subscribe()
    val archive = bus.subscribe()

    var fraudMissed = 0L
    val fraudSaw = mutableListOf<String>()
    val fraudThread =
        thread(name = "fraud-check") {
            fraudCheck.use {
                while (true) {
                    try {
                        fraudSaw += it.receive()
                    } catch (e: LaggedException) {
                        fraudMissed +=
                            e.missed() // the next receive goes on from the oldest event held
                    } catch (e: ChannelClosedException) {
                        break // the bus is closed, and every event it held was received
                    }
                }
            }
        }

    runBlocking {
        var dashboardMissed = 0L
        val dashboardSaw =
            async(Dispatchers.Default) {
                dashboard
                    .use { // the flow completes when the bus is closed and every event held was
                        // taken
                        it.receiveAsFlow(onLag = { missed -> dashboardMissed += missed }).toList()
                    }
            }

        val publisher =
            thread(name = "publisher") {
                for (i in 1..EVENTS) {
                    bus.send("order-$i") // never waits, however slow a subscriber is
                    Thread.sleep(1) // orders come in one by one
                }
                bus.close()
            }
        runInterruptible(Dispatchers.IO) { publisher.join() } // waits without blocking this thread

        var archiveMissed = 0L
        val archived = mutableListOf<String>()
        archive.use {
            for (e in
                it.asReceiveChannel(onLag = { missed -> archiveMissed += missed })) archived += e
        }
        val range = "${archived.first()}..${archived.last()}"
        println("   archiver (paused, onLag): missed $archiveMissed, then archived $range")
        val lag = (EVENTS - CAPACITY).toLong()
        check(archiveMissed == lag) {
            "expected the archiver to miss $lag, it missed $archiveMissed"
        }
        val stillHeld = (EVENTS - CAPACITY + 1..EVENTS).map { "order-$it" }
        check(archived == stillHeld) {
            "expected the archiver to get the last $CAPACITY events: $archived"
        }

        report("dashboard (coroutine, receiveAsFlow)", dashboardSaw.await(), dashboardMissed)
    }
    fraudThread.join()
    report("fraud check (Java thread, receive)", fraudSaw, fraudMissed)
}

/** Prints what a live subscriber got, and checks that it accounts for every event, in order. */
private fun report(who: String, saw: List<String>, missed: Long) {
    println(
        "   $who: received ${saw.size}" + if (missed > 0) ", missed $missed" else ", all of them"
    )
    val numbers = saw.map { it.removePrefix("order-").toInt() }
    check(numbers.zipWithNext().all { (a, b) -> a < b }) {
        "expected $who to receive in order: $numbers"
    }
    check(saw.size + missed == EVENTS.toLong()) {
        "expected $who to receive, or be told of, every event"
    }
}
