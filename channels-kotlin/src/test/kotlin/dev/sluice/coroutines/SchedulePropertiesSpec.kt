package dev.sluice.coroutines

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeSortedWith
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.PropTestConfig
import io.kotest.property.arbitrary.element
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import kotlin.random.Random
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

private val LONG = System.getProperty("sluice.stress") == "long"
private val RUNS = if (LONG) 2_000 else 150

/**
 * What one schedule did: which sends succeeded, which failed, which cannot know (a select whose
 * `onSend` won but was cancelled before it could run: kotlinx's prompt cancellation), and what each
 * consumer received, in order.
 */
private class Ledger {
    val sent = mutableSetOf<Int>()
    val unsent = mutableSetOf<Int>()
    val unknown = mutableSetOf<Int>()
    val received = mutableListOf<MutableList<Int>>()
}

/**
 * Property tests over random schedules. Each case is one seed driving producers and consumers on a
 * single-threaded test dispatcher (kotlinx-coroutines-test), so a failing seed replays exactly: the
 * seed decides where they yield, how long they wait in virtual time, and which operations time out.
 */
class SchedulePropertiesSpec :
    FunSpec({
        test("FIFO: each consumer receives each producer's elements in the order they were sent") {
            checkAll(PropTestConfig(iterations = RUNS), Arb.element(CAPACITIES), Arb.long()) {
                capacity,
                seed ->
                val ledger = run(capacity, seed, cancelReceives = false)
                for (got in ledger.received) {
                    for (producer in 0 until PRODUCERS) {
                        got.filter { it / PER_PRODUCER == producer } shouldBeSortedWith
                            naturalOrder()
                    }
                }
                val all = ledger.received.flatten().toSet()
                (ledger.sent - all) shouldBe emptySet()
                (all - ledger.sent - ledger.unknown) shouldBe emptySet()
            }
        }

        test("exactly once under timed-out sends and receives, plain and in select") {
            checkAll(PropTestConfig(iterations = RUNS), Arb.element(CAPACITIES), Arb.long()) {
                capacity,
                seed ->
                val ledger = run(capacity, seed, cancelReceives = true)
                val all = ledger.received.flatten()
                all.size shouldBe all.toSet().size // no duplicates
                (ledger.sent - all.toSet()) shouldBe emptySet() // every sent element arrived
                (ledger.unsent intersect all.toSet()) shouldBe emptySet() // no unsent one did
            }
        }
    })

private const val PRODUCERS = 3
private const val CONSUMERS = 2
private const val PER_PRODUCER = 1_000
private const val ELEMENTS = 30

private suspend fun run(capacity: Int, seed: Long, cancelReceives: Boolean): Ledger {
    val ledger = Ledger()
    runTest {
        val ch = SluiceChannel<Int>(capacity)
        val other =
            SluiceChannel<Int>(Channel.UNLIMITED) // a second channel for selects; stays empty
        val random = Random(seed)
        val producers =
            List(PRODUCERS) { p ->
                val rnd = Random(random.nextLong())
                launch {
                    for (i in 0 until ELEMENTS) {
                        val e = p * PER_PRODUCER + i
                        pause(rnd)
                        // The flag, not withTimeoutOrNull's result, says whether the send happened:
                        // a send that delivered returns normally even when the timeout fired just
                        // then, but the timed-out block's result is null all the same.
                        var ok = false
                        when (rnd.nextInt(3)) {
                            0 -> {
                                ch.send(e)
                                ok = true
                            }
                            1 ->
                                withTimeoutOrNull(rnd.nextLong(1, 5)) {
                                    ch.send(e)
                                    ok = true
                                }
                            else ->
                                withTimeoutOrNull(rnd.nextLong(1, 5)) {
                                        select<Unit> { ch.onSend(e) { ok = true } }
                                    }
                                    .also { if (it == null && !ok) ledger.unknown += e }
                        }
                        if (ok) ledger.sent += e else if (e !in ledger.unknown) ledger.unsent += e
                    }
                }
            }
        val consumers =
            List(CONSUMERS) {
                val rnd = Random(random.nextLong())
                val got = mutableListOf<Int>().also { ledger.received += it }
                launch { consume(ch, other, rnd, got, cancelReceives) }
            }
        producers.forEach { it.join() }
        ch.close()
        consumers.forEach { it.join() }
    }
    return ledger
}

private suspend fun CoroutineScope.consume(
    ch: Channel<Int>,
    other: Channel<Int>,
    rnd: Random,
    got: MutableList<Int>,
    cancelReceives: Boolean,
) {
    while (true) {
        pause(rnd)
        val timeout =
            if (cancelReceives && rnd.nextBoolean()) rnd.nextLong(1, 5) else Long.MAX_VALUE
        val r =
            withTimeoutOrNull(timeout) {
                when (rnd.nextInt(3)) {
                    0 -> ch.receiveCatching()
                    1 ->
                        select {
                            ch.onReceiveCatching { it }
                            other.onReceiveCatching {
                                error("nothing is sent to the other channel")
                            }
                        }
                    else -> {
                        val t = ch.tryReceive()
                        if (t.isFailure && !t.isClosed) ch.receiveCatching() else t
                    }
                }
            } ?: continue // timed out: took nothing, or gave back what it was handed
        if (r.isClosed) return
        got += r.getOrThrow()
    }
}

private suspend fun pause(rnd: Random) {
    when (rnd.nextInt(4)) {
        0 -> yield()
        1 -> delay(rnd.nextLong(0, 3))
        else -> Unit
    }
}
