package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel as KotlinxChannel
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.yield

/**
 * The coroutine face of permits: `reserve()` and the `onReserve` select clause, on channel views
 * and handle views; cancellation holds no place; rendezvous and foreign channels refuse.
 */
class PermitsSpec :
    FunSpec({
        test("reserve suspends while every place is taken, and its permit's send never waits") {
            val ch = JavaChannel.bounded<Int>(2)
            val view = ch.asCoroutineChannel()
            view.send(1)
            val first = view.reserve()
            view.trySend(99).isSuccess shouldBe false // buffered plus held is the capacity
            coroutineScope {
                val waiting = async(start = CoroutineStart.UNDISPATCHED) { view.reserve() }
                waiting.isActive shouldBe true
                view.receive() shouldBe 1
                val second = waiting.await()
                first.send(2)
                second.send(3)
            }
            view.receive() shouldBe 2
            view.receive() shouldBe 3
        }

        test("use { } gives back a permit that was not sent") {
            val view = JavaChannel.bounded<Int>(1).asCoroutineChannel()
            shouldThrow<IllegalArgumentException> {
                view.reserve().use { throw IllegalArgumentException("no value") }
            }
            view.trySend(1).isSuccess shouldBe true
        }

        test("a coroutine cancelled while it waits in reserve holds no place") {
            val view = JavaChannel.bounded<Int>(1).asCoroutineChannel()
            view.send(1)
            coroutineScope {
                val waiting = launch(start = CoroutineStart.UNDISPATCHED) { view.reserve() }
                waiting.cancel()
                waiting.join()
            }
            view.receive() shouldBe 1
            view.trySend(2).isSuccess shouldBe true
            view.trySend(3).isSuccess shouldBe false
        }

        test("a close voids permits and fails waiting reserves") {
            val view = JavaChannel.bounded<Int>(1).asCoroutineChannel()
            val held = view.reserve()
            coroutineScope {
                val waiting =
                    async(start = CoroutineStart.UNDISPATCHED) { runCatching { view.reserve() } }
                view.close()
                waiting.await().exceptionOrNull().shouldBeInstanceOf<ClosedSendChannelException>()
            }
            shouldThrow<dev.sluice.channels.ChannelClosedException> { held.send(1) }
            view.isClosedForReceive shouldBe true
            shouldThrow<ClosedSendChannelException> { view.reserve() }
        }

        test("onReserve wins when a place frees, and a losing onReserve holds none") {
            val ch = JavaChannel.bounded<Int>(1)
            val view = ch.asCoroutineChannel()
            val other = JavaChannel.bounded<String>(1).asCoroutineChannel()
            view.send(1)
            val outcome = coroutineScope {
                val selecting =
                    async(Dispatchers.Default) {
                        select<String> {
                            view.onReserve { permit ->
                                permit.send(2)
                                "reserved"
                            }
                            other.onReceive { "received $it" }
                        }
                    }
                yield()
                view.receive() shouldBe 1
                selecting.await()
            }
            outcome shouldBe "reserved"
            view.receive() shouldBe 2
            view.send(3)
            val lost = coroutineScope {
                other.send("x")
                select<String> {
                    view.onReserve { "reserved" }
                    other.onReceive { "received $it" }
                }
            }
            lost shouldBe "received x"
            view.receive() shouldBe 3
            view.trySend(4).isSuccess shouldBe true // the losing clause held no place
        }

        test("a handle's view reserves for its channel, and refuses once the handle is closed") {
            val h = JavaChannel.handles<Int>(2)
            val second = h.sender().newSender()
            val tx = second.asSendChannel()
            tx.reserve().send(1)
            second.close()
            shouldThrow<IllegalStateException> { tx.reserve() }
            h.receiver().asReceiveChannel().receive() shouldBe 1
        }

        test("rendezvous and foreign channels refuse permits") {
            val rendezvous = JavaChannel.rendezvous<Int>().asCoroutineChannel()
            shouldThrow<UnsupportedOperationException> { rendezvous.reserve() }
            shouldThrow<UnsupportedOperationException> { rendezvous.onReserve }
            shouldThrow<UnsupportedOperationException> { KotlinxChannel<Int>(4).reserve() }
        }

        test("many coroutines reserving and sending: every element once, never over capacity") {
            val ch = JavaChannel.bounded<Int>(3)
            val view = ch.asCoroutineChannel()
            val producers = 4
            val each = 500
            val received = coroutineScope {
                repeat(producers) { p ->
                    launch(Dispatchers.Default) {
                        repeat(each) { i ->
                            val permit = view.reserve()
                            if (i % 7 == 0) {
                                permit.release() // given back unused, then sent plainly
                                view.send(p * each + i)
                            } else {
                                permit.send(p * each + i)
                            }
                        }
                    }
                }
                List(producers * each) { view.receive() }
            }
            received.sorted() shouldBe (0 until producers * each).toList()
            ch.isEmpty shouldBe true
        }
    })
