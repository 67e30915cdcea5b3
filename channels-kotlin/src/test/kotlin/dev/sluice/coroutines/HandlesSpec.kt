package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.toList
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withContext

/**
 * The coroutine face of handles: views whose close closes the handle, awaitClosed, onAwaitClosed.
 */
class HandlesSpec :
    FunSpec({
        test(
            "producer coroutines with a handle each: the last to close its view closes the channel"
        ) {
            val jobs = JavaChannel.bounded<Int>(4)
            val handles = List(3) { jobs.newSender() } // all made before any producer starts
            val received = coroutineScope {
                handles.forEachIndexed { p, handle ->
                    launch(Dispatchers.Default) {
                        handle.use { h ->
                            val tx = h.asSendChannel()
                            repeat(10) { tx.send(p * 10 + it) }
                        }
                    }
                }
                jobs.asCoroutineChannel().toList() // ends when the last handle closed
            }
            received.sorted() shouldBe (0 until 30).toList()
        }

        test("closing a view closes the handle only; the last one closes the channel") {
            val h = JavaChannel.handles<String>(4)
            val second = h.sender().newSender().asSendChannel()
            val first = h.sender().asSendChannel()
            first.close() shouldBe true
            first.close() shouldBe false
            h.sender().isReleased shouldBe true
            shouldThrow<IllegalStateException> { first.send("x") }
            second.send("y")
            second.close(IllegalStateException("done")) shouldBe true
            val rx = h.receiver().asReceiveChannel()
            rx.receive() shouldBe "y"
            shouldThrow<IllegalStateException> { rx.receive() }.message shouldBe "done"
            second.sameChannel(rx) shouldBe true
        }

        test("the last receiving view's cancel cancels the channel, and awaitClosed returns") {
            val h = JavaChannel.handles<Int>(4)
            coroutineScope {
                val waiting =
                    async(start = CoroutineStart.UNDISPATCHED) { h.sender().awaitClosed() }
                h.receiver().asReceiveChannel().cancel()
                waiting.await()
            }
            h.sender().awaitClosed() // again: the signal stays
            shouldThrow<dev.sluice.channels.ChannelClosedException> { h.sender().trySend(1) }
            val view = h.sender().asSendChannel()
            shouldThrow<kotlinx.coroutines.CancellationException> { view.send(1) }
        }

        test("onAwaitClosed lets a producer's select stop when its consumers go away") {
            val h = JavaChannel.handles<Int>(1)
            val upstream = JavaChannel.rendezvous<Int>().asCoroutineChannel()
            val outcome = coroutineScope {
                val producer =
                    async(start = CoroutineStart.UNDISPATCHED) {
                        select<String> {
                            upstream.onReceive { "work" }
                            h.sender().onAwaitClosed { "consumers gone" }
                        }
                    }
                withContext(Dispatchers.Default) { h.receiver().close() }
                producer.await()
            }
            outcome shouldBe "consumers gone"
        }
    })
