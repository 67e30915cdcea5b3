package dev.sluice.coroutines

import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.Select
import dev.sluice.channels.SelectClause
import io.kotest.core.spec.style.FunSpec
import java.time.Duration
import java.util.SplittableRandom
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/*
 * Every face of one Sluice channel at once, under cancellation, interruption and timeouts:
 *
 *  - Java platform threads and virtual threads (JDK 21+) send with blocking send, timed send with
 *    tiny timeouts, trySend loops, sendAsync futures withdrawn at random (cancel, complete,
 *    completeExceptionally, orTimeout) and Java selects over two channels; coroutines receive with
 *    receive, receiveCatching, tryReceive, `for` loops and kotlinx selects over the two channels, some
 *    of them cancelled at random (withTimeoutOrNull with tiny timeouts, job.cancel());
 *  - the reverse: coroutines send (send, trySend, select onSend, with random cancellation) while Java
 *    threads receive (blocking, timed, tryReceive, receiveAsync withdrawn at random, Java select,
 *    the iterator);
 *  - a mix of everything with coroutines on Dispatchers.Unconfined using kotlinx select: their
 *    resumption by a claiming thread is the engine's ClaimFrame path. Its receivers also run selects
 *    (Java and kotlinx) that receive from one channel or send to the other.
 *
 * Another thread interrupts the Java workers at random all along.
 *
 * Every element is a unique Int. Each worker books what its operations reported: sent (the send
 * returned normally / true / its future completed normally / its select clause was chosen), not sent
 * (returned false, threw, was withdrawn), or unknown: a kotlinx select whose onSend clause was
 * chosen keeps kotlinx's prompt cancellation (see asCoroutineChannel), so a select cancelled from
 * outside may have sent. An element that failed definitively may be sent again later by the same
 * worker (which is how a failure that secretly sent would show as a duplicate), otherwise it is
 * booked as not sent. Receivers book what they got. Once the sends have reached their target, the
 * sender that reached it closes both channels; receivers drain them, the test drains what is left
 * (elements given back by late cancellations), and then checks: every element reported sent was
 * received exactly once, no element reported not sent was received, nothing was received twice, an
 * unknown element at most once, and of an unknown pair (the two onSend clauses of one cancelled
 * select) at most one.
 *
 * Only operations on channel A, in the worker's own role, may wait for ever: a sender's blocking
 * send or all-send select that includes A, a receiver's blocking receive or all-receive select that
 * includes A. So every worker that waits without end waits on A for a counterpart of the other role,
 * and the test cannot deadlock on its own. Everything else (channel B alone, selects that both send
 * and receive) gives up by itself: a timeout, a try, a cancellation, or a future that is withdrawn.
 * Each test runs a few rounds, each with new channels that end closed.
 *
 * Timeouts here are hang guards only. The default run is short; -Dsluice.stress=long makes the
 * element counts 100 times larger.
 */

private val STRESS_LONG = System.getProperty("sluice.stress") == "long"

/** Rounds per test, each with new channels that end closed and drained. */
private val ROUNDS = if (STRESS_LONG) 50 else 5

/** Successful sends per round before the channels are closed. */
private val TARGET = if (STRESS_LONG) 30_000 else 3_000

/** How long a round may take before it is declared hung. */
private val HANG_GUARD_MS: Long = if (STRESS_LONG) 10 * 60_000L else 60_000L

private val STRESS_CAPACITIES = listOf(0, 1, 16, Channel.UNLIMITED)

private fun stressCapacityName(capacity: Int) =
    if (capacity == Channel.UNLIMITED) "unbounded"
    else if (capacity == 0) "rendezvous" else "capacity $capacity"

private const val A = 0
private const val B = 1

/** The operations whose outcomes are booked; with the channel, a byte code per booking. */
private enum class Op {
    J_SEND,
    J_SEND_TIMED,
    J_TRY_SEND,
    J_SEND_ASYNC,
    J_SELECT_SEND,
    J_RECEIVE,
    J_RECEIVE_TIMED,
    J_TRY_RECEIVE,
    J_RECEIVE_ASYNC,
    J_SELECT_RECEIVE,
    J_ITERATOR,
    J_SELECT_MIXED,
    K_SEND,
    K_TRY_SEND,
    K_SELECT_SEND,
    K_SELECT_SEND_TIMEOUT,
    K_SEND_TIMEOUT,
    K_SEND_CANCEL,
    K_SELECT_SEND_CANCEL,
    K_RECEIVE,
    K_RECEIVE_CATCHING,
    K_TRY_RECEIVE,
    K_FOR,
    K_SELECT_RECEIVE,
    K_SELECT_RECEIVE_CATCHING,
    K_SELECT_RECEIVE_TIMEOUT,
    K_RECEIVE_TIMEOUT,
    K_RECEIVE_CANCEL,
    K_SELECT_RECEIVE_CANCEL,
    K_SELECT_MIXED,
    DRAIN,
    UNDELIVERED,
}

private val OPS = Op.values()

private val JAVA_SEND_OPS =
    arrayOf(Op.J_SEND, Op.J_SEND_TIMED, Op.J_TRY_SEND, Op.J_SEND_ASYNC, Op.J_SELECT_SEND)
private val JAVA_RECEIVE_OPS =
    arrayOf(
        Op.J_RECEIVE,
        Op.J_RECEIVE_TIMED,
        Op.J_TRY_RECEIVE,
        Op.J_RECEIVE_ASYNC,
        Op.J_SELECT_RECEIVE,
        Op.J_ITERATOR,
    )
private val COROUTINE_SEND_OPS =
    arrayOf(
        Op.K_SEND,
        Op.K_TRY_SEND,
        Op.K_SELECT_SEND,
        Op.K_SELECT_SEND_TIMEOUT,
        Op.K_SEND_TIMEOUT,
        Op.K_SEND_CANCEL,
        Op.K_SELECT_SEND_CANCEL,
    )
private val COROUTINE_RECEIVE_OPS =
    arrayOf(
        Op.K_RECEIVE,
        Op.K_RECEIVE_CATCHING,
        Op.K_TRY_RECEIVE,
        Op.K_FOR,
        Op.K_SELECT_RECEIVE,
        Op.K_SELECT_RECEIVE_CATCHING,
        Op.K_SELECT_RECEIVE_TIMEOUT,
        Op.K_RECEIVE_TIMEOUT,
        Op.K_RECEIVE_CANCEL,
        Op.K_SELECT_RECEIVE_CANCEL,
    )
/**
 * What the Java receivers of the unconfined mix do: also selects that receive from one channel or
 * send to the other.
 */
private val MIX_JAVA_RECEIVE_OPS = JAVA_RECEIVE_OPS + Op.J_SELECT_MIXED
private val MIX_COROUTINE_RECEIVE_OPS = COROUTINE_RECEIVE_OPS + Op.K_SELECT_MIXED

/** What the unconfined coroutines do: mostly selects. */
private val UNCONFINED_SEND_OPS =
    arrayOf(
        Op.K_SELECT_SEND,
        Op.K_SELECT_SEND,
        Op.K_SELECT_SEND_TIMEOUT,
        Op.K_SELECT_SEND_TIMEOUT,
        Op.K_SELECT_SEND_CANCEL,
        Op.K_SEND,
        Op.K_SEND_CANCEL,
    )
private val UNCONFINED_RECEIVE_OPS =
    arrayOf(
        Op.K_SELECT_RECEIVE,
        Op.K_SELECT_RECEIVE,
        Op.K_SELECT_RECEIVE_CATCHING,
        Op.K_SELECT_RECEIVE_TIMEOUT,
        Op.K_SELECT_RECEIVE_TIMEOUT,
        Op.K_SELECT_RECEIVE_CANCEL,
        Op.K_RECEIVE,
        Op.K_RECEIVE_CANCEL,
        Op.K_SELECT_MIXED,
        Op.K_SELECT_MIXED,
    )

/** Things worth counting, to see that the races this test is about do happen. */
private enum class Event {
    INTERRUPTED,
    SEND_WITHDRAWN,
    SEND_WITHDRAWAL_TOO_LATE,
    SEND_FUTURE_TIMED_OUT,
    RECEIVE_WITHDRAWN,
    RECEIVE_WITHDRAWAL_TOO_LATE,
    RECEIVE_FUTURE_TIMED_OUT,
    SEND_CANCELLED,
    SEND_CANCELLED_TOO_LATE,
    SELECT_SEND_CANCELLED,
    SEND_FAILED_BY_CLOSE,
}

private fun code(op: Op, ch: Int): Byte = (op.ordinal * 2 + ch).toByte()

private fun describe(code: Byte): String = "${OPS[code / 2]}@${if (code % 2 == 0) "A" else "B"}"

/** A growable list of (element, code) pairs, owned by one worker. */
private class Log {
    var ids = IntArray(64)
    var codes = ByteArray(64)
    var size = 0

    fun add(id: Int, code: Byte) {
        if (size == ids.size) {
            ids = ids.copyOf(size * 2)
            codes = codes.copyOf(size * 2)
        }
        ids[size] = id
        codes[size] = code
        size++
    }
}

/** One worker's bookings: written by the worker only, read after it finished. */
private class Book(val name: String) {
    val sent = Log()
    val unsent = Log()
    val uncertain = Log()
    val received = Log()

    /** Pairs of elements of which at most one may have been sent, packed as `x shl 32 or y`. */
    val uncertainPairs = ArrayList<Long>()

    val events = IntArray(Event.values().size)

    fun event(e: Event) {
        events[e.ordinal]++
    }

    /** What the worker is doing now, for the report of a hang. */
    @Volatile var doing: String = "starting"
}

/** One round's channels, element numbering and bookings. */
private class Run(val capacity: Int, val target: Int, val seed: Long) {
    /**
     * Elements handed to `onUndeliveredElement`, by channel: a receive cancelled after it was
     * handed an element gives it back, and once the channel is closed and drained it goes there
     * instead.
     */
    val undelivered = arrayOf(ConcurrentLinkedQueue<Int>(), ConcurrentLinkedQueue<Int>())
    val views: Array<Channel<Int>> =
        arrayOf(
            SluiceChannel(capacity, onUndeliveredElement = { undelivered[A].add(it) }),
            SluiceChannel(capacity, onUndeliveredElement = { undelivered[B].add(it) }),
        )
    val javas = arrayOf(views[A].asSluiceChannel(), views[B].asSluiceChannel())
    private val ids = AtomicInteger()
    private val workers = AtomicInteger()
    val successes = AtomicInteger()
    val books = ConcurrentLinkedQueue<Book>()
    val failures = ConcurrentLinkedQueue<Throwable>()
    val javaThreads = CopyOnWriteArrayList<Thread>()

    /** Set by the sender whose success reached the target, just before it closes both channels. */
    @Volatile var stop = false

    /** Set when the test gives up on a hang: the workers' failures from then on are expected. */
    @Volatile var aborted = false

    val idCount: Int
        get() = ids.get()

    fun nextId(): Int = ids.getAndIncrement()

    fun book(name: String): Book = Book(name).also { books.add(it) }

    fun random(): SplittableRandom = SplittableRandom(seed * 1_000_003 + workers.incrementAndGet())

    fun sent(book: Book, id: Int, op: Op, ch: Int) {
        book.sent.add(id, code(op, ch))
        if (successes.incrementAndGet() == target) {
            stop = true
            // One channel through each face.
            views[A].close()
            javas[B].close()
        }
    }
}

/** The bookkeeping of a sending worker. */
private class SendTally(val run: Run, val book: Book, val rnd: SplittableRandom) {
    private var held = -1
    private var heldCode: Byte = 0
    var closedSeen = false

    val going: Boolean
        get() = !run.stop && !closedSeen

    /** The element to send next: one whose send failed before, or a new one. */
    fun take(): Int {
        val h = held
        if (h >= 0) {
            held = -1
            return h
        }
        return run.nextId()
    }

    fun fresh(): Int = run.nextId()

    fun sent(id: Int, op: Op, ch: Int) = run.sent(book, id, op, ch)

    /** A definitive failure: the element may be sent again later, or is booked as never sent. */
    fun failed(id: Int, op: Op, ch: Int) {
        if (held < 0 && !run.stop && rnd.nextInt(4) != 0) {
            held = id
            heldCode = code(op, ch)
        } else {
            book.unsent.add(id, code(op, ch))
        }
    }

    fun closed(id: Int, op: Op, ch: Int) {
        closedSeen = true
        book.event(Event.SEND_FAILED_BY_CLOSE)
        book.unsent.add(id, code(op, ch))
    }

    fun uncertain(id: Int, op: Op, ch: Int) = book.uncertain.add(id, code(op, ch))

    fun finish() {
        if (held >= 0) {
            book.unsent.add(held, heldCode)
            held = -1
        }
    }
}

/**
 * The bookkeeping of a receiving worker; [sends] books the sends of its selects that both receive
 * and send (J_SELECT_MIXED, K_SELECT_MIXED).
 */
private class ReceiveTally(val run: Run, val book: Book, val rnd: SplittableRandom) {
    val sends = SendTally(run, book, rnd)

    /** Whether a select may still offer a send: the sends go on, and both channels are open. */
    val mayMix: Boolean
        get() = sends.going && !done[A] && !done[B]

    /** Which channels this worker has seen closed and drained. */
    val done = BooleanArray(2)

    val finished: Boolean
        get() = done[A] && done[B]

    fun got(e: Int, op: Op, ch: Int) = book.received.add(e, code(op, ch))

    /** A channel for an operation that may wait for ever: A, or B once A is closed. */
    fun untimed(): Int = if (!done[A]) A else B

    /** A channel for an operation that gives up by itself. */
    fun any(): Int = if (done[A]) B else if (done[B]) A else rnd.nextInt(2)

    /** After a select failed on a closed channel: finds which. */
    fun lookForClosed() {
        for (c in 0..1) if (run.javas[c].isClosedForReceive) done[c] = true
    }
}

private fun tinyNanos(rnd: SplittableRandom): Long =
    if (rnd.nextInt(8) == 0) 0L else rnd.nextLong(1, 50_000)

private fun tinyMillis(rnd: SplittableRandom): Long = 1L + rnd.nextInt(2)

// -------------------------------------------------------------------------------------------------
// Java workers

private class PendingSend(val id: Int, val ch: Int, val f: CompletableFuture<Void>)

private class PendingReceive(val ch: Int, val f: CompletableFuture<Int>)

/**
 * Waits (not interruptibly) until [f] is done; the engine completes a claimed future right after.
 */
private fun awaitDone(run: Run, f: CompletableFuture<*>, what: String): Boolean {
    val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HANG_GUARD_MS)
    var spins = 0
    while (!f.isDone) {
        if (run.aborted) return false
        if (System.nanoTime() - deadline > 0) {
            run.failures.add(AssertionError("$what: the future never completed"))
            return false
        }
        if (++spins < 100) Thread.onSpinWait() else LockSupport.parkNanos(10_000)
    }
    return true
}

/** A done future's failure, or null if it completed normally. */
private fun failureOf(f: CompletableFuture<*>): Throwable? =
    try {
        f.join()
        null
    } catch (e: CompletionException) {
        e.cause ?: e
    } catch (e: CancellationException) {
        e
    }

private fun javaSender(run: Run, t: SendTally) {
    val rnd = t.rnd
    val pending = ArrayList<PendingSend>()

    fun settle(p: PendingSend) {
        if (!awaitDone(run, p.f, "sendAsync")) {
            t.uncertain(p.id, Op.J_SEND_ASYNC, p.ch)
            return
        }
        val failure = failureOf(p.f)
        if (failure == null) {
            t.sent(p.id, Op.J_SEND_ASYNC, p.ch)
        } else if (failure is ChannelClosedException) {
            t.closed(p.id, Op.J_SEND_ASYNC, p.ch)
        } else {
            if (failure is TimeoutException) t.book.event(Event.SEND_FUTURE_TIMED_OUT)
            t.failed(p.id, Op.J_SEND_ASYNC, p.ch)
        }
    }

    /** Withdraws a send in one of the ways sendAsync's javadoc lists; true means not sent. */
    fun withdraw(p: PendingSend) {
        val withdrawn =
            when (rnd.nextInt(3)) {
                0 -> p.f.cancel(rnd.nextBoolean())
                1 -> p.f.complete(null)
                else -> p.f.completeExceptionally(TimeoutException("withdrawn"))
            }
        if (withdrawn) {
            t.book.event(Event.SEND_WITHDRAWN)
            t.failed(p.id, Op.J_SEND_ASYNC, p.ch)
        } else {
            t.book.event(Event.SEND_WITHDRAWAL_TOO_LATE)
            settle(p)
        }
    }

    while (t.going) {
        val it = pending.iterator()
        while (it.hasNext()) {
            val p = it.next()
            if (p.f.isDone) {
                it.remove()
                settle(p)
            }
        }
        if (pending.isNotEmpty() && rnd.nextInt(8) == 0) withdraw(pending.removeAt(0))

        val op = JAVA_SEND_OPS[rnd.nextInt(JAVA_SEND_OPS.size)]
        t.book.doing = op.name
        when (op) {
            Op.J_SEND -> {
                val x = t.take()
                try {
                    run.javas[A].send(x)
                    t.sent(x, op, A)
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                    t.failed(x, op, A)
                } catch (e: ChannelClosedException) {
                    t.closed(x, op, A)
                }
            }
            Op.J_SEND_TIMED -> {
                val x = t.take()
                val c = rnd.nextInt(2)
                try {
                    if (run.javas[c].send(x, Duration.ofNanos(tinyNanos(rnd)))) t.sent(x, op, c)
                    else t.failed(x, op, c)
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                    t.failed(x, op, c)
                } catch (e: ChannelClosedException) {
                    t.closed(x, op, c)
                }
            }
            Op.J_TRY_SEND -> {
                val x = t.take()
                val c = rnd.nextInt(2)
                val tries = 1 + rnd.nextInt(64)
                try {
                    var ok = false
                    for (i in 1..tries) {
                        if (run.javas[c].trySend(x)) {
                            ok = true
                            break
                        }
                        if (i % 8 == 0) Thread.yield() else Thread.onSpinWait()
                    }
                    if (ok) t.sent(x, op, c) else t.failed(x, op, c)
                } catch (e: ChannelClosedException) {
                    t.closed(x, op, c)
                }
            }
            Op.J_SEND_ASYNC -> {
                val x = t.take()
                val c = rnd.nextInt(2)
                val p = PendingSend(x, c, run.javas[c].sendAsync(x))
                when (rnd.nextInt(5)) {
                    0 -> withdraw(p)
                    1 -> {
                        try {
                            p.f.get(rnd.nextLong(1, 200), TimeUnit.MICROSECONDS)
                        } catch (e: TimeoutException) {} catch (e: InterruptedException) {} catch (
                            e: ExecutionException) {} catch (e: CancellationException) {}
                        if (p.f.isDone) settle(p) else withdraw(p)
                    }
                    2 -> {
                        p.f.orTimeout(rnd.nextLong(1, 500), TimeUnit.MICROSECONDS)
                        pending.add(p)
                    }
                    else -> if (pending.size < 4) pending.add(p) else withdraw(p)
                }
            }
            Op.J_SELECT_SEND -> {
                val x = t.take()
                val y = t.fresh()
                val clauses = ArrayList<SelectClause<out Int>>()
                clauses.add(run.javas[A].onSend(x) { A })
                clauses.add(if (rnd.nextBoolean()) 1 else 0, run.javas[B].onSend(y) { B })
                if (rnd.nextBoolean())
                    clauses.add(Select.onTimeout(Duration.ofNanos(tinyNanos(rnd))) { -1 })
                try {
                    val array = clauses.toTypedArray()
                    val r =
                        if (rnd.nextBoolean()) Select.select(*array)
                        else Select.selectUnbiased(*array)
                    when (r) {
                        A -> {
                            t.sent(x, op, A)
                            t.failed(y, op, B)
                        }
                        B -> {
                            t.sent(y, op, B)
                            t.failed(x, op, A)
                        }
                        else -> {
                            t.failed(x, op, A)
                            t.failed(y, op, B)
                        }
                    }
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                    t.failed(x, op, A)
                    t.failed(y, op, B)
                } catch (e: ChannelClosedException) {
                    t.closed(x, op, A)
                    t.closed(y, op, B)
                }
            }
            else -> error("not a Java send: $op")
        }
    }
    t.book.doing = "settling ${pending.size} sendAsync futures"
    Thread.interrupted()
    for (p in pending) settle(p)
    t.finish()
    t.book.doing = "finished"
}

private fun javaReceiver(run: Run, t: ReceiveTally, ops: Array<Op>) {
    val rnd = t.rnd
    val pending = ArrayList<PendingReceive>()

    fun settle(p: PendingReceive) {
        if (!awaitDone(run, p.f, "receiveAsync")) return
        val failure = failureOf(p.f)
        if (failure == null) {
            val e: Int? = p.f.join()
            if (e == null || e < 0) {
                run.failures.add(
                    AssertionError("receiveAsync completed with $e though its withdrawal failed")
                )
            } else {
                t.got(e, Op.J_RECEIVE_ASYNC, p.ch)
            }
        } else if (failure is ChannelClosedException) {
            t.done[p.ch] = true
        } else if (failure is TimeoutException) {
            t.book.event(Event.RECEIVE_FUTURE_TIMED_OUT)
        }
    }

    /**
     * Withdraws a receive in one of the ways receiveAsync's javadoc lists; true means nothing
     * taken.
     */
    fun withdraw(p: PendingReceive) {
        val withdrawn =
            when (rnd.nextInt(3)) {
                0 -> p.f.cancel(rnd.nextBoolean())
                1 -> p.f.complete(-1)
                else -> p.f.completeExceptionally(TimeoutException("withdrawn"))
            }
        if (withdrawn) {
            t.book.event(Event.RECEIVE_WITHDRAWN)
        } else {
            t.book.event(Event.RECEIVE_WITHDRAWAL_TOO_LATE)
            settle(p)
        }
    }

    while (!t.finished) {
        val it = pending.iterator()
        while (it.hasNext()) {
            val p = it.next()
            if (p.f.isDone) {
                it.remove()
                settle(p)
            }
        }
        if (pending.isNotEmpty() && rnd.nextInt(8) == 0) withdraw(pending.removeAt(0))

        val op = ops[rnd.nextInt(ops.size)]
        t.book.doing = op.name
        when (op) {
            Op.J_RECEIVE -> {
                val c = t.untimed()
                try {
                    t.got(run.javas[c].receive(), op, c)
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                } catch (e: ChannelClosedException) {
                    t.done[c] = true
                }
            }
            Op.J_RECEIVE_TIMED -> {
                val c = t.any()
                try {
                    run.javas[c].receive(Duration.ofNanos(tinyNanos(rnd)))?.let { e ->
                        t.got(e, op, c)
                    }
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                } catch (e: ChannelClosedException) {
                    t.done[c] = true
                }
            }
            Op.J_TRY_RECEIVE -> {
                val c = t.any()
                val tries = 1 + rnd.nextInt(64)
                try {
                    for (i in 1..tries) {
                        val e = run.javas[c].tryReceive()
                        if (e != null) {
                            t.got(e, op, c)
                            break
                        }
                        if (i % 8 == 0) Thread.yield() else Thread.onSpinWait()
                    }
                } catch (e: ChannelClosedException) {
                    t.done[c] = true
                }
            }
            Op.J_RECEIVE_ASYNC -> {
                val c = t.any()
                val p = PendingReceive(c, run.javas[c].receiveAsync())
                when (rnd.nextInt(5)) {
                    0 -> withdraw(p)
                    1 -> {
                        try {
                            p.f.get(rnd.nextLong(1, 200), TimeUnit.MICROSECONDS)
                        } catch (e: TimeoutException) {} catch (e: InterruptedException) {} catch (
                            e: ExecutionException) {} catch (e: CancellationException) {}
                        if (p.f.isDone) settle(p) else withdraw(p)
                    }
                    2 -> {
                        p.f.orTimeout(rnd.nextLong(1, 500), TimeUnit.MICROSECONDS)
                        pending.add(p)
                    }
                    else -> if (pending.size < 4) pending.add(p) else withdraw(p)
                }
            }
            Op.J_SELECT_RECEIVE -> {
                val clauses = ArrayList<SelectClause<out Long>>()
                for (c in 0..1) {
                    if (!t.done[c]) {
                        val clause = run.javas[c].onReceive { e -> e.toLong() * 2 + c }
                        if (rnd.nextBoolean()) clauses.add(clause) else clauses.add(0, clause)
                    }
                }
                if (t.done[A] || rnd.nextBoolean())
                    clauses.add(Select.onTimeout(Duration.ofNanos(tinyNanos(rnd))) { -1L })
                try {
                    val array = clauses.toTypedArray()
                    val r =
                        if (rnd.nextBoolean()) Select.select(*array)
                        else Select.selectUnbiased(*array)
                    if (r >= 0) t.got((r / 2).toInt(), op, (r % 2).toInt())
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                } catch (e: ChannelClosedException) {
                    t.lookForClosed()
                }
            }
            Op.J_ITERATOR -> {
                val c = t.untimed()
                try {
                    val iterator = run.javas[c].iterator()
                    var broke = false
                    while (iterator.hasNext()) {
                        t.got(iterator.next(), op, c)
                        if (rnd.nextInt(4) == 0) {
                            broke = true
                            break
                        }
                    }
                    if (!broke) t.done[c] = true
                } catch (e: CancellationException) {
                    // Interrupted while waiting; the iterator holds nothing.
                    t.book.event(Event.INTERRUPTED)
                }
            }
            Op.J_SELECT_MIXED -> {
                if (!t.mayMix) continue
                // Always with a timeout: a select that may send on A must not wait for ever (see
                // above).
                val rc = rnd.nextInt(2)
                val sc = 1 - rc
                val y = t.sends.take()
                val clauses = ArrayList<SelectClause<out Long>>()
                clauses.add(run.javas[rc].onReceive { e -> e.toLong() * 2 + rc })
                clauses.add(rnd.nextInt(2), run.javas[sc].onSend(y) { -2L })
                clauses.add(Select.onTimeout(Duration.ofNanos(tinyNanos(rnd))) { -1L })
                try {
                    val array = clauses.toTypedArray()
                    val r =
                        if (rnd.nextBoolean()) Select.select(*array)
                        else Select.selectUnbiased(*array)
                    when {
                        r >= 0 -> {
                            t.got((r / 2).toInt(), op, (r % 2).toInt())
                            t.sends.failed(y, op, sc)
                        }
                        r == -2L -> t.sends.sent(y, op, sc)
                        else -> t.sends.failed(y, op, sc)
                    }
                } catch (e: InterruptedException) {
                    t.book.event(Event.INTERRUPTED)
                    t.sends.failed(y, op, sc)
                } catch (e: ChannelClosedException) {
                    t.sends.closed(y, op, sc)
                    t.lookForClosed()
                }
            }
            else -> error("not a Java receive: $op")
        }
    }
    t.book.doing = "settling ${pending.size} receiveAsync futures"
    Thread.interrupted()
    for (p in pending) settle(p)
    t.sends.finish()
    t.book.doing = "finished"
}

// -------------------------------------------------------------------------------------------------
// Coroutine workers

private suspend fun coroutineSender(run: Run, t: SendTally, ops: Array<Op>) {
    val rnd = t.rnd
    val views = run.views
    while (t.going) {
        if (rnd.nextInt(16) == 0) yield()
        val op = ops[rnd.nextInt(ops.size)]
        t.book.doing = op.name
        when (op) {
            Op.K_SEND -> {
                val x = t.take()
                try {
                    views[A].send(x)
                    t.sent(x, op, A)
                } catch (e: ClosedSendChannelException) {
                    t.closed(x, op, A)
                }
            }
            Op.K_TRY_SEND -> {
                val x = t.take()
                val c = rnd.nextInt(2)
                val tries = 1 + rnd.nextInt(32)
                var outcome = 0 // 0 failed, 1 sent, 2 closed
                for (i in 1..tries) {
                    val r = views[c].trySend(x)
                    if (r.isSuccess) {
                        outcome = 1
                        break
                    }
                    if (r.isClosed) {
                        outcome = 2
                        break
                    }
                    yield()
                }
                when (outcome) {
                    1 -> t.sent(x, op, c)
                    2 -> t.closed(x, op, c)
                    else -> t.failed(x, op, c)
                }
            }
            Op.K_SELECT_SEND,
            Op.K_SELECT_SEND_TIMEOUT -> {
                val x = t.take()
                val y = t.fresh()
                val aFirst = rnd.nextBoolean()
                val timeout = if (op == Op.K_SELECT_SEND_TIMEOUT) rnd.nextLong(0, 2) else -1L
                val r =
                    try {
                        select<Int> {
                            if (aFirst) views[A].onSend(x) { A }
                            views[B].onSend(y) { B }
                            if (!aFirst) views[A].onSend(x) { A }
                            if (timeout >= 0) onTimeout(timeout) { -1 }
                        }
                    } catch (e: ClosedSendChannelException) {
                        -2
                    }
                when (r) {
                    A -> {
                        t.sent(x, op, A)
                        t.failed(y, op, B)
                    }
                    B -> {
                        t.sent(y, op, B)
                        t.failed(x, op, A)
                    }
                    -1 -> {
                        t.failed(x, op, A)
                        t.failed(y, op, B)
                    }
                    else -> {
                        t.closed(x, op, A)
                        t.closed(y, op, B)
                    }
                }
            }
            Op.K_SEND_TIMEOUT -> {
                val x = t.take()
                val c = rnd.nextInt(2)
                var ok = false
                var closed = false
                withTimeoutOrNull(tinyMillis(rnd)) {
                    try {
                        views[c].send(x)
                        ok = true
                    } catch (e: ClosedSendChannelException) {
                        closed = true
                    }
                }
                if (ok) t.sent(x, op, c) else if (closed) t.closed(x, op, c) else t.failed(x, op, c)
            }
            Op.K_SEND_CANCEL -> {
                val x = t.take()
                val c = rnd.nextInt(2)
                val yields = rnd.nextInt(4)
                var ok = false
                var closed = false
                coroutineScope {
                    val job = launch {
                        try {
                            views[c].send(x)
                            ok = true
                        } catch (e: ClosedSendChannelException) {
                            closed = true
                        }
                    }
                    repeat(yields) { yield() }
                    job.cancel()
                }
                if (ok) {
                    t.book.event(Event.SEND_CANCELLED_TOO_LATE)
                    t.sent(x, op, c)
                } else if (closed) {
                    t.closed(x, op, c)
                } else {
                    t.book.event(Event.SEND_CANCELLED)
                    t.failed(x, op, c)
                }
            }
            Op.K_SELECT_SEND_CANCEL -> {
                val x = t.take()
                val y = t.fresh()
                val aFirst = rnd.nextBoolean()
                val byTimeout = rnd.nextBoolean()
                val timeout = tinyMillis(rnd)
                val yields = rnd.nextInt(4)
                var r = -1 // -1: unknown, -2: closed
                val body: suspend () -> Unit = {
                    try {
                        r = select {
                            if (aFirst) views[A].onSend(x) { A }
                            views[B].onSend(y) { B }
                            if (!aFirst) views[A].onSend(x) { A }
                        }
                    } catch (e: ClosedSendChannelException) {
                        r = -2
                    }
                }
                if (byTimeout) {
                    withTimeoutOrNull(timeout) { body() }
                } else {
                    coroutineScope {
                        val job = launch { body() }
                        repeat(yields) { yield() }
                        job.cancel()
                    }
                }
                when (r) {
                    A -> {
                        t.sent(x, op, A)
                        t.failed(y, op, B)
                    }
                    B -> {
                        t.sent(y, op, B)
                        t.failed(x, op, A)
                    }
                    -2 -> {
                        t.closed(x, op, A)
                        t.closed(y, op, B)
                    }
                    else -> {
                        // Cancelled: kotlinx's prompt cancellation of a select may hide a chosen
                        // onSend.
                        t.book.event(Event.SELECT_SEND_CANCELLED)
                        t.uncertain(x, op, A)
                        t.uncertain(y, op, B)
                        t.book.uncertainPairs.add(x.toLong() shl 32 or y.toLong())
                    }
                }
            }
            else -> error("not a coroutine send: $op")
        }
    }
    t.finish()
    t.book.doing = "finished"
}

/** A kotlinx select over the channels not seen closed yet, booking what it received. */
private suspend fun selectReceive(
    run: Run,
    t: ReceiveTally,
    op: Op,
    catching: Boolean,
    timeout: Long,
    aFirst: Boolean,
) {
    val views = run.views
    val order = if (aFirst) intArrayOf(A, B) else intArrayOf(B, A)
    try {
        select<Unit> {
            for (c in order) {
                if (t.done[c]) continue
                if (catching) {
                    views[c].onReceiveCatching { r ->
                        if (r.isSuccess) t.got(r.getOrThrow(), op, c)
                        else if (r.isClosed) t.done[c] = true
                    }
                } else {
                    views[c].onReceive { e -> t.got(e, op, c) }
                }
            }
            if (timeout >= 0) onTimeout(timeout) {}
        }
    } catch (e: ClosedReceiveChannelException) {
        t.lookForClosed()
    }
}

private suspend fun coroutineReceiver(run: Run, t: ReceiveTally, ops: Array<Op>) {
    val rnd = t.rnd
    val views = run.views
    while (!t.finished) {
        if (rnd.nextInt(16) == 0) yield()
        val op = ops[rnd.nextInt(ops.size)]
        t.book.doing = op.name
        when (op) {
            Op.K_RECEIVE -> {
                val c = t.untimed()
                try {
                    t.got(views[c].receive(), op, c)
                } catch (e: ClosedReceiveChannelException) {
                    t.done[c] = true
                }
            }
            Op.K_RECEIVE_CATCHING -> {
                val c = t.untimed()
                val r = views[c].receiveCatching()
                if (r.isSuccess) t.got(r.getOrThrow(), op, c) else if (r.isClosed) t.done[c] = true
            }
            Op.K_TRY_RECEIVE -> {
                val c = t.any()
                val tries = 1 + rnd.nextInt(32)
                for (i in 1..tries) {
                    val r = views[c].tryReceive()
                    if (r.isSuccess) {
                        t.got(r.getOrThrow(), op, c)
                        break
                    }
                    if (r.isClosed) {
                        t.done[c] = true
                        break
                    }
                    yield()
                }
            }
            Op.K_FOR -> {
                val c = t.untimed()
                var broke = false
                for (e in views[c]) {
                    t.got(e, op, c)
                    if (rnd.nextInt(4) == 0) {
                        broke = true
                        break
                    }
                }
                if (!broke) t.done[c] = true
            }
            Op.K_SELECT_RECEIVE,
            Op.K_SELECT_RECEIVE_CATCHING,
            Op.K_SELECT_RECEIVE_TIMEOUT -> {
                // Without a timeout only while A is open or closed: see the class comment.
                val timeout = if (op == Op.K_SELECT_RECEIVE_TIMEOUT) rnd.nextLong(0, 2) else -1L
                selectReceive(
                    run,
                    t,
                    op,
                    op == Op.K_SELECT_RECEIVE_CATCHING,
                    timeout,
                    rnd.nextBoolean(),
                )
            }
            Op.K_RECEIVE_TIMEOUT -> {
                val c = t.any()
                withTimeoutOrNull(tinyMillis(rnd)) {
                    try {
                        t.got(views[c].receive(), op, c)
                    } catch (e: ClosedReceiveChannelException) {
                        t.done[c] = true
                    }
                }
            }
            Op.K_RECEIVE_CANCEL -> {
                val c = t.any()
                val yields = rnd.nextInt(4)
                val catching = rnd.nextBoolean()
                coroutineScope {
                    val job = launch {
                        if (catching) {
                            val r = views[c].receiveCatching()
                            if (r.isSuccess) t.got(r.getOrThrow(), op, c)
                            else if (r.isClosed) t.done[c] = true
                        } else {
                            try {
                                t.got(views[c].receive(), op, c)
                            } catch (e: ClosedReceiveChannelException) {
                                t.done[c] = true
                            }
                        }
                    }
                    repeat(yields) { yield() }
                    job.cancel()
                }
            }
            Op.K_SELECT_RECEIVE_CANCEL -> {
                val catching = rnd.nextBoolean()
                val aFirst = rnd.nextBoolean()
                if (rnd.nextBoolean()) {
                    val timeout = tinyMillis(rnd)
                    withTimeoutOrNull(timeout) { selectReceive(run, t, op, catching, -1, aFirst) }
                } else {
                    val yields = rnd.nextInt(4)
                    coroutineScope {
                        val job = launch { selectReceive(run, t, op, catching, -1, aFirst) }
                        repeat(yields) { yield() }
                        job.cancel()
                    }
                }
            }
            Op.K_SELECT_MIXED -> {
                if (!t.mayMix) continue
                // Always with a timeout: a select that may send on A must not wait for ever (see
                // above).
                val rc = rnd.nextInt(2)
                val sc = 1 - rc
                val y = t.sends.take()
                val sendFirst = rnd.nextBoolean()
                val timeout = rnd.nextLong(0, 2)
                val r =
                    try {
                        select<Long> {
                            if (sendFirst) views[sc].onSend(y) { -2L }
                            views[rc].onReceive { e -> e.toLong() * 2 + rc }
                            if (!sendFirst) views[sc].onSend(y) { -2L }
                            onTimeout(timeout) { -1L }
                        }
                    } catch (e: ClosedReceiveChannelException) {
                        -3L
                    } catch (e: ClosedSendChannelException) {
                        -3L
                    }
                when {
                    r >= 0 -> {
                        t.got((r / 2).toInt(), op, (r % 2).toInt())
                        t.sends.failed(y, op, sc)
                    }
                    r == -2L -> t.sends.sent(y, op, sc)
                    r == -1L -> t.sends.failed(y, op, sc)
                    else -> {
                        t.sends.closed(y, op, sc)
                        t.lookForClosed()
                    }
                }
            }
            else -> error("not a coroutine receive: $op")
        }
    }
    t.sends.finish()
    t.book.doing = "finished"
}

// -------------------------------------------------------------------------------------------------
// Threads

/** Virtual threads through reflection: the module is compiled against the Java 17 API. */
private object VirtualThreads {
    val available: Boolean = Runtime.version().feature() >= 21

    private val builderClass: Class<*> by lazy { Class.forName("java.lang.Thread\$Builder") }

    fun isVirtual(thread: Thread): Boolean =
        available && Thread::class.java.getMethod("isVirtual").invoke(thread) as Boolean

    fun unstarted(name: String, task: Runnable): Thread {
        val builder = Thread::class.java.getMethod("ofVirtual").invoke(null)
        val named = builderClass.getMethod("name", String::class.java).invoke(builder, name)
        return builderClass.getMethod("unstarted", Runnable::class.java).invoke(named, task)
            as Thread
    }
}

// -------------------------------------------------------------------------------------------------
// A scenario

private class Plan(
    val javaSenders: Int = 0,
    val virtualSenders: Int = 0,
    val javaReceivers: Int = 0,
    val virtualReceivers: Int = 0,
    val javaReceiveOps: Array<Op> = JAVA_RECEIVE_OPS,
    val coroutineSenders: List<Pair<CoroutineDispatcher, Array<Op>>> = emptyList(),
    val coroutineReceivers: List<Pair<CoroutineDispatcher, Array<Op>>> = emptyList(),
)

private fun dispatcherName(d: CoroutineDispatcher) =
    if (d === Dispatchers.Unconfined) "unconfined" else "default"

/** What the rounds of one test did, summed: printed once per test. */
private class Totals {
    val counts = java.util.TreeMap<String, Long>()

    fun add(key: String, n: Long) {
        if (n != 0L) counts[key] = (counts[key] ?: 0L) + n
    }

    override fun toString(): String = counts.entries.joinToString(", ") { "${it.key} ${it.value}" }
}

/**
 * Runs [ROUNDS] rounds of [plan], each with new channels; fails on the first round that goes wrong.
 */
private suspend fun runScenario(name: String, capacity: Int, plan: Plan) {
    val totals = Totals()
    val started = System.nanoTime()
    for (round in 1..ROUNDS) runRound(capacity, plan, round, totals)
    val millis = (System.nanoTime() - started) / 1_000_000
    println(
        "[MixedFacesStressSpec] ${stressCapacityName(capacity)}, $name: $ROUNDS rounds in $millis ms; $totals"
    )
}

private suspend fun runRound(capacity: Int, plan: Plan, round: Int, totals: Totals) {
    val seed = System.nanoTime()
    val run = Run(capacity, TARGET, seed)
    val scope = CoroutineScope(SupervisorJob())
    val jobs = ArrayList<Job>()
    val threadsDone = ArrayList<CompletableDeferred<Unit>>()
    val started = System.nanoTime()

    fun startThread(name: String, virtual: Boolean, body: () -> Unit) {
        val done = CompletableDeferred<Unit>()
        val task = Runnable {
            try {
                body()
            } catch (e: Throwable) {
                if (!run.aborted) run.failures.add(AssertionError("$name failed", e))
            } finally {
                done.complete(Unit)
            }
        }
        val thread =
            if (virtual) VirtualThreads.unstarted(name, task)
            else Thread(task, name).apply { isDaemon = true }
        totals.add(
            if (VirtualThreads.isVirtual(thread)) "virtual threads" else "platform threads",
            1,
        )
        run.javaThreads.add(thread)
        threadsDone.add(done)
        thread.start()
    }

    fun startCoroutine(name: String, dispatcher: CoroutineDispatcher, body: suspend () -> Unit) {
        // Launched from a Default thread so that an unconfined worker's first steps do not run in
        // this test's coroutine.
        jobs +=
            scope.launch(Dispatchers.Default) {
                launch(dispatcher) {
                    try {
                        body()
                    } catch (e: Throwable) {
                        if (!run.aborted) run.failures.add(AssertionError("$name failed", e))
                    }
                }
            }
    }

    // Receivers first, then senders.
    var n = 0
    repeat(plan.javaReceivers) {
        val name = "java-receiver-${n++}"
        val t = ReceiveTally(run, run.book(name), run.random())
        startThread(name, false) { javaReceiver(run, t, plan.javaReceiveOps) }
    }
    if (VirtualThreads.available) {
        repeat(plan.virtualReceivers) {
            val name = "virtual-receiver-${n++}"
            val t = ReceiveTally(run, run.book(name), run.random())
            startThread(name, true) { javaReceiver(run, t, plan.javaReceiveOps) }
        }
    }
    for ((dispatcher, ops) in plan.coroutineReceivers) {
        val name = "${dispatcherName(dispatcher)}-coroutine-receiver-${n++}"
        val t = ReceiveTally(run, run.book(name), run.random())
        startCoroutine(name, dispatcher) { coroutineReceiver(run, t, ops) }
    }
    repeat(plan.javaSenders) {
        val name = "java-sender-${n++}"
        val t = SendTally(run, run.book(name), run.random())
        startThread(name, false) { javaSender(run, t) }
    }
    if (VirtualThreads.available) {
        repeat(plan.virtualSenders) {
            val name = "virtual-sender-${n++}"
            val t = SendTally(run, run.book(name), run.random())
            startThread(name, true) { javaSender(run, t) }
        }
    }
    for ((dispatcher, ops) in plan.coroutineSenders) {
        val name = "${dispatcherName(dispatcher)}-coroutine-sender-${n++}"
        val t = SendTally(run, run.book(name), run.random())
        startCoroutine(name, dispatcher) { coroutineSender(run, t, ops) }
    }

    // Interrupts the Java workers at random while the sends go on.
    val workers = ArrayList(run.javaThreads)
    val interrupter =
        Thread(
                {
                    val rnd = run.random()
                    while (!run.stop && !run.aborted && workers.isNotEmpty()) {
                        workers[rnd.nextInt(workers.size)].interrupt()
                        LockSupport.parkNanos(rnd.nextLong(20_000, 500_000))
                    }
                },
                "interrupter",
            )
            .apply { isDaemon = true }
    interrupter.start()

    // Waits for the workers; gives up at once if one failed (the others may then wait for ever), or
    // when the hang guard runs out.
    val deadline = started + TimeUnit.MILLISECONDS.toNanos(HANG_GUARD_MS)
    var finished = false
    while (run.failures.isEmpty() && System.nanoTime() - deadline < 0) {
        val all =
            withTimeoutOrNull(100) {
                jobs.joinAll()
                threadsDone.awaitAll()
            }
        if (all != null) {
            finished = true
            break
        }
    }
    if (!finished) {
        val report = StringBuilder()
        if (run.failures.isEmpty()) {
            report.append("HANG: round $round not finished after $HANG_GUARD_MS ms")
        } else {
            report.append("WORKER FAILED in round $round")
        }
        report.append(
            " (capacity $capacity, seed $seed); successful sends ${run.successes.get()} of ${run.target}, "
        )
        report.append("stop=${run.stop}\nA: ${run.javas[A]}\nB: ${run.javas[B]}\n")
        for (b in run.books) report.append("  ${b.name}: ${b.doing}\n")
        for (th in run.javaThreads) {
            if (!th.isAlive) continue
            report.append("thread ${th.name} ${th.state}\n")
            for (frame in th.stackTrace.take(25)) report.append("    at $frame\n")
        }
        val error = AssertionError(report.toString())
        for (f in run.failures.take(5)) error.addSuppressed(f)
        run.aborted = true
        scope.cancel()
        for (th in run.javaThreads) th.interrupt()
        run.views[A].close()
        run.views[B].close()
        throw error
    }
    interrupter.join()

    // What is left: elements given back by receives cancelled after the others had seen the end,
    // in the channel, or (once it was closed and drained) handed to onUndeliveredElement.
    val drain = run.book("drain")
    for (c in 0..1) {
        while (true) {
            val r = run.views[c].tryReceive()
            if (!r.isSuccess) break
            drain.received.add(r.getOrThrow(), code(Op.DRAIN, c))
        }
        for (e in run.undelivered[c]) drain.received.add(e, code(Op.UNDELIVERED, c))
        if (!run.javas[c].isClosedForReceive) {
            run.failures.add(
                AssertionError(
                    "channel ${"AB"[c]} not closed for receive after the drain: ${run.javas[c]}"
                )
            )
        }
    }
    val millis = (System.nanoTime() - started) / 1_000_000
    verify(run, round, millis, totals)
}

// -------------------------------------------------------------------------------------------------
// The check

private fun verify(run: Run, round: Int, millis: Long, totals: Totals) {
    val n = run.idCount
    val books = run.books.toList()
    val status = ByteArray(n) // 0 unreported, 1 sent, 2 not sent, 3 unknown
    val sendCode = ByteArray(n)
    val sendBook = ShortArray(n)
    val received = ByteArray(n)
    val recvCode = ByteArray(n)
    val recvBook = ShortArray(n)
    val problems = ArrayList<String>()
    val counts = HashMap<String, Int>()
    var violations = 0
    var harness = 0

    fun problem(text: String) {
        if (problems.size < 40) problems.add(text)
    }

    fun count(key: String) {
        counts[key] = (counts[key] ?: 0) + 1
    }

    fun sender(id: Int) = "${books[sendBook[id].toInt()].name} via ${describe(sendCode[id])}"

    fun firstReceiver(id: Int) = "${books[recvBook[id].toInt()].name} via ${describe(recvCode[id])}"

    for ((bi, b) in books.withIndex()) {
        for ((log, st) in listOf(b.sent to 1, b.unsent to 2, b.uncertain to 3)) {
            for (i in 0 until log.size) {
                val id = log.ids[i]
                if (status[id].toInt() != 0) {
                    harness++
                    problem(
                        "HARNESS: element $id booked twice: ${sender(id)} and ${b.name} via ${describe(log.codes[i])}"
                    )
                }
                status[id] = st.toByte()
                sendCode[id] = log.codes[i]
                sendBook[id] = bi.toShort()
                if (st == 1) count("sent " + OPS[log.codes[i] / 2])
            }
        }
    }
    for (id in 0 until n) {
        if (status[id].toInt() == 0) {
            harness++
            problem("HARNESS: element $id never booked as sent, not sent or unknown")
        }
    }
    for ((bi, b) in books.withIndex()) {
        val log = b.received
        for (i in 0 until log.size) {
            val id = log.ids[i]
            if (id < 0 || id >= n) {
                violations++
                problem(
                    "PHANTOM: ${b.name} received $id via ${describe(log.codes[i])}, which no one sent"
                )
                continue
            }
            count("received " + OPS[log.codes[i] / 2])
            if (received[id].toInt() == 0) {
                recvCode[id] = log.codes[i]
                recvBook[id] = bi.toShort()
            } else {
                violations++
                problem(
                    "DUPLICATE: element $id (sent by ${sender(id)}, booked ${"?SNU"[status[id].toInt()]}) received by " +
                        "${firstReceiver(id)} and again by ${b.name} via ${describe(log.codes[i])}"
                )
            }
            if (received[id] < 100) received[id]++
        }
    }
    var uncertainReceived = 0
    for (id in 0 until n) {
        val r = received[id].toInt()
        when (status[id].toInt()) {
            1 ->
                if (r == 0) {
                    violations++
                    problem("LOST: element $id sent by ${sender(id)} was never received")
                }
            2 ->
                if (r > 0) {
                    violations++
                    problem(
                        "UNSENT BUT RECEIVED: element $id, failed in ${sender(id)}, received by ${firstReceiver(id)}"
                    )
                }
            3 -> if (r > 0) uncertainReceived++
        }
    }
    var pairs = 0
    for (b in books) {
        for (p in b.uncertainPairs) {
            pairs++
            val x = (p ushr 32).toInt()
            val y = (p and 0xffffffffL).toInt()
            if (received[x] > 0 && received[y] > 0) {
                violations++
                problem(
                    "BOTH CLAUSES: elements $x and $y of one select (${sender(x)}) were both received, by " +
                        "${firstReceiver(x)} and ${firstReceiver(y)}"
                )
            }
        }
    }
    val failures = run.failures.toList()
    val sent = books.sumOf { it.sent.size }
    val unsent = books.sumOf { it.unsent.size }
    val uncertain = books.sumOf { it.uncertain.size }
    val receivedTotal = books.sumOf { it.received.size }
    val drained = books.last().received.size
    val summary =
        "round $round, capacity ${run.capacity}: ${millis} ms, seed ${run.seed}; elements $n: sent $sent, not sent " +
            "$unsent, unknown $uncertain ($uncertainReceived received, $pairs select pairs); received " +
            "$receivedTotal ($drained drained at the end)"
    totals.add("elements", n.toLong())
    totals.add("not sent", unsent.toLong())
    totals.add("unknown", uncertain.toLong())
    totals.add("unknown and received", uncertainReceived.toLong())
    totals.add("drained at the end", drained.toLong())
    for ((key, value) in counts) totals.add(key, value.toLong())
    for (e in Event.values()) totals.add(
        "event " + e.name,
        books.sumOf { it.events[e.ordinal] }.toLong(),
    )
    if (violations > 0 || harness > 0 || failures.isNotEmpty()) {
        val text = StringBuilder()
        text.append(
            "$violations violations, $harness bookkeeping errors, ${failures.size} worker failures; $summary\n"
        )
        for (p in problems) text.append("  ").append(p).append('\n')
        val error = AssertionError(text.toString())
        for (f in failures.take(5)) error.addSuppressed(f)
        throw error
    }
}

// -------------------------------------------------------------------------------------------------

/**
 * Java threads (platform and virtual), futures and coroutines (on Dispatchers.Default and
 * Dispatchers.Unconfined) on the same two channels, with cancellation, interruption and timeouts
 * everywhere: no element is lost or duplicated, and none that a send reported unsent arrives.
 */
class MixedFacesStressSpec :
    FunSpec({
        timeout = ROUNDS * HANG_GUARD_MS + 5 * 60_000L

        val default: CoroutineDispatcher = Dispatchers.Default
        val unconfined: CoroutineDispatcher = Dispatchers.Unconfined

        for (capacity in STRESS_CAPACITIES) {
            context(stressCapacityName(capacity)) {
                test("Java threads send, coroutines on Default receive") {
                    runScenario(
                        "Java threads send, coroutines receive",
                        capacity,
                        Plan(
                            javaSenders = 3,
                            virtualSenders = 2,
                            coroutineReceivers = List(4) { default to COROUTINE_RECEIVE_OPS },
                        ),
                    )
                }

                test("coroutines on Default send, Java threads receive") {
                    runScenario(
                        "coroutines send, Java threads receive",
                        capacity,
                        Plan(
                            javaReceivers = 3,
                            virtualReceivers = 2,
                            coroutineSenders = List(4) { default to COROUTINE_SEND_OPS },
                        ),
                    )
                }

                test("unconfined coroutines selecting, among threads and Default coroutines") {
                    runScenario(
                        "unconfined mix",
                        capacity,
                        Plan(
                            javaSenders = 1,
                            virtualSenders = 1,
                            javaReceivers = 1,
                            virtualReceivers = 1,
                            javaReceiveOps = MIX_JAVA_RECEIVE_OPS,
                            coroutineSenders =
                                listOf(default to COROUTINE_SEND_OPS) +
                                    List(3) { unconfined to UNCONFINED_SEND_OPS },
                            coroutineReceivers =
                                listOf(default to MIX_COROUTINE_RECEIVE_OPS) +
                                    List(3) { unconfined to UNCONFINED_RECEIVE_OPS },
                        ),
                    )
                }
            }
        }
    })
