@file:JvmName("Pipeline")

package dev.sluice.examples

import dev.sluice.coroutines.SluiceChannel
import dev.sluice.coroutines.asSluiceChannel
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.select

/*
 * A pipeline of stages, fed by several sources at once (fan-in), and stopped gracefully.
 *
 * Three sensors send readings into one channel: two on Java threads (Sensor, with Java's Select),
 * one a coroutine (with kotlinx's select). Two parser coroutines take the raw readings, drop the
 * malformed ones and pass the rest on; a sink counts them. Once the sink has counted enough, the
 * main coroutine hands each sensor a stop token through a rendezvous channel. When the third token
 * is taken, no sensor will send again, so the raw channel is closed, and the close flows down the
 * stages: the parsers drain what is left and stop, then close their output, and the sink finishes.
 * Nothing is lost on the way: every reading a sensor sent is counted by the sink or dropped.
 */

private const val ENOUGH = 100

/** The [n]th reading of sensor [sensor]; every ninth is garbled, for the parsers to drop. */
fun reading(sensor: String, n: Int): String =
    if (n % 9 == 8) "$sensor #$n ###" else "$sensor #$n ${18 + n % 7}.5C"

private data class Reading(val sensor: String, val celsius: Double)

private fun parse(line: String): Reading? {
    val parts = line.split(' ')
    val celsius = parts.getOrNull(2)?.removeSuffix("C")?.toDoubleOrNull() ?: return null
    return Reading(parts[0], celsius)
}

fun main() {
    // Made from Kotlin: kotlinx Channels over Sluice queues, whose Java faces go to the Java
    // sensors.
    val raw = SluiceChannel<String>(capacity = 16) // the fan-in: three sources, one channel
    val stop = SluiceChannel<String>() // rendezvous: a send returns once a sensor took the token
    val sensors =
        listOf("north", "south").map { name ->
            Sensor(name, raw.asSluiceChannel(), stop.asSluiceChannel())
        }
    val threads = sensors.map { Thread(it, "sensor-${it.name()}").apply { start() } }

    var dropped = 0
    var counted = 0
    var sentByCoroutine = 0
    runBlocking {
        launch { // the third sensor, a coroutine: the same select as Sensor's, in kotlinx's
            // spelling
            while (
                select {
                    stop.onReceive { false }
                    raw.onSend(reading("west", sentByCoroutine)) { true }
                }
            ) {
                sentByCoroutine++
            }
        }

        val parsed = SluiceChannel<Reading>(capacity = 16)
        launch { // stage 1: two parsers share the raw channel; when both are done, the output
            // closes
            coroutineScope {
                repeat(2) {
                    launch {
                        for (line in raw) {
                            val r = parse(line)
                            if (r != null) parsed.send(r) else dropped++
                        }
                    }
                }
            }
            parsed.close()
        }

        val enough = CompletableDeferred<Unit>()
        val sink = async { // stage 2: counts readings per sensor, until the parsers close
            val perSensor = sortedMapOf<String, Int>()
            for (r in parsed) {
                perSensor.merge(r.sensor, 1, Int::plus)
                if (++counted == ENOUGH) enough.complete(Unit)
            }
            perSensor
        }

        enough.await()
        repeat(3) { stop.send("enough readings") } // one token for each sensor
        raw.close() // every sensor stopped: no send can come any more
        println("   sink counted ${sink.await()}, parsers dropped $dropped malformed")
    }
    threads.forEach { it.join() }

    val sent = sensors.sumOf { it.sent() } + sentByCoroutine
    println(
        "   sensors sent $sent readings; $counted counted + $dropped dropped = ${counted + dropped}"
    )
    check(counted >= ENOUGH) { "expected the sink to count at least $ENOUGH, it counted $counted" }
    check(sent == counted + dropped) {
        "expected every reading sent to be counted or dropped, once"
    }
}
