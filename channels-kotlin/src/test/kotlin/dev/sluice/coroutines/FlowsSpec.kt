package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.ChannelClosedException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.ConcurrentLinkedQueue
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext

/**
 * The Kotlin [kotlinx.coroutines.flow.Flow] adapters: [receiveAsFlow], [consumeAsFlow], [sendTo].
 */
class FlowsSpec :
    FunSpec({
        test(
            "receiveAsFlow emits what Java threads send, in order, and completes when closed and drained"
        ) {
            val channel = JavaChannel.bounded<Int>(4)
            val producer = Thread {
                repeat(1_000) { channel.send(it) }
                channel.close()
            }
                .apply { start() }
            withContext(Dispatchers.Default) {
                channel.receiveAsFlow().toList()
            } shouldContainExactly (0 until 1_000).toList()
            producer.join()
        }

        test("receiveAsFlow throws the close cause once drained") {
            val channel = JavaChannel.unbounded<String>()
            channel.send("before")
            val why = IllegalStateException("producer failed")
            channel.close(why)
            val got = mutableListOf<String>()
            shouldThrow<IllegalStateException> { channel.receiveAsFlow().collect { got += it } }
                .message shouldBe why.message
            got shouldContainExactly listOf("before")
        }

        test("collections compete: each element goes to one of them") {
            val channel = JavaChannel.bounded<Int>(8)
            val flow = channel.receiveAsFlow()
            val all =
                withContext(Dispatchers.Default) {
                    val collectors = List(3) { async { flow.toList() } }
                    launch {
                        repeat(3_000) { channel.asSendChannel().send(it) }
                        channel.close()
                    }
                    collectors.awaitAll()
                }
            all.flatten() shouldContainExactlyInAnyOrder (0 until 3_000).toList()
            all.forEach { it shouldBe it.sorted() }
        }

        test("a collection that stops early leaves the channel open and the rest in it") {
            val channel = JavaChannel.unbounded<Int>()
            repeat(5) { channel.send(it) }
            channel.receiveAsFlow().take(2).toList() shouldContainExactly listOf(0, 1)
            channel.isClosedForSend shouldBe false
            channel.receiveAsFlow().take(3).toList() shouldContainExactly listOf(2, 3, 4)
        }

        test("a collector cancelled while it waits took nothing") {
            runTest {
                val channel = JavaChannel.rendezvous<Int>()
                val collector = launch { channel.receiveAsFlow().collect { error("got $it") } }
                testScheduler.runCurrent() // suspended in receive
                collector.cancel()
                testScheduler.runCurrent()
                channel.trySend(1) shouldBe false // nobody waits any more
            }
        }

        test("a collector cancelled just as an element was handed to it gives the element back") {
            runTest {
                val channel = JavaChannel.bounded<Int>(4)
                val got = mutableListOf<Int>()
                val collector = launch { channel.receiveAsFlow().collect { got += it } }
                testScheduler.runCurrent() // suspended in receive
                channel.send(1) // handed to the collector; it has not run yet
                channel.send(2)
                collector.cancel()
                testScheduler.runCurrent()
                got shouldBe emptyList()
                channel.tryReceive() shouldBe 1
                channel.tryReceive() shouldBe 2
            }
        }

        test(
            "consumeAsFlow cancels the channel when the collection stops early, and is collected once"
        ) {
            val undelivered = ConcurrentLinkedQueue<Int>()
            val channel =
                JavaChannel.builder<Int>()
                    .capacity(8)
                    .onUndeliveredElement { undelivered += it }
                    .build()
            repeat(5) { channel.send(it) }
            val flow = channel.consumeAsFlow()
            flow.take(2).toList() shouldContainExactly listOf(0, 1)
            channel.isClosedForSend shouldBe true
            undelivered.toList() shouldContainExactly listOf(2, 3, 4)
            shouldThrow<ChannelClosedException> { channel.send(9) }
                .cause
                .shouldBeInstanceOf<java.util.concurrent.CancellationException>()
            shouldThrow<IllegalStateException> { flow.toList() }
        }

        test("consumeAsFlow completes normally when the channel is closed and drained") {
            val channel = JavaChannel.unbounded<Int>()
            channel.send(1)
            channel.close()
            channel.consumeAsFlow().toList() shouldContainExactly listOf(1)
        }

        test(
            "sendTo suspends on a full channel without blocking the thread, then closes the sender"
        ) {
            runTest {
                val channel = JavaChannel.bounded<Int>(1)
                val sending = launch { (1..3).asFlow().sendTo(channel) }
                testScheduler.runCurrent()
                // One thread runs this test and the sender: a blocked send would hang it here.
                channel.size() shouldBe 1
                sending.isActive shouldBe true
                val got = mutableListOf<Int>()
                while (got.size < 3) {
                    channel.tryReceive()?.let { got += it }
                    testScheduler.runCurrent()
                }
                sending.isCompleted shouldBe true
                got shouldContainExactly listOf(1, 2, 3)
                channel.isClosedForReceive shouldBe true
            }
        }

        test("sendTo closes the sender with the flow's exception, after the elements before it") {
            val channel = JavaChannel.unbounded<String>()
            val why = IllegalStateException("upstream failed")
            val failing = flow {
                emit("a")
                throw why
            }
            shouldThrow<IllegalStateException> { failing.sendTo(channel) } shouldBeSameInstanceAs
                why
            channel.receive() shouldBe "a"
            shouldThrow<ChannelClosedException> { channel.receive() }.cause shouldBeSameInstanceAs
                why
        }

        test("sendTo with closeWhenDone = false leaves the sender open for other flows") {
            val channel = JavaChannel.unbounded<Int>()
            coroutineScope {
                launch { flowOf(1, 2).sendTo(channel, closeWhenDone = false) }
                launch { flowOf(3).sendTo(channel, closeWhenDone = false) }
            }
            channel.isClosedForSend shouldBe false
            List(3) { channel.receive() } shouldContainExactlyInAnyOrder listOf(1, 2, 3)
        }

        test(
            "sendTo cancelled while a send waits: that element was not sent, the sender is closed"
        ) {
            runTest {
                val channel = JavaChannel.rendezvous<Int>()
                val sending = launch { flowOf(1, 2).sendTo(channel) }
                testScheduler.runCurrent()
                sending.cancel()
                testScheduler.runCurrent()
                channel.isClosedForSend shouldBe true
                shouldThrow<ChannelClosedException> { channel.tryReceive() }
                    .cause
                    .shouldBeInstanceOf<CancellationException>()
            }
        }

        test("sendTo into a channel closed by someone else throws, and sends nothing more") {
            val channel = JavaChannel.unbounded<Int>()
            channel.close()
            shouldThrow<ClosedSendChannelException> { flowOf(1).sendTo(channel) }
        }

        test("a pipeline: Java thread -> receiveAsFlow -> map -> sendTo -> Java thread, in order") {
            val source = JavaChannel.bounded<Int>(4)
            val sink = JavaChannel.rendezvous<String>()
            val producer = Thread {
                repeat(2_000) { source.send(it) }
                source.close()
            }
                .apply { start() }
            val received = ConcurrentLinkedQueue<String>()
            val consumer = Thread { for (s in sink) received += s }.apply { start() }
            withContext(Dispatchers.Default) { source.receiveAsFlow().map { "#$it" }.sendTo(sink) }
            producer.join()
            consumer.join()
            received.toList() shouldContainExactly (0 until 2_000).map { "#$it" }
        }
    })
