package dev.sluice.coroutines

import dev.sluice.channels.Broadcast
import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.LaggedException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.toList
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.yield

/** The coroutine face of [Broadcast]: [asReceiveChannel], [receiveAsFlow] and [asFlow]. */
class BroadcastSpec :
    FunSpec({
        test(
            "a subscriber's view receives every element sent after it subscribed, from a Java thread"
        ) {
            val broadcast = Broadcast.create<Int>(8)
            val first = broadcast.subscribe().asReceiveChannel()
            val second = broadcast.subscribe().asReceiveChannel()
            coroutineScope {
                val waiting = async(start = CoroutineStart.UNDISPATCHED) { first.receive() }
                Thread {
                    broadcast.send(1)
                    broadcast.send(2)
                }
                    .apply { start() }
                    .join()
                waiting.await() shouldBe 1
            }
            first.receive() shouldBe 2
            second.receive() shouldBe 1
            second.tryReceive().getOrNull() shouldBe 2
            second.tryReceive().isFailure shouldBe true
            second.isEmpty shouldBe true
        }

        test(
            "a lag is thrown as LaggedException once, then the view goes on from the oldest held"
        ) {
            val broadcast = Broadcast.create<Int>(2)
            val view = broadcast.subscribe().asReceiveChannel()
            repeat(5) { broadcast.send(it) }
            shouldThrow<LaggedException> { view.receive() }.missed() shouldBe 3
            view.receive() shouldBe 3
            repeat(3) { broadcast.send(it + 5) }
            shouldThrow<LaggedException> { view.receiveCatching() }.missed() shouldBe 2
            view.receiveCatching().getOrNull() shouldBe 6
            repeat(3) { broadcast.send(it + 8) }
            shouldThrow<LaggedException> { view.tryReceive() }.missed() shouldBe 2
            view.tryReceive().getOrNull() shouldBe 9
        }

        test("with onLag, the view reports each gap and a loop sees only elements") {
            val broadcast = Broadcast.create<Int>(2)
            val gaps = mutableListOf<Long>()
            val view = broadcast.subscribe().asReceiveChannel { gaps += it }
            repeat(5) { broadcast.send(it) }
            broadcast.close()
            view.toList() shouldContainExactly listOf(3, 4)
            gaps shouldContainExactly listOf(3L)
            view.isClosedForReceive shouldBe true
        }

        test(
            "a coroutine cancelled while it waits, even just as the element came, received nothing"
        ) {
            runTest {
                val broadcast = Broadcast.create<Int>(4)
                val subscriber = broadcast.subscribe()
                val view = subscriber.asReceiveChannel()
                val waiting = launch { view.receive() }
                testScheduler.runCurrent() // waits now
                broadcast.send(1) // wakes it; it has not run yet
                waiting.cancel()
                testScheduler.runCurrent()
                waiting.isCancelled shouldBe true
                subscriber.size() shouldBe 1
                view.receive() shouldBe 1
            }
        }

        test(
            "closing the broadcast lets the view drain, then it is closed as kotlinx's channels are"
        ) {
            val broadcast = Broadcast.create<Int>(4)
            val view = broadcast.subscribe().asReceiveChannel()
            broadcast.send(1)
            broadcast.close()
            view.isClosedForReceive shouldBe false
            view.receive() shouldBe 1
            view.isClosedForReceive shouldBe true
            view.isEmpty shouldBe false
            shouldThrow<ClosedReceiveChannelException> { view.receive() }
            view.receiveCatching().isClosed shouldBe true
            view.tryReceive().isClosed shouldBe true
        }

        test("cancel unsubscribes") {
            val broadcast = Broadcast.create<Int>(4)
            val view = broadcast.subscribe().asReceiveChannel()
            broadcast.subscriberCount() shouldBe 1
            view.cancel()
            broadcast.subscriberCount() shouldBe 0
            broadcast.send(1) shouldBe 0
            view.isClosedForReceive shouldBe true
            shouldThrow<ClosedReceiveChannelException> { view.receive() }
        }

        test(
            "onReceive in a select: a losing clause received nothing; a lag throws or is skipped"
        ) {
            val broadcast = Broadcast.create<Int>(1)
            val subscriber = broadcast.subscribe()
            val view = subscriber.asReceiveChannel()
            val other = JavaChannel.bounded<String>(1).asCoroutineChannel()
            other.send("first")
            broadcast.send(1)
            select {
                other.onReceive { it }
                view.onReceive { "broadcast $it" }
            } shouldBe "first"
            subscriber.size() shouldBe 1
            select {
                other.onReceive { it }
                view.onReceive { "broadcast $it" }
            } shouldBe "broadcast 1"
            broadcast.send(2)
            broadcast.send(3)
            shouldThrow<LaggedException> { select { view.onReceive { it } } }.missed() shouldBe 1
            select { view.onReceive { it } } shouldBe 3
            val gaps = mutableListOf<Long>()
            val skipping = subscriber.asReceiveChannel { gaps += it }
            broadcast.send(4)
            broadcast.send(5)
            select { skipping.onReceive { it } } shouldBe 5
            gaps shouldContainExactly listOf(1L)
            broadcast.close()
            select { skipping.onReceiveCatching { it } }.isClosed shouldBe true
        }

        test("asFlow subscribes per collection, and completes when the broadcast closes") {
            val broadcast = Broadcast.create<String>(16)
            coroutineScope {
                val collected =
                    async(start = CoroutineStart.UNDISPATCHED) { broadcast.asFlow().toList() }
                while (broadcast.subscriberCount() == 0) yield()
                broadcast.send("a")
                broadcast.send("b")
                broadcast.close()
                collected.await() shouldContainExactly listOf("a", "b")
            }
            broadcast.subscriberCount() shouldBe 0
        }

        test(
            "receiveAsFlow goes on where the last collection stopped, and misses nothing sent before"
        ) {
            val broadcast = Broadcast.create<Int>(16)
            val subscriber = broadcast.subscribe()
            repeat(5) { broadcast.send(it) }
            subscriber.receiveAsFlow().take(2).toList() shouldContainExactly listOf(0, 1)
            broadcast.close()
            subscriber.receiveAsFlow().toList() shouldContainExactly listOf(2, 3, 4)
        }
    })
