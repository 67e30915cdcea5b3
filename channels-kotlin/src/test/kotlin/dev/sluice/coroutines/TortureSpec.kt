package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import io.kotest.core.spec.style.FunSpec
import java.time.Duration
import java.util.BitSet
import java.util.SplittableRandom
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.LongAdder
import java.util.concurrent.locks.LockSupport
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/*
 * Issue 14's torture test for the coroutine face: every coroutine face and the blocking Java face at
 * once, over three Sluice channels of one capacity, while a chaos coroutine cancels coroutines at
 * random and restarts them, and interrupts the Java threads.
 *
 *  - Coroutine producers on Dispatchers.Default send with `send`, `trySend` loops, kotlinx
 *    `select { onSend }` over all three channels, and `send` inside `withTimeoutOrNull`;
 *  - Java platform threads send with the blocking `send` and the timed `send(e, Duration)`;
 *  - coroutine consumers on Dispatchers.Default receive with `receive`, `receiveCatching`,
 *    `for (e in ch)`, kotlinx `select { onReceive }` over every channel still open, and
 *    `withTimeoutOrNull(1..2 ms) { receive() }`, and batches (`receiveMany`).
 *
 * What a producer concludes from each outcome is the contract under test (DESIGN.md section 3, and
 * asCoroutineChannel's KDoc): a send that returned sent its element; one that threw (cancelled by
 * the chaos, timed out, interrupted) or reported failure (trySend, a timed send) did not, and the
 * producer sends the element again, from the coroutine the chaos starts in place of the cancelled
 * one. A receive that threw took nothing: Sluice gives an element handed to a cancelled receive back
 * to the channel. The one outcome that tells nothing is a kotlinx select whose onSend clause was
 * chosen as the coroutine was cancelled: kotlinx's select keeps its prompt cancellation, so a select
 * that threw may have sent. Such an element is booked "unknown" and not sent again: it may arrive
 * once, or not at all.
 *
 * Every element is a Long: the producer, the element's number in that producer's sequence, and the
 * attempt (how many sends of it failed before). So a failed send that secretly sent shows up as
 * an attempt that was reported unsent, a duplicate as one attempt received twice, and a loss as a
 * successful attempt that never arrived. At the end (producers done, channels closed, consumers
 * drained, chaos stopped) the test drains what late give-backs left in the channels or handed to
 * onUndeliveredElement, and checks that the received elements are exactly the successful sends,
 * each once.
 *
 * Only operations on channel 0 wait without end: `send`, `receive`, `receiveCatching`, the `for`
 * loop, and the selects, which all include channel 0. So every worker that waits for ever waits on
 * channel 0 for a worker of the other role, and the test cannot deadlock by itself; channels 1 and
 * 2 get trySend loops, timed sends, selects and timed receives. After the close nothing waits.
 *
 * The default run moves about 75,000 elements per capacity; -Pstress-long (sluice.stress=long)
 * 2,520,000 per capacity, 10,080,000 in all. No assertion here is about time: the only clock is a
 * hang guard that fails the test when nothing was received for minutes.
 */

private val LONG = System.getProperty("sluice.stress") == "long"

private const val CHANNELS = 3
private const val COROUTINE_PRODUCERS = 4
private const val THREAD_PRODUCERS = 2
private const val PRODUCERS = COROUTINE_PRODUCERS + THREAD_PRODUCERS
private const val CONSUMERS = 4

/** Elements per producer: 6 producers, so 75,000 or 2,520,000 per capacity. */
private val PER_PRODUCER = if (LONG) 420_000 else 12_500

/** The test fails as hung when no element was received for this long. */
private val HANG_GUARD_NANOS = TimeUnit.MINUTES.toNanos(if (LONG) 5 else 2)

private const val ATTEMPT_BITS = 24
private const val MAX_ATTEMPT = (1 shl ATTEMPT_BITS) - 1

/** Producer (7 bits), number in its sequence (32 bits), attempt (24 bits). */
private fun element(producer: Int, seq: Int, attempt: Int): Long =
    (producer.toLong() shl 56) or (seq.toLong() shl ATTEMPT_BITS) or attempt.toLong()

/** The element without its attempt: which producer's which element. */
private fun prefixOf(e: Long): Long = e ushr ATTEMPT_BITS

private fun attemptOf(e: Long): Int = (e and MAX_ATTEMPT.toLong()).toInt()

private fun describeElement(e: Long): String =
    "producer ${e ushr 56} #${(prefixOf(e) and 0xffffffffL)} attempt ${attemptOf(e)}"

private enum class SendOp {
    SEND,
    TRY_SEND,
    SELECT_SEND,
    SEND_TIMEOUT,
    J_SEND,
    J_SEND_TIMED,
}

private enum class ReceiveOp {
    RECEIVE,
    RECEIVE_CATCHING,
    FOR,
    SELECT_RECEIVE,
    RECEIVE_TIMEOUT,
    RECEIVE_MANY,
    DRAIN,
    UNDELIVERED,
}

private val COROUTINE_SEND_OPS =
    arrayOf(SendOp.SEND, SendOp.TRY_SEND, SendOp.SELECT_SEND, SendOp.SEND_TIMEOUT)
private val COROUTINE_RECEIVE_OPS =
    arrayOf(
        ReceiveOp.RECEIVE,
        ReceiveOp.RECEIVE_CATCHING,
        ReceiveOp.FOR,
        ReceiveOp.SELECT_RECEIVE,
        ReceiveOp.RECEIVE_TIMEOUT,
        ReceiveOp.RECEIVE_MANY,
    )

/** A growable array of longs, written by one worker at a time. */
private class LongList {
    var items = LongArray(1024)
    var size = 0

    fun add(v: Long) {
        if (size == items.size) items = items.copyOf(size * 2)
        items[size++] = v
    }
}

/**
 * One producer's state. It outlives the coroutines that work for it: the chaos cancels one, joins
 * it, and starts the next, which goes on with the element (and attempt) where the last one stopped.
 * So the state is only ever touched by one coroutine at a time, and the join orders one's writes
 * before the next one's reads.
 */
private class Producer(val index: Int, val quota: Int) {
    var seq = 0
    var attempt = 0

    /** For each element: the attempt that was sent, or that may have been sent if [unknown]. */
    val finalAttempt = IntArray(quota)
    val unknown = BitSet(quota)
    val sentBy = LongArray(SendOp.values().size)
    var failedAttempts = 0L
    var threwOnCancel = 0L

    @Volatile var finished = false

    @Volatile var doing = "starting"

    val current: Long
        get() = element(index, seq, attempt)

    fun sent(op: SendOp) {
        finalAttempt[seq] = attempt
        sentBy[op.ordinal]++
        next()
    }

    /** The attempt did not send: the next one sends the same element again. */
    fun failed() {
        failedAttempts++
        check(attempt < MAX_ATTEMPT) {
            "harness: element ${describeElement(current)} failed too often"
        }
        attempt++
    }

    /** A select that threw as it may have sent: the element is not sent again. */
    fun mayHaveSent() {
        finalAttempt[seq] = attempt
        unknown.set(seq)
        next()
    }

    private fun next() {
        seq++
        attempt = 0
        if (seq == quota) finished = true
    }
}

/** One consumer's state; like [Producer]'s, it outlives the coroutines that work for it. */
private class Consumer(val name: String) {
    val got = LongList()
    val gotBy = LongArray(ReceiveOp.values().size)
    var threwOnCancel = 0L

    /** The channels this consumer saw closed and drained. */
    val done = BooleanArray(CHANNELS)

    @Volatile var finished = false

    @Volatile var doing = "starting"

    fun got(e: Long, op: ReceiveOp, run: TortureRun) {
        got.add(e)
        gotBy[op.ordinal]++
        run.progress.increment()
    }

    fun closed(c: Int) {
        done[c] = true
        if (done.all { it }) finished = true
    }

    /** A channel for an operation that may wait for ever: 0, or once it is done any other. */
    fun untimed(): Int = (0 until CHANNELS).first { !done[it] }

    /** A channel for an operation that gives up by itself. */
    fun any(rnd: SplittableRandom): Int {
        val c = rnd.nextInt(CHANNELS)
        return if (!done[c]) c else untimed()
    }
}

/** A worker coroutine's place: the chaos replaces its coroutine, the state stays. */
private class Slot(val name: String, val finished: () -> Boolean, val body: suspend () -> Unit) {
    @Volatile lateinit var job: Job
}

/** One capacity's channels, workers and bookings. */
private class TortureRun(val capacity: Int, val seed: Long) {
    val undelivered = ConcurrentLinkedQueue<Long>()
    val javas: List<JavaChannel<Long>> =
        List(CHANNELS) {
            JavaChannel.builder<Long>()
                .capacity(capacity)
                .onUndeliveredElement { undelivered.add(it) }
                .build()
        }
    val views: List<Channel<Long>> = javas.map { it.asCoroutineChannel() }
    val producers = List(PRODUCERS) { Producer(it, PER_PRODUCER) }
    val consumers = List(CONSUMERS) { Consumer("consumer $it") }
    val slots = ArrayList<Slot>()
    val threads = CopyOnWriteArrayList<Thread>()
    val failures = ConcurrentLinkedQueue<Throwable>()
    val progress = LongAdder()
    val cancellations = AtomicLong()
    val interrupts = AtomicLong()
    private val seeds = AtomicLong(seed)

    @Volatile var chaosOn = true

    fun random(): SplittableRandom =
        SplittableRandom(seeds.getAndAdd(0x9E3779B97F4A7C15uL.toLong()))

    val scope = CoroutineScope(Dispatchers.Default + SupervisorJob())

    /**
     * Starts (or restarts) [slot]'s coroutine. A failure other than cancellation fails the test.
     */
    fun start(slot: Slot) {
        slot.job = scope.launch {
            try {
                slot.body()
            } catch (e: CancellationException) {
                throw e
            } catch (e: Throwable) {
                failures.add(AssertionError("${slot.name} failed", e))
            }
        }
    }
}

// -------------------------------------------------------------------------------------------------
// Producers

private fun tinyTimeoutMillis(rnd: SplittableRandom): Long = 1L + rnd.nextInt(2)

/**
 * Sends [p]'s remaining elements, one attempt at a time on a random face. Cancellation can only
 * come at a suspension point, which in each attempt is the channel operation itself: so a send that
 * returned is booked before the coroutine can be cancelled, and one that threw is booked as failed
 * before the exception leaves.
 */
private suspend fun produce(run: TortureRun, p: Producer, rnd: SplittableRandom) {
    val views = run.views
    while (p.seq < p.quota) {
        // A send into room does not suspend, so without this a producer on an unbounded channel
        // would never see the chaos's cancellation (nor let others run on the two cores).
        if (rnd.nextInt(16) == 0) yield()
        val x = p.current
        val op = COROUTINE_SEND_OPS[rnd.nextInt(COROUTINE_SEND_OPS.size)]
        p.doing = "$op ${describeElement(x)}"
        when (op) {
            SendOp.SEND ->
                try {
                    views[0].send(x)
                    p.sent(op)
                } catch (e: CancellationException) {
                    p.threwOnCancel++
                    p.failed() // a send that threw did not send
                    throw e
                }
            SendOp.TRY_SEND -> {
                val c = rnd.nextInt(CHANNELS)
                val tries = 1 + rnd.nextInt(32)
                var sent = false
                try {
                    for (i in 1..tries) {
                        if (views[c].trySend(x).isSuccess) {
                            sent = true
                            break
                        }
                        yield()
                    }
                } catch (e: CancellationException) {
                    p.threwOnCancel++
                    p.failed() // cancelled in a yield, after a trySend that failed
                    throw e
                }
                if (sent) p.sent(op) else p.failed()
            }
            SendOp.SELECT_SEND -> {
                var chosen = false
                val first = rnd.nextInt(CHANNELS)
                val timeout = if (rnd.nextInt(4) == 0) tinyTimeoutMillis(rnd) else -1L
                try {
                    select<Unit> {
                        for (k in 0 until CHANNELS) {
                            views[(first + k) % CHANNELS].onSend(x) {
                                chosen = true
                                p.sent(op)
                            }
                        }
                        if (timeout >= 0) onTimeout(timeout) {}
                    }
                } catch (e: CancellationException) {
                    p.threwOnCancel++
                    // Prompt cancellation: a clause may have been chosen, and its element taken.
                    if (!chosen) p.mayHaveSent()
                    throw e
                }
                if (!chosen) p.failed() // the timeout won: no clause sent
            }
            SendOp.SEND_TIMEOUT -> {
                val c = rnd.nextInt(CHANNELS)
                var sent = false
                try {
                    withTimeoutOrNull(tinyTimeoutMillis(rnd)) {
                        views[c].send(x)
                        sent = true
                        p.sent(op) // booked in the block: the timeout may still make it return null
                    }
                } catch (e: CancellationException) {
                    p.threwOnCancel++
                    if (!sent) p.failed()
                    throw e
                }
                if (!sent) p.failed()
            }
            else -> error("not a coroutine send: $op")
        }
    }
    p.doing = "finished"
}

/** A Java platform thread's producer: blocking sends on channel 0, timed sends on any. */
private fun produceBlocking(run: TortureRun, p: Producer, rnd: SplittableRandom) {
    while (p.seq < p.quota) {
        val x = p.current
        try {
            if (rnd.nextBoolean()) {
                p.doing = "J_SEND ${describeElement(x)}"
                run.javas[0].send(x)
                p.sent(SendOp.J_SEND)
            } else {
                val c = rnd.nextInt(CHANNELS)
                p.doing = "J_SEND_TIMED ${describeElement(x)}"
                val nanos = if (rnd.nextInt(8) == 0) 0L else rnd.nextLong(1, 100_000)
                if (run.javas[c].send(x, Duration.ofNanos(nanos))) p.sent(SendOp.J_SEND_TIMED)
                else p.failed()
            }
        } catch (e: InterruptedException) {
            p.failed() // interrupted: not sent
        }
    }
    Thread.interrupted() // a stray interrupt of the chaos
    p.doing = "finished"
}

// -------------------------------------------------------------------------------------------------
// Consumers

/**
 * Receives until this consumer has seen every channel closed and drained, on a random face per
 * operation. An element is booked in the same stretch of code that received it, before the next
 * suspension point: a cancellation cannot come in between.
 */
private suspend fun consume(run: TortureRun, t: Consumer, rnd: SplittableRandom) {
    val views = run.views
    while (!t.finished) {
        if (rnd.nextInt(16) == 0)
            yield() // as in produce: a receive from a full buffer does not suspend
        val op = COROUTINE_RECEIVE_OPS[rnd.nextInt(COROUTINE_RECEIVE_OPS.size)]
        t.doing = op.name
        try {
            when (op) {
                ReceiveOp.RECEIVE -> {
                    val c = t.untimed()
                    try {
                        t.got(views[c].receive(), op, run)
                    } catch (e: ClosedReceiveChannelException) {
                        t.closed(c)
                    }
                }
                ReceiveOp.RECEIVE_CATCHING -> {
                    val c = t.untimed()
                    val r = views[c].receiveCatching()
                    if (r.isSuccess) t.got(r.getOrThrow(), op, run) else t.closed(c)
                }
                ReceiveOp.FOR -> {
                    val c = t.untimed()
                    var broke = false
                    for (e in views[c]) {
                        t.got(e, op, run)
                        if (rnd.nextInt(8) == 0) {
                            broke = true
                            break
                        }
                    }
                    if (!broke) t.closed(c)
                }
                ReceiveOp.SELECT_RECEIVE -> {
                    val first = rnd.nextInt(CHANNELS)
                    try {
                        select<Unit> {
                            for (k in 0 until CHANNELS) {
                                val c = (first + k) % CHANNELS
                                if (!t.done[c]) views[c].onReceive { e -> t.got(e, op, run) }
                            }
                        }
                    } catch (e: ClosedReceiveChannelException) {
                        for (c in 0 until CHANNELS) if (run.javas[c].isClosedForReceive) t.closed(c)
                    }
                }
                ReceiveOp.RECEIVE_TIMEOUT -> {
                    val c = t.any(rnd)
                    withTimeoutOrNull(tinyTimeoutMillis(rnd)) {
                        try {
                            // Booked in the block: the timeout may still make withTimeoutOrNull
                            // return null after the receive returned.
                            t.got(views[c].receive(), op, run)
                        } catch (e: ClosedReceiveChannelException) {
                            t.closed(c)
                        }
                    }
                }
                ReceiveOp.RECEIVE_MANY -> {
                    val c = t.untimed()
                    try {
                        // Booked before the next suspension point, as every receive here is.
                        for (e in views[c].receiveMany(1 + rnd.nextInt(32))) t.got(e, op, run)
                    } catch (e: ClosedReceiveChannelException) {
                        t.closed(c)
                    }
                }
                else -> error("not a coroutine receive: $op")
            }
        } catch (e: CancellationException) {
            t.threwOnCancel++ // the receive threw: it took nothing
            throw e
        }
    }
    t.doing = "finished"
}

// -------------------------------------------------------------------------------------------------
// The chaos

/**
 * Until told to stop: waits 10 to 500 microseconds, then picks a worker at random. A coroutine is
 * cancelled, joined, and started again (it goes on from its state); a Java thread is interrupted.
 * It runs on a thread of its own, so parking that thread between blows takes nothing from the
 * workers' dispatcher.
 */
private suspend fun chaos(run: TortureRun, rnd: SplittableRandom) {
    val slots = run.slots
    while (run.chaosOn) {
        LockSupport.parkNanos(rnd.nextLong(10_000, 500_000))
        val k = rnd.nextInt(slots.size + run.threads.size)
        if (k < slots.size) {
            val slot = slots[k]
            if (slot.finished()) continue
            slot.job.cancelAndJoin()
            run.cancellations.incrementAndGet()
            run.start(slot) // a slot that finished meanwhile returns at once
        } else {
            val t = run.threads[k - slots.size]
            if (t.isAlive) {
                t.interrupt()
                run.interrupts.incrementAndGet()
            }
        }
    }
}

// -------------------------------------------------------------------------------------------------
// One capacity

private class TortureTotals {
    var moved = 0L
    var lost = 0L
    var duplicated = 0L
    var unsentReceived = 0L
    var millis = 0L
}

private suspend fun torture(capacity: Int, seed: Long, totals: TortureTotals) {
    val started = System.nanoTime()
    val run = TortureRun(capacity, seed)
    for (p in run.producers.take(COROUTINE_PRODUCERS)) {
        val rnd = run.random()
        run.slots.add(Slot("producer ${p.index}", { p.finished }) { produce(run, p, rnd) })
    }
    for (t in run.consumers) {
        val rnd = run.random()
        run.slots.add(Slot(t.name, { t.finished }) { consume(run, t, rnd) })
    }
    for (p in run.producers.drop(COROUTINE_PRODUCERS)) {
        val rnd = run.random()
        val thread =
            Thread(
                {
                    try {
                        produceBlocking(run, p, rnd)
                    } catch (e: Throwable) {
                        run.failures.add(AssertionError("producer ${p.index} (thread) failed", e))
                    }
                },
                "torture-producer-${p.index}",
            )
        thread.isDaemon = true
        run.threads.add(thread)
    }
    val chaosThread = Executors.newSingleThreadExecutor { r ->
        Thread(r, "torture-chaos").apply { isDaemon = true }
    }
    try {
        run.slots.forEach(run::start)
        run.threads.forEach(Thread::start)
        val chaos =
            CoroutineScope(chaosThread.asCoroutineDispatcher()).launch { chaos(run, run.random()) }

        awaitOrHang(run, "the producers") { run.producers.all { it.finished } }
        for (t in run.threads) t.join()
        run.javas.forEach { it.close() }
        awaitOrHang(run, "the consumers") { run.consumers.all { it.finished } }
        run.chaosOn = false
        chaos.join()
        for (slot in run.slots) slot.job.join()
    } finally {
        run.chaosOn = false
        run.scope.cancel()
        chaosThread.shutdownNow()
    }

    // Late give-backs: elements handed to a receive that was cancelled after the others saw the
    // end are in the channel, or (if it was closed and drained by then) went to
    // onUndeliveredElement.
    val drain = Consumer("drain")
    for (c in 0 until CHANNELS) {
        while (true) {
            val r = run.views[c].tryReceive()
            if (!r.isSuccess) break
            drain.got(r.getOrThrow(), ReceiveOp.DRAIN, run)
        }
    }
    for (e in run.undelivered) drain.got(e, ReceiveOp.UNDELIVERED, run)
    verifyExactlyOnce(run, run.consumers + drain, (System.nanoTime() - started) / 1_000_000, totals)
}

/** Waits until [done], failing the test if a worker failed or nothing was received for minutes. */
private suspend fun awaitOrHang(run: TortureRun, what: String, done: () -> Boolean) {
    var seen = run.progress.sum()
    var since = System.nanoTime()
    while (!done()) {
        if (run.failures.isNotEmpty()) throw report(run, "a worker failed while waiting for $what")
        delay(10)
        val now = run.progress.sum()
        if (now != seen) {
            seen = now
            since = System.nanoTime()
        } else if (System.nanoTime() - since > HANG_GUARD_NANOS) {
            throw report(
                run,
                "HANG: nothing received for ${TimeUnit.NANOSECONDS.toSeconds(HANG_GUARD_NANOS)} s while waiting for $what",
            )
        }
    }
}

private fun report(run: TortureRun, headline: String): AssertionError {
    val text = StringBuilder("$headline (capacity ${run.capacity}, seed ${run.seed})\n")
    for (c in 0 until CHANNELS) text.append("  channel $c: ${run.javas[c]}\n")
    for (p in run.producers) text.append(
        "  producer ${p.index}: ${p.seq} of ${p.quota}, ${p.doing}\n"
    )
    for (t in run.consumers) text.append("  ${t.name}: ${t.doing}, done ${t.done.toList()}\n")
    for (th in run.threads) {
        text.append("  thread ${th.name} ${th.state}\n")
        for (frame in th.stackTrace.take(15)) text.append("      at $frame\n")
    }
    val error = AssertionError(text.toString())
    run.failures.take(5).forEach(error::addSuppressed)
    return error
}

// -------------------------------------------------------------------------------------------------
// The check

private fun verifyExactlyOnce(
    run: TortureRun,
    consumers: List<Consumer>,
    millis: Long,
    totals: TortureTotals,
) {
    var n = 0
    for (t in consumers) n += t.got.size
    val got = LongArray(n)
    var at = 0
    for (t in consumers) {
        System.arraycopy(t.got.items, 0, got, at, t.got.size)
        at += t.got.size
    }
    got.sort()

    var lost = 0L
    var duplicated = 0L
    var unsentReceived = 0L
    var phantom = 0L
    var unknown = 0L
    var unknownReceived = 0L
    val examples = ArrayList<String>()
    fun example(s: String) {
        if (examples.size < 20) examples.add(s)
    }

    // Both in order of (producer, number): the expected elements and the received ones.
    var i = 0
    for (p in run.producers) {
        for (seq in 0 until p.quota) {
            val prefix = (p.index.toLong() shl 32) or seq.toLong()
            while (i < n && prefixOf(got[i]) < prefix) {
                phantom++
                example("PHANTOM: received ${describeElement(got[i++])}, which no producer made")
            }
            val final = p.finalAttempt[seq]
            var k = 0
            while (i < n && prefixOf(got[i]) == prefix) {
                val a = attemptOf(got[i])
                when {
                    a == final -> k++
                    a < final -> {
                        unsentReceived++
                        example(
                            "UNSENT BUT RECEIVED: ${describeElement(got[i])}, whose send reported failure"
                        )
                    }
                    else -> {
                        phantom++
                        example(
                            "PHANTOM: received ${describeElement(got[i])}, an attempt never made"
                        )
                    }
                }
                i++
            }
            val e = element(p.index, seq, final)
            if (p.unknown[seq]) {
                unknown++
                if (k > 0) unknownReceived++
            } else if (k == 0) {
                lost++
                example("LOST: ${describeElement(e)} was sent and never received")
            }
            if (k > 1) {
                duplicated += k - 1
                example("DUPLICATE: ${describeElement(e)} received $k times")
            }
        }
    }
    while (i < n) {
        phantom++
        example("PHANTOM: received ${describeElement(got[i++])}, which no producer made")
    }

    val sentBy =
        SendOp.values().joinToString { op ->
            "${op.name.lowercase()} ${run.producers.sumOf { it.sentBy[op.ordinal] }}"
        }
    val gotBy =
        ReceiveOp.values().joinToString { op ->
            "${op.name.lowercase()} ${consumers.sumOf { it.gotBy[op.ordinal] }}"
        }
    val summary =
        "[TortureSpec] ${capacityName(run.capacity)}, seed ${run.seed}: $n elements moved in $millis ms; " +
            "lost $lost, duplicated $duplicated, received but reported unsent $unsentReceived, phantom $phantom; " +
            "unknown (select cancelled as it may have sent) $unknown, of them received $unknownReceived; " +
            "failed attempts ${run.producers.sumOf { it.failedAttempts }}; chaos: ${run.cancellations.get()} " +
            "cancellations (${run.producers.sumOf { it.threwOnCancel }} sends and " +
            "${consumers.sumOf { it.threwOnCancel }} receives threw), ${run.interrupts.get()} interrupts; " +
            "sent by: $sentBy; received by: $gotBy"
    println(summary)
    totals.moved += n
    totals.lost += lost
    totals.duplicated += duplicated
    totals.unsentReceived += unsentReceived
    totals.millis += millis
    val failures = run.failures.toList()
    if (lost + duplicated + unsentReceived + phantom > 0 || failures.isNotEmpty()) {
        val error = AssertionError(summary + examples.joinToString("") { "\n  $it" })
        failures.take(5).forEach(error::addSuppressed)
        throw error
    }
}

// -------------------------------------------------------------------------------------------------

/**
 * Coroutines (send, trySend, select onSend, receive, receiveCatching, for loops, select onReceive,
 * tiny withTimeoutOrNull) and blocking Java threads on the same channels, with a chaos coroutine
 * cancelling and restarting them: the elements received are exactly the ones sent, each once.
 */
class TortureSpec :
    FunSpec({
        timeout = TimeUnit.MINUTES.toMillis(if (LONG) 240 else 20)

        val totals = TortureTotals()
        val seed = System.getProperty("sluice.torture.seed")?.toLong() ?: System.nanoTime()

        for ((k, capacity) in CAPACITIES.withIndex()) {
            test(
                "${capacityName(capacity)}: every face at once, cancelled at random, loses and duplicates nothing"
            ) {
                withContext(Dispatchers.Default) { torture(capacity, seed + k, totals) }
            }
        }

        afterSpec {
            println(
                "[TortureSpec] ${if (LONG) "long" else "short"} run, all capacities: ${totals.moved} elements moved in " +
                    "${totals.millis} ms; lost ${totals.lost}, duplicated ${totals.duplicated}, received but reported " +
                    "unsent ${totals.unsentReceived}"
            )
        }
    })
