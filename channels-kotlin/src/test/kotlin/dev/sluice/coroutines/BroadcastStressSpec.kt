package dev.sluice.coroutines

import dev.sluice.channels.Broadcast
import dev.sluice.channels.LaggedException
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/*
 * A Java thread sends 0, 1, 2, ... through a broadcast (a capacity drawn per round), then closes it;
 * coroutines receive through random members of their subscriber's kotlinx view: receive,
 * receiveCatching, tryReceive, the iterator, a receive cancelled by a tiny timeout, and selects
 * (beside a channel that never has anything, with a tiny onTimeout), on Dispatchers.Default and, for
 * one subscriber, Dispatchers.Unconfined (a select resumed by the sending thread goes through the
 * engine's claim frame). One subscriber's view skips lags through onLag, the others' throw them.
 *
 * Each subscriber accounts for every element: each one received must be the next expected, and each
 * lag reported moves the expectation on by its count. After the close, every subscriber must have
 * accounted for every element sent; a cancelled receive that took an element shows as a gap, a
 * lost wake-up as a round that times out.
 */
class BroadcastStressSpec :
    FunSpec({
        val long = System.getProperty("sluice.stress") == "long"
        val rounds = if (long) 1_000 else 40
        val sent = if (long) 20_000 else 2_000
        val capacities = intArrayOf(1, 3, 16, 256, 1 shl 15)

        test("every element is received once or reported missed, in order, under cancellation") {
            val seeds = SplittableRandom(13)
            repeat(rounds) { round ->
                val broadcast = Broadcast.create<Int>(capacities[seeds.nextInt(capacities.size)])
                val dispatchers: List<CoroutineDispatcher> =
                    listOf(Dispatchers.Default, Dispatchers.Default, Dispatchers.Unconfined)
                val subscribers = dispatchers.map { broadcast.subscribe() }
                val yieldEvery = 1 + seeds.nextInt(64)
                coroutineScope {
                    val accounts = subscribers.mapIndexed { i, subscriber ->
                        val random = seeds.split()
                        async(dispatchers[i]) { receiveAll(subscriber, random, skipLags = i == 1) }
                    }
                    val sender = Thread {
                        for (e in 0 until sent) {
                            broadcast.send(e)
                            if (e % yieldEvery == 0) Thread.yield()
                        }
                        broadcast.close()
                    }
                    sender.start()
                    val results = withTimeout(60_000) { accounts.awaitAll() }
                    sender.join()
                    results.forEachIndexed { i, expected ->
                        withClue(round, i) { expected shouldBe sent.toLong() }
                    }
                }
            }
        }
    })

private inline fun withClue(round: Int, subscriber: Int, check: () -> Unit) =
    io.kotest.assertions.withClue("round $round, subscriber $subscriber") { check() }

/** Receives until the view is closed; returns how many elements were accounted for. */
private suspend fun receiveAll(
    subscriber: Broadcast.Subscriber<Int>,
    random: SplittableRandom,
    skipLags: Boolean,
): Long {
    var expected = 0L
    val view =
        if (skipLags) subscriber.asReceiveChannel { expected += it }
        else subscriber.asReceiveChannel()
    val never = Channel<Int>()
    while (true) {
        var element: Int? = null
        try {
            when (random.nextInt(7)) {
                0 -> element = view.receive()
                1 -> {
                    val r = view.receiveCatching()
                    if (r.isClosed) return expected
                    element = r.getOrThrow()
                }
                2 -> {
                    val r = view.tryReceive()
                    if (r.isClosed) return expected
                    element = r.getOrNull()
                    if (element == null) yield()
                }
                3 -> {
                    val it = view.iterator()
                    if (!it.hasNext()) return expected
                    element = it.next()
                }
                4 ->
                    // Booked inside the block: withTimeoutOrNull returns null, dropping the block's
                    // value, when its timeout fires after the block's last suspension.
                    withTimeoutOrNull(random.nextLong(1, 3)) { element = view.receive() }
                5 -> element = select {
                        never.onReceive { it }
                        view.onReceive { it }
                    }
                else -> element = select {
                        view.onReceive { it }
                        onTimeout(random.nextLong(0, 2)) { null }
                    }
            }
        } catch (e: LaggedException) {
            check(!skipLags) { "a view with onLag threw $e" }
            expected += e.missed()
        } catch (e: ClosedReceiveChannelException) {
            return expected
        }
        val received = element
        if (received != null) {
            check(received.toLong() == expected) { "received $received when $expected was next" }
            expected++
        }
    }
}
