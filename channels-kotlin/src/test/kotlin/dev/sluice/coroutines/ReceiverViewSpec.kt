package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.Receiver
import dev.sluice.channels.ReceiverView
import dev.sluice.channels.SelectClause
import io.kotest.assertions.fail
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Function
import java.util.stream.Stream
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel as KotlinxChannel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeoutOrNull
import kotlinx.coroutines.yield

/**
 * The coroutine face of a [ReceiverView] (as a Kafka receiver is one): every element taken from the
 * source reaches one coroutine through `viewTaken`, once; cancelled waits and losing select clauses
 * take nothing; `cancel` goes to the view, never to its source.
 */
class ReceiverViewSpec :
    FunSpec({
        test("receive, tryReceive, receiveCatching and the iterator turn each element once") {
            val view = Labelled(JavaChannel.bounded(8))
            val ch = view.asReceiveChannel()
            for (i in 1..5) view.source.send(i)
            view.source.close()
            ch.receive() shouldBe "#1"
            ch.tryReceive().getOrNull() shouldBe "#2"
            ch.receiveCatching().getOrNull() shouldBe "#3"
            val rest = mutableListOf<String>()
            for (e in ch) rest += e
            rest shouldBe listOf("#4", "#5")
            ch.receiveCatching().isClosed shouldBe true
            ch.tryReceive().isClosed shouldBe true
            shouldThrow<ClosedReceiveChannelException> { ch.receive() }
            view.taken.toList() shouldBe listOf(1, 2, 3, 4, 5)
        }

        test("a coroutine cancelled while it waits took nothing") {
            val view = Labelled(JavaChannel.bounded(1))
            val ch = view.asReceiveChannel()
            coroutineScope {
                val waiting = launch(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
                waiting.cancel()
                waiting.join()
            }
            view.source.send(7)
            view.taken.toList() shouldBe emptyList()
            ch.receive() shouldBe "#7"
        }

        test("onReceive joins kotlinx's select, and a clause that lost took nothing") {
            val view = Labelled(JavaChannel.bounded(2))
            val ch = view.asReceiveChannel()
            val other = KotlinxChannel<String>(1)
            other.send("other")
            select {
                ch.onReceive { it }
                other.onReceive { it }
            } shouldBe "other"
            view.source.send(1)
            select {
                other.onReceive { it }
                ch.onReceive { it }
            } shouldBe "#1"
            view.source.send(2)
            select<String?> {
                other.onReceive { it }
                ch.onReceiveCatching { it.getOrNull() }
            } shouldBe "#2"
            view.source.close()
            select { ch.onReceiveCatching { it } }.isClosed shouldBe true
            view.taken.toList() shouldBe listOf(1, 2)
        }

        test("receiveAsFlow collects every element, turned") {
            val view = Labelled(JavaChannel.bounded(4))
            coroutineScope {
                launch(Dispatchers.Default) {
                    for (i in 1..100) view.source.send(i)
                    view.source.close()
                }
                view.receiveAsFlow().toList() shouldBe (1..100).map { "#$it" }
            }
        }

        test("cancel ends the view by its own contract, not by cancelling the source") {
            val view = Labelled(JavaChannel.bounded(2))
            view.source.send(1)
            view.asReceiveChannel().cancel()
            view.cancels.get() shouldBe 1
            view.source.isClosedForReceive shouldBe false
            view.source.receive() shouldBe 1
        }

        test("under cancellation from every side, each element is turned once or stays") {
            val n = 5_000
            val view = Labelled(JavaChannel.bounded(16))
            val got = ConcurrentLinkedQueue<String>()
            // A lost element would keep the receivers looping: the bound turns that into a failure.
            withTimeoutOrNull(120_000) {
                receiveUnderCancels(view, got, n)
            } ?: fail("lost: ${got.size} of $n received, ${view.taken.size} turned")
            got.sorted() shouldBe (1..n).map { "#$it" }.sorted()
            view.taken.size shouldBe n
        }
    })

/** Receives [n] elements of [view] into [got] while cancelling receives and selects all along. */
private suspend fun receiveUnderCancels(
    view: Labelled,
    got: ConcurrentLinkedQueue<String>,
    n: Int,
) =
    withContext(Dispatchers.Default) {
        val ch = view.asReceiveChannel()
        coroutineScope {
            launch {
                for (i in 1..n) view.source.sendAsync(i).await() // no thread blocks
            }
            repeat(4) { r ->
                launch {
                    while (got.size < n) {
                        // Nothing suspends between a receive's return and the add, so a
                        // cancel either finds the receive waiting (it took nothing, or gave
                        // back what was handed to it) or comes after the add.
                        val job = launch {
                            got += if (r % 2 == 0) ch.receive() else select { ch.onReceive { it } }
                        }
                        repeat(r + 1) { yield() }
                        job.cancel()
                        job.join()
                    }
                }
            }
        }
    }

/** A [ReceiverView] over a channel of numbers that labels each one and records what it turned. */
private class Labelled(val source: JavaChannel<Int>) : ReceiverView<String> {
    val taken = ConcurrentLinkedQueue<Int>()
    val cancels = AtomicInteger()

    override fun viewSource(): Receiver<*> = source

    override fun viewTaken(taken: Any): String {
        this.taken += taken as Int
        return "#$taken"
    }

    override fun cancel() {
        cancels.incrementAndGet()
    }

    override fun receive(): String = viewTaken(source.receive())

    override fun receive(timeout: Duration): String? = source.receive(timeout)?.let(::viewTaken)

    override fun tryReceive(): String? = source.tryReceive()?.let(::viewTaken)

    override fun receiveAsync(): CompletableFuture<String> =
        source.receiveAsync().thenApply(::viewTaken)

    override fun receiveMany(into: MutableCollection<in String>, max: Int): Int {
        val batch = mutableListOf<Int>()
        return source.receiveMany(batch, max).also { batch.forEach { into += viewTaken(it) } }
    }

    override fun receiveMany(into: MutableCollection<in String>, max: Int, timeout: Duration): Int {
        val batch = mutableListOf<Int>()
        return source.receiveMany(batch, max, timeout).also {
            batch.forEach { into += viewTaken(it) }
        }
    }

    override fun tryReceiveMany(into: MutableCollection<in String>, max: Int): Int {
        val batch = mutableListOf<Int>()
        return source.tryReceiveMany(batch, max).also { batch.forEach { into += viewTaken(it) } }
    }

    override fun receiveManyAsync(max: Int): CompletableFuture<List<String>> =
        source.receiveManyAsync(max).thenApply { batch -> batch.map(::viewTaken) }

    override fun <R : Any> onReceive(then: Function<in String, out R>): SelectClause<R> =
        source.onReceive {
            then.apply(viewTaken(it))
        }

    override fun isClosedForReceive(): Boolean = source.isClosedForReceive

    override fun isEmpty(): Boolean = source.isEmpty

    override fun size(): Int = source.size()

    override fun iterator(): MutableIterator<String> {
        val it = source.iterator()
        return object : MutableIterator<String> {
            override fun hasNext() = it.hasNext()

            override fun next() = viewTaken(it.next())

            override fun remove() = throw UnsupportedOperationException()
        }
    }

    override fun stream(): Stream<String> = source.stream().map(::viewTaken)
}
