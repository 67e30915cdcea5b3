package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.Oneshot
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.toList
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.test.runTest

/** The coroutine face of [Oneshot]: [await], [onAwait] and the receive-channel view. */
class OneshotSpec :
    FunSpec({
        test("await suspends until the value is sent, from a Java thread") {
            val reply = Oneshot.create<String>()
            coroutineScope {
                val waiting = async(start = CoroutineStart.UNDISPATCHED) { reply.await() }
                Thread { reply.send("pong") }.apply { start() }.join()
                waiting.await() shouldBe "pong"
            }
            shouldThrow<ClosedReceiveChannelException> { reply.await() } // received once
        }

        test("await fails as kotlinx does when the sender went away") {
            val plain = Oneshot.create<String>()
            plain.close()
            shouldThrow<ClosedReceiveChannelException> { plain.await() }
            val failed = Oneshot.create<String>()
            val why = IllegalStateException("no answer")
            failed.close(why)
            shouldThrow<IllegalStateException> { failed.await() } shouldBeSameInstanceAs why
        }

        test(
            "an await cancelled while waiting took nothing: the value stays for the next receive"
        ) {
            val reply = Oneshot.create<Int>()
            coroutineScope {
                val waiting = launch(start = CoroutineStart.UNDISPATCHED) { reply.await() }
                waiting.cancel()
                waiting.join()
            }
            reply.send(3)
            reply.await() shouldBe 3
        }

        test(
            "an await cancelled just as the value came hands it to the undelivered-value handler"
        ) {
            runTest {
                val undelivered = CopyOnWriteArrayList<Int>()
                val reply = Oneshot.create<Int> { undelivered += it }
                val waiting = launch { reply.await() }
                testScheduler.runCurrent() // waits now
                reply.send(8) // handed to the waiting coroutine, which has not run yet
                waiting.cancel()
                testScheduler.runCurrent()
                waiting.isCancelled shouldBe true
                undelivered shouldContainExactly listOf(8)
                reply.isClosedForReceive shouldBe true
            }
        }

        test("onAwait in a select: a losing clause leaves the value, a winning one takes it") {
            val reply = Oneshot.create<String>()
            val other = JavaChannel.bounded<String>(1).asCoroutineChannel()
            other.send("first")
            select {
                other.onReceive { "other $it" }
                reply.onAwait { "reply $it" }
            } shouldBe "other first"
            reply.send("answer")
            select {
                other.onReceive { "other $it" }
                reply.onAwait { "reply $it" }
            } shouldBe "reply answer"
        }

        test("the receive-channel view gets the value, then ends") {
            val reply = Oneshot.create<Int>()
            reply.send(4)
            reply.asReceiveChannel().toList() shouldBe listOf(4)
            shouldThrow<ChannelClosedException> { reply.receive() }
        }
    })
