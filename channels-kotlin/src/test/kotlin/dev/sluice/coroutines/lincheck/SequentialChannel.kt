package dev.sluice.coroutines.lincheck

import kotlinx.coroutines.CancellableContinuation
import kotlinx.coroutines.suspendCancellableCoroutine

/**
 * The sequential specification of a Sluice channel seen through its coroutine view, for Lincheck's
 * `sequentialSpecification`: a FIFO buffer of at most [capacity] elements, FIFO queues of suspended
 * senders and receivers, and the result that operations get once the channel is closed.
 *
 * It follows kotlinx.coroutines' own model of its channels
 * (jvm/test/lincheck/ChannelsLincheckTest.kt) except where Sluice documents different semantics
 * (DESIGN.md section 3):
 * - `close` fails the sends that are waiting: they keep their elements (kotlinx lets them deliver);
 *   so a closed channel never has a waiting sender, and is closed for receive once its buffer is
 *   drained;
 * - `cancel` after a `close` still discards what is buffered, and the first close's cause stays.
 *
 * Suspension is modelled with cancellable continuations, so that Lincheck can cancel a suspended
 * operation of the specification just as it cancels the real one: a cancelled operation of the
 * model leaves no trace (a sender or receiver whose continuation was cancelled is skipped).
 *
 * Results are encoded as [CoroutineChannelLincheckBase] encodes those of the real channel: `true`,
 * `false` or `null` for a try-operation that did or did not happen, the element, [Unit] for a send,
 * and `"Closed(n)"` / `"Cancelled(n)"` for an operation that failed because `close(n)` or
 * `cancel(n)` closed the channel first.
 */
abstract class SequentialChannel(private val capacity: Int) {
    private val senders = ArrayList<Pair<CancellableContinuation<Any>, Int>>()
    private val receivers = ArrayList<CancellableContinuation<Any>>()
    private val buffer = ArrayList<Int>()

    /** The result of every operation that fails on the closed channel; `null` while open. */
    private var closedBy: String? = null

    suspend fun send(element: Int): Any =
        when (val r = trySend(element)) {
            true -> Unit
            false -> suspendCancellableCoroutine { cont -> senders.add(cont to element) }
            else -> r
        }

    fun trySend(element: Int): Any {
        closedBy?.let {
            return it
        }
        if (resumeFirstReceiver(element)) return true
        if (buffer.size < capacity) {
            buffer.add(element)
            return true
        }
        return false
    }

    suspend fun receive(): Any =
        tryReceive() ?: suspendCancellableCoroutine { cont -> receivers.add(cont) }

    suspend fun receiveCatching(): Any = receive()

    fun tryReceive(): Any? {
        if (buffer.isNotEmpty()) {
            val head = buffer.removeAt(0)
            resumeFirstSender()?.let { buffer.add(it) }
            return head
        }
        resumeFirstSender()?.let {
            return it
        } // a rendezvous
        return closedBy // null: empty and open
    }

    fun close(token: Int): Boolean = closeWith("Closed($token)")

    fun cancel(token: Int) {
        closeWith("Cancelled($token)")
        buffer.clear()
    }

    private fun closeWith(result: String): Boolean {
        if (closedBy != null) return false
        closedBy = result
        for (r in receivers) r.tryResumeWith(result)
        receivers.clear()
        for ((s, _) in senders) s.tryResumeWith(
            result
        ) // Sluice: waiting sends fail, keep their elements
        senders.clear()
        return true
    }

    fun isClosedForSend(): Boolean = closedBy != null

    fun isClosedForReceive(): Boolean = closedBy != null && buffer.isEmpty()

    fun isEmpty(): Boolean =
        closedBy == null && buffer.isEmpty() && senders.none { it.first.isActive }

    private fun resumeFirstReceiver(element: Int): Boolean {
        while (receivers.isNotEmpty()) {
            if (receivers.removeAt(0).tryResumeWith(element)) return true
        }
        return false
    }

    private fun resumeFirstSender(): Int? {
        while (senders.isNotEmpty()) {
            val (s, element) = senders.removeAt(0)
            if (s.tryResumeWith(Unit)) return element
        }
        return null
    }

    // Lincheck merges states of the model that are equal; cancelled waiters do not count.
    override fun equals(other: Any?): Boolean =
        other is SequentialChannel &&
            other.javaClass == javaClass &&
            capacity == other.capacity &&
            closedBy == other.closedBy &&
            buffer == other.buffer &&
            waitingSenders() == other.waitingSenders() &&
            waitingReceivers() == other.waitingReceivers()

    override fun hashCode(): Int =
        listOf(capacity, closedBy, buffer, waitingSenders(), waitingReceivers()).hashCode()

    override fun toString(): String =
        "SequentialChannel(capacity=$capacity, buffer=$buffer, senders=${waitingSenders()}, " +
            "receivers=${waitingReceivers()}, closedBy=$closedBy)"

    private fun waitingSenders(): List<Int> = senders.filter { it.first.isActive }.map { it.second }

    private fun waitingReceivers(): Int = receivers.count { it.isActive }
}

/** Resumes this continuation unless it was cancelled; `false` if it was. */
private fun <T> CancellableContinuation<T>.tryResumeWith(value: T): Boolean {
    val token = tryResume(value) ?: return false
    completeResume(token)
    return true
}
