package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.ChannelClosedException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.channels.consumeEach
import kotlinx.coroutines.channels.toList
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.receiveAsFlow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.job
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield

/** The capacities every contract test runs at: rendezvous, 1, 16 and unbounded. */
internal val CAPACITIES = listOf(0, 1, 16, Channel.UNLIMITED)

internal fun capacityName(capacity: Int) =
    if (capacity == Channel.UNLIMITED) "unbounded" else "capacity $capacity"

/** Whether [thrown] is [cause], or the copy of it that kotlinx's stack-trace recovery makes. */
internal fun isCauseOrCopy(thrown: Throwable?, cause: Throwable): Boolean =
    thrown === cause ||
        (thrown != null &&
            thrown.javaClass == cause.javaClass &&
            thrown.message == cause.message &&
            thrown.cause === cause)

/** Every member of kotlinx's SendChannel and ReceiveChannel, with kotlinx's documented meaning. */
class CoroutineChannelSpec :
    FunSpec({
        for (capacity in CAPACITIES) {
            context(capacityName(capacity)) {
                test("send then receive, in order, across a producer and a consumer") {
                    val ch = SluiceChannel<Int>(capacity)
                    coroutineScope {
                        launch {
                            for (i in 1..100) ch.send(i)
                            ch.close()
                        }
                        ch.toList() shouldContainExactly (1..100).toList()
                    }
                }

                test("trySend: success with room, failure when full, closed after close") {
                    val ch = SluiceChannel<Int>(capacity)
                    if (capacity == 0) {
                        ch.trySend(1).isFailure shouldBe true
                    } else {
                        ch.trySend(1).isSuccess shouldBe true
                        if (capacity == 1) ch.trySend(2).isFailure shouldBe true
                    }
                    ch.close()
                    val r = ch.trySend(3)
                    r.isClosed shouldBe true
                    (r.exceptionOrNull() is ClosedSendChannelException) shouldBe true
                }

                test(
                    "tryReceive: failure when empty, the element when there, closed when drained"
                ) {
                    val ch = SluiceChannel<Int>(if (capacity == 0) 1 else capacity)
                    ch.tryReceive().isFailure shouldBe true
                    ch.tryReceive().isClosed shouldBe false
                    ch.trySend(7)
                    ch.tryReceive().getOrNull() shouldBe 7
                    ch.close()
                    ch.tryReceive().isClosed shouldBe true
                }

                test(
                    "close: sends fail with ClosedSendChannelException, receives drain then fail"
                ) {
                    val ch = SluiceChannel<Int>(capacity)
                    if (capacity > 0) ch.send(1)
                    ch.close() shouldBe true
                    ch.close() shouldBe false
                    ch.isClosedForSend shouldBe true
                    shouldThrow<ClosedSendChannelException> { ch.send(2) }
                    if (capacity > 0) {
                        ch.isClosedForReceive shouldBe false
                        ch.receive() shouldBe 1
                    }
                    ch.isClosedForReceive shouldBe true
                    shouldThrow<ClosedReceiveChannelException> { ch.receive() }
                    ch.receiveCatching().isClosed shouldBe true
                }

                test("close(cause): sends and receives fail with the cause itself") {
                    val ch = SluiceChannel<Int>(capacity)
                    val cause = IllegalStateException("boom")
                    ch.close(cause)
                    shouldThrow<IllegalStateException> { ch.send(1) } shouldBeSameInstanceAs cause
                    shouldThrow<IllegalStateException> { ch.receive() } shouldBeSameInstanceAs cause
                    ch.receiveCatching().exceptionOrNull() shouldBeSameInstanceAs cause
                    ch.trySend(1).exceptionOrNull() shouldBeSameInstanceAs cause
                }

                test("close releases a waiting receive, and a waiting send keeps its element") {
                    val ch = SluiceChannel<Int>(capacity)
                    coroutineScope {
                        val receiving =
                            async(start = CoroutineStart.UNDISPATCHED) { ch.receiveCatching() }
                        ch.close()
                        receiving.await().isClosed shouldBe true
                    }
                    if (capacity != Channel.UNLIMITED) {
                        val full = SluiceChannel<Int>(capacity)
                        repeat(capacity) { full.send(it) }
                        coroutineScope {
                            val sending =
                                async(start = CoroutineStart.UNDISPATCHED) {
                                    runCatching { full.send(99) }
                                }
                            full.close()
                            (sending.await().exceptionOrNull()
                                is ClosedSendChannelException) shouldBe true
                        }
                        full.toList() shouldContainExactly (0 until capacity).toList()
                    }
                }

                test(
                    "cancel: buffered elements go to onUndeliveredElement, receives throw CancellationException"
                ) {
                    val undelivered = mutableListOf<Int>()
                    val ch =
                        SluiceChannel<Int>(capacity, onUndeliveredElement = { undelivered += it })
                    if (capacity > 0) {
                        ch.send(1)
                        if (capacity > 1) ch.send(2)
                    }
                    ch.cancel()
                    undelivered shouldContainExactly
                        (if (capacity == 0) emptyList()
                        else if (capacity == 1) listOf(1) else listOf(1, 2))
                    ch.isClosedForReceive shouldBe true
                    shouldThrow<CancellationException> { ch.receive() }
                    shouldThrow<CancellationException> { ch.send(3) }
                }

                test("invokeOnClose runs once, with the cause; a second handler is refused") {
                    val ch = SluiceChannel<Int>(capacity)
                    val seen = mutableListOf<Throwable?>()
                    ch.invokeOnClose { seen += it }
                    shouldThrow<IllegalStateException> { ch.invokeOnClose {} }
                    val cause = RuntimeException("x")
                    ch.close(cause)
                    ch.cancel()
                    seen shouldContainExactly listOf(cause)
                    shouldThrow<IllegalStateException> { ch.invokeOnClose {} }
                }

                test("invokeOnClose on a closed channel runs at once") {
                    val ch = SluiceChannel<Int>(capacity)
                    ch.close()
                    var ran = 0
                    ch.invokeOnClose { ran++ }
                    ran shouldBe 1
                }

                test(
                    "isEmpty: true while a receive would wait, false with an element or when closed"
                ) {
                    val ch = SluiceChannel<Int>(capacity)
                    ch.isEmpty shouldBe true
                    coroutineScope {
                        val sending = launch(start = CoroutineStart.UNDISPATCHED) { ch.send(1) }
                        ch.isEmpty shouldBe false
                        ch.receive() shouldBe 1
                        sending.join()
                    }
                    ch.isEmpty shouldBe true
                    ch.close()
                    ch.isEmpty shouldBe false
                }

                test(
                    "for loops, consumeEach and receiveAsFlow end on close and see every element"
                ) {
                    for (way in listOf("for", "consumeEach", "flow")) {
                        val ch = SluiceChannel<Int>(capacity)
                        coroutineScope {
                            launch {
                                for (i in 1..20) ch.send(i)
                                ch.close()
                            }
                            val got = mutableListOf<Int>()
                            when (way) {
                                "for" -> for (x in ch) got += x
                                "consumeEach" -> ch.consumeEach { got += it }
                                else -> got += ch.receiveAsFlow().toList()
                            }
                            got shouldContainExactly (1..20).toList()
                        }
                    }
                }

                test("an iterator rethrows a close cause, and next without hasNext is refused") {
                    val ch = SluiceChannel<Int>(capacity)
                    val it = ch.iterator()
                    shouldThrow<IllegalStateException> { it.next() }
                    val why = IllegalArgumentException("why")
                    ch.close(why)
                    shouldThrow<IllegalArgumentException> { it.hasNext() } shouldBeSameInstanceAs
                        why
                }

                test("the Java face and the coroutine view share one queue") {
                    val java =
                        if (capacity == Channel.UNLIMITED) JavaChannel.unbounded<Int>()
                        else if (capacity == 0) JavaChannel.rendezvous()
                        else JavaChannel.bounded(capacity)
                    val view = java.asCoroutineChannel()
                    view.asSluiceChannel() shouldBeSameInstanceAs java
                    val thread = Thread {
                        for (i in 1..200) java.send(i)
                        java.close()
                    }
                    thread.start()
                    view.toList() shouldContainExactly (1..200).toList()
                    thread.join()
                    shouldThrow<ChannelClosedException> { java.receive() }
                    shouldThrow<ClosedReceiveChannelException> { view.receive() }
                }

                test("coroutines send to Java threads blocked in receive") {
                    val java =
                        if (capacity == Channel.UNLIMITED) JavaChannel.unbounded<Int>()
                        else if (capacity == 0) JavaChannel.rendezvous()
                        else JavaChannel.bounded(capacity)
                    val got = mutableListOf<Int>()
                    val thread = Thread { for (x in java) got += x }
                    thread.start()
                    val view = java.asSendChannel()
                    for (i in 1..200) view.send(i)
                    view.close()
                    thread.join()
                    got shouldContainExactly (1..200).toList()
                }
            }
        }

        test("a waiting receive that is cancelled leaves nothing behind") {
            val java = JavaChannel.rendezvous<Int>()
            val ch = java.asCoroutineChannel()
            coroutineScope {
                val receiving = launch(start = CoroutineStart.UNDISPATCHED) { ch.receive() }
                receiving.cancel()
                receiving.join()
            }
            java.trySend(1) shouldBe false // nobody waits any more
        }

        test("a waiting send that is cancelled did not send") {
            val java = JavaChannel.bounded<Int>(1)
            val ch = java.asCoroutineChannel()
            ch.send(1)
            coroutineScope {
                val sending = launch(start = CoroutineStart.UNDISPATCHED) { ch.send(2) }
                sending.cancel()
                sending.join()
            }
            ch.receive() shouldBe 1
            ch.tryReceive().isFailure shouldBe true
        }

        test("a receive cancelled after it was handed an element gives it back") {
            runTest {
                val java = JavaChannel.rendezvous<Int>()
                val ch = java.asCoroutineChannel()
                val receiving = launch { ch.receive() }
                testScheduler.runCurrent() // the receive now waits
                java.trySend(42) shouldBe true // hands it over; the coroutine is not run yet
                receiving.cancel()
                testScheduler.runCurrent()
                receiving.isCancelled shouldBe true
                java.tryReceive() shouldBe 42
            }
        }

        test(
            "receiveCatching and an iterator cancelled after they were handed an element give it back"
        ) {
            runTest {
                val java = JavaChannel.rendezvous<Int>()
                val ch = java.asCoroutineChannel()
                val iterator = ch.iterator()
                val catching = launch { ch.receiveCatching() }
                val looping = launch { iterator.hasNext() }
                testScheduler.runCurrent() // both wait now
                java.trySend(1) shouldBe true // to receiveCatching, the first to wait
                java.trySend(2) shouldBe true // to hasNext
                catching.cancel()
                looping.cancel()
                testScheduler.runCurrent()
                catching.isCancelled shouldBe true
                looping.isCancelled shouldBe true
                listOf(java.tryReceive(), java.tryReceive()) shouldContainExactlyInAnyOrder
                    listOf(1, 2)
                // The iterator's element went back: next has nothing to return.
                shouldThrow<IllegalStateException> { iterator.next() }
            }
        }

        test("close releases waiting receive, receiveCatching and hasNext as each one says") {
            for (cause in listOf(null, IllegalArgumentException("why"))) {
                val ch = SluiceChannel<Int>(Channel.RENDEZVOUS)
                coroutineScope {
                    val receive =
                        async(start = CoroutineStart.UNDISPATCHED) { runCatching { ch.receive() } }
                    val catching =
                        async(start = CoroutineStart.UNDISPATCHED) { ch.receiveCatching() }
                    val hasNext =
                        async(start = CoroutineStart.UNDISPATCHED) {
                            runCatching { ch.iterator().hasNext() }
                        }
                    ch.close(cause)
                    val thrown = receive.await().exceptionOrNull()
                    val closed = catching.await()
                    val more = hasNext.await()
                    closed.isClosed shouldBe true
                    closed.exceptionOrNull() shouldBe cause
                    if (cause == null) {
                        (thrown is ClosedReceiveChannelException) shouldBe true
                        more.getOrThrow() shouldBe false
                    } else {
                        // A resumed coroutine throws the cause, or kotlinx's copy of it
                        // (stack-trace
                        // recovery in debug mode, as for kotlinx's own channels).
                        isCauseOrCopy(thrown, cause) shouldBe true
                        isCauseOrCopy(more.exceptionOrNull(), cause) shouldBe true
                    }
                }
            }
        }

        test("a send whose element was taken returns normally even if cancelled right after") {
            runTest {
                val java = JavaChannel.rendezvous<Int>()
                val ch = java.asCoroutineChannel()
                var returned = false
                val sending = launch {
                    ch.send(7)
                    returned = true
                }
                testScheduler.runCurrent()
                java.tryReceive() shouldBe 7 // takes the element; the sender is not run yet
                sending.cancel()
                testScheduler.runCurrent()
                returned shouldBe true
            }
        }

        test(
            "a send or receive that a waiting counterpart completes at once does so in a cancelled coroutine too, as kotlinx's"
        ) {
            // Neither kotlinx's channel nor the view suspends when a counterpart waits, and only a
            // suspension checks for cancellation: a cancelled coroutine still hands over and takes.
            for (kotlinx in listOf(true, false)) {
                val ch: Channel<Int> =
                    if (kotlinx) Channel(Channel.RENDEZVOUS) else SluiceChannel(Channel.RENDEZVOUS)
                withClue(if (kotlinx) "kotlinx" else "Sluice") {
                    var taken: Int? = null
                    var handedOver = false
                    // Each UNDISPATCHED launch runs up to its first suspension before it returns,
                    // so
                    // the checks below see what the cancelled coroutine did; a failed check cancels
                    // the scope, and with it the counterpart still waiting.
                    coroutineScope {
                        val sending =
                            launch(start = CoroutineStart.UNDISPATCHED) { ch.send(1) } // waits
                        launch(start = CoroutineStart.UNDISPATCHED) {
                            coroutineContext.job.cancel()
                            taken = ch.receive()
                        }
                        taken shouldBe 1
                        sending.join()
                        val receiving =
                            async(start = CoroutineStart.UNDISPATCHED) { ch.receive() } // waits
                        launch(start = CoroutineStart.UNDISPATCHED) {
                            coroutineContext.job.cancel()
                            ch.send(2)
                            handedOver = true
                        }
                        handedOver shouldBe true
                        receiving.await() shouldBe 2
                    }
                }
            }
        }

        test("a Java receive times out without taking from a coroutine's view") {
            val java = JavaChannel.bounded<Int>(1)
            java.receive(Duration.ofMillis(1)) shouldBe null
            withTimeout(10.seconds) {
                java.asCoroutineChannel().send(1)
                yield()
            }
            java.tryReceive() shouldBe 1
        }

        test("views are refused for channels that are not Sluice's") {
            shouldThrow<IllegalArgumentException> { Channel<Int>().asSluiceChannel() }
        }

        test("the factory takes kotlinx's capacity constants") {
            SluiceChannel<Int>(Channel.RENDEZVOUS).asSluiceChannel().capacity() shouldBe 0
            SluiceChannel<Int>(Channel.CONFLATED).asSluiceChannel().capacity() shouldBe 1
            SluiceChannel<Int>(Channel.UNLIMITED).asSluiceChannel().capacity() shouldBe
                Int.MAX_VALUE
            SluiceChannel<Int>(Channel.BUFFERED).asSluiceChannel().capacity() shouldBe 64
            SluiceChannel<Int>(5).asSluiceChannel().capacity() shouldBe 5
            shouldThrow<IllegalArgumentException> { SluiceChannel<Int>(-5) }
            val conflated = SluiceChannel<Int>(Channel.CONFLATED)
            conflated.send(1)
            conflated.send(2)
            conflated.receive() shouldBe 2
        }
    })
