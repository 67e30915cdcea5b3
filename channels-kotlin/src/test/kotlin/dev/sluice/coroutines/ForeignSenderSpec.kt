package dev.sluice.coroutines

import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.SelectClause
import dev.sluice.channels.Sender
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.function.Supplier
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.supervisorScope

/**
 * The coroutine face of a [Sender] that is not a Sluice channel (as a Kafka sender is one): a
 * cancelled send throws only if it was withdrawn, a send under way reports its outcome, and what
 * the sender does not offer is refused clearly.
 */
class ForeignSenderSpec :
    FunSpec({
        test("send suspends until the sender reports the element sent") {
            val s = Gated()
            val ch = s.asSendChannel()
            coroutineScope {
                val sending = async(start = CoroutineStart.UNDISPATCHED) { ch.send(1) }
                sending.isActive shouldBe true
                s.finishAll()
                sending.await()
            }
            s.sent.toList() shouldBe listOf(1)
        }

        test("a send cancelled while it can still be withdrawn throws, and sent nothing") {
            val s = Gated()
            val ch = s.asSendChannel()
            coroutineScope {
                val sending = launch(start = CoroutineStart.UNDISPATCHED) { ch.send(1) }
                sending.cancel()
                sending.join()
                sending.isCancelled shouldBe true
            }
            s.finishAll()
            s.sent.toList() shouldBe emptyList()
            s.withdrawn shouldBe 1
        }

        test("a send cancelled once under way waits for its outcome and returns it") {
            val s = Gated()
            val ch = s.asSendChannel()
            val outcome = ConcurrentLinkedQueue<String>()
            coroutineScope {
                val sending =
                    launch(start = CoroutineStart.UNDISPATCHED) {
                        ch.send(1)
                        outcome += "returned"
                    }
                s.underWay = true // the element was handed on: the sender refuses to withdraw it
                sending.cancel()
                outcome.toList() shouldBe emptyList()
                s.finishAll()
                sending.join()
            }
            outcome.toList() shouldBe listOf("returned")
            s.sent.toList() shouldBe listOf(1)
        }

        test("a send under way that fails throws the sender's failure, not a cancellation") {
            val s = Gated()
            val ch = s.asSendChannel()
            supervisorScope {
                val sending = async(start = CoroutineStart.UNDISPATCHED) { ch.send(1) }
                s.underWay = true
                sending.cancel()
                s.failAll(IllegalStateException("broker said no"))
                shouldThrow<IllegalStateException> { sending.await() }.message shouldBe
                    "broker said no"
            }
        }

        test("trySend, close and isClosedForSend are the sender's; a closed one says so") {
            val s = Gated()
            val ch = s.asSendChannel()
            ch.trySend(7).isSuccess shouldBe true
            s.sent.toList() shouldBe listOf(7)
            ch.close() shouldBe true
            ch.isClosedForSend shouldBe true
            ch.trySend(8).isClosed shouldBe true
        }

        test("a send to a closed sender throws kotlinx's exception, or the close cause") {
            val s = Gated()
            val ch = s.asSendChannel()
            ch.close()
            shouldThrow<ClosedSendChannelException> { ch.send(1) }
            val failed = Gated(closeCause = IllegalStateException("gone"))
            failed.close()
            shouldThrow<IllegalStateException> { failed.asSendChannel().send(1) }.message shouldBe
                "gone"
        }

        test("trySend reports a sender's failure in its result instead of throwing") {
            val s = Gated(failTry = IllegalArgumentException("cannot serialize"))
            val result = s.asSendChannel().trySend(1)
            result.isClosed shouldBe true
            result.exceptionOrNull()!!.message shouldBe "cannot serialize"
        }

        test("a send whose future completes as its coroutine is cancelled returns normally") {
            val s = Gated()
            val ch = s.asSendChannel()
            val outcome = ConcurrentLinkedQueue<String>()
            coroutineScope {
                val sending =
                    launch(start = CoroutineStart.UNDISPATCHED) {
                        ch.send(1)
                        outcome += "returned"
                    }
                s.underWay = true
                s.finishAll() // the future completes before the coroutine resumes
                sending.cancel()
                sending.join()
            }
            outcome.toList() shouldBe listOf("returned")
            s.sent.toList() shouldBe listOf(1)
        }

        test("onSend and invokeOnClose are refused with UnsupportedOperationException") {
            val ch = Gated().asSendChannel()
            shouldThrow<UnsupportedOperationException> { ch.invokeOnClose {} }
            shouldThrow<UnsupportedOperationException> { select<Unit> { ch.onSend(1) {} } }
        }

        test("a flow sends into a foreign sender, and closes it when done") {
            val s = Gated(autoFinish = true)
            flowOf(1, 2, 3).sendTo(s)
            s.sent.toList() shouldBe listOf(1, 2, 3)
            s.isClosedForSend shouldBe true
        }
    })

/**
 * A sender whose sends finish when the test says so: each `sendAsync` is a future the test
 * completes, which withdraws on `cancel` until [underWay] is set.
 */
private class Gated(
    private val autoFinish: Boolean = false,
    private val closeCause: Throwable? = null,
    private val failTry: RuntimeException? = null,
) : Sender<Int> {
    val sent = ConcurrentLinkedQueue<Int>()
    private val pending = ConcurrentLinkedQueue<Pair<Int, CompletableFuture<Void>>>()
    @Volatile var underWay = false
    @Volatile var withdrawn = 0
    @Volatile private var closed = false

    fun finishAll() {
        while (true) {
            val (e, f) = pending.poll() ?: return
            if (!f.isCancelled) {
                sent += e
                f.complete(null)
            }
        }
    }

    fun failAll(failure: Throwable) {
        while (true) {
            val (_, f) = pending.poll() ?: return
            f.completeExceptionally(failure)
        }
    }

    override fun sendAsync(element: Int): CompletableFuture<Void> {
        if (closed) {
            return CompletableFuture.failedFuture(ChannelClosedException("closed", closeCause))
        }
        val f =
            object : CompletableFuture<Void>() {
                override fun cancel(mayInterruptIfRunning: Boolean): Boolean {
                    if (underWay || !super.cancel(mayInterruptIfRunning)) return false
                    withdrawn++
                    return true
                }
            }
        pending += element to f
        if (autoFinish) finishAll()
        return f
    }

    override fun trySend(element: Int): Boolean {
        if (closed) throw ChannelClosedException("closed", closeCause)
        failTry?.let { throw it }
        sent += element
        return true
    }

    override fun send(element: Int) {
        sendAsync(element).join()
    }

    override fun send(element: Int, timeout: Duration): Boolean = trySend(element)

    override fun sendAll(elements: Iterable<Int>): Int = elements.count { trySend(it) }

    override fun <R : Any> onSend(element: Int, then: Supplier<out R>): SelectClause<R> =
        throw UnsupportedOperationException("a test sender")

    override fun close(): Boolean = !closed.also { closed = true }

    override fun close(cause: Throwable): Boolean = close()

    override fun isClosedForSend(): Boolean = closed
}
