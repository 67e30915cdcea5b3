package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.Select
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.coroutines.Continuation
import kotlin.coroutines.EmptyCoroutineContext
import kotlin.coroutines.startCoroutine
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext

/**
 * kotlinx's own `select { }` over Sluice clauses, mixed with kotlinx channels, timeouts and
 * deferreds.
 */
class SelectSpec :
    FunSpec({
        for (capacity in CAPACITIES) {
            context(capacityName(capacity)) {
                test("onReceive beside a kotlinx channel and onTimeout: the ready clause wins") {
                    val sluice = SluiceChannel<Int>(capacity)
                    val kotlinx = Channel<Int>(Channel.UNLIMITED)
                    coroutineScope {
                        launch { sluice.send(1) }
                        val got = select {
                            kotlinx.onReceive { "kotlinx $it" }
                            sluice.onReceive { "sluice $it" }
                            onTimeout(60_000) { "timeout" }
                        }
                        got shouldBe "sluice 1"
                    }
                }

                test("a select waiting on onReceive is served by a Java thread's send") {
                    val java = javaChannel(capacity)
                    val ch = java.asCoroutineChannel()
                    coroutineScope {
                        val selecting = async { select { ch.onReceive { it * 2 } } }
                        val thread = Thread { java.send(21) }
                        thread.start()
                        selecting.await() shouldBe 42
                        thread.join()
                    }
                }

                test("a losing onReceive takes nothing") {
                    val a = SluiceChannel<Int>(capacity)
                    val b = Channel<Int>(Channel.UNLIMITED)
                    b.send(1)
                    select {
                        b.onReceive { it }
                        a.onReceive { error("a had nothing") }
                    } shouldBe 1
                    coroutineScope {
                        launch { a.send(2) }
                        a.receive() shouldBe 2
                    }
                }

                if (capacity != Channel.UNLIMITED)
                    test("a losing onSend did not send") {
                        val a = SluiceChannel<Int>(capacity)
                        val b = Channel<Int>(Channel.UNLIMITED)
                        repeat(capacity) { a.send(-1) } // a is full
                        b.send(1)
                        select {
                            a.onSend(99) { "sent" }
                            b.onReceive { "received $it" }
                        } shouldBe "received 1"
                        a.close()
                        val rest = mutableListOf<Int>()
                        for (x in a) rest += x
                        (99 in rest) shouldBe false
                    }

                test(
                    "onSend is chosen when there is room or a receiver, and its result is the channel"
                ) {
                    val ch = SluiceChannel<Int>(capacity)
                    coroutineScope {
                        val receiving = async { ch.receive() }
                        val chosen = select { ch.onSend(5) { it } }
                        (chosen === ch) shouldBe true
                        receiving.await() shouldBe 5
                    }
                }

                test(
                    "on a closed channel: onReceive throws, onReceiveCatching reports closed, onSend throws"
                ) {
                    val ch = SluiceChannel<Int>(capacity)
                    ch.close()
                    shouldThrow<ClosedReceiveChannelException> { select { ch.onReceive { it } } }
                    select { ch.onReceiveCatching { it } }.isClosed shouldBe true
                    shouldThrow<ClosedSendChannelException> { select { ch.onSend(1) { it } } }
                }

                test("close(cause) reaches a waiting select") {
                    val ch = SluiceChannel<Int>(capacity)
                    val cause = IllegalStateException("gone")
                    coroutineScope {
                        val selecting =
                            async(start = CoroutineStart.UNDISPATCHED) {
                                select { ch.onReceiveCatching { it } }
                            }
                        ch.close(cause)
                        selecting.await().exceptionOrNull() shouldBe cause
                    }
                }

                test("select beside Deferred.onAwait") {
                    val ch = SluiceChannel<Int>(capacity)
                    coroutineScope {
                        val deferred = async { "done" }
                        select {
                            ch.onReceive { "channel" }
                            deferred.onAwait { it }
                        } shouldBe "done"
                    }
                }

                test("a select sending meets a select receiving") {
                    val ch = SluiceChannel<Int>(capacity)
                    coroutineScope {
                        val receiving =
                            async(Dispatchers.Default) { select { ch.onReceive { it } } }
                        val sending =
                            async(Dispatchers.Default) { select { ch.onSend(3) { "sent" } } }
                        sending.await() shouldBe "sent"
                        receiving.await() shouldBe 3
                    }
                }

                test("a Java select sends to a kotlinx select waiting on the same channel") {
                    val java = javaChannel(capacity)
                    val ch = java.asCoroutineChannel()
                    coroutineScope {
                        val receiving =
                            async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) {
                                select { ch.onReceive { it } }
                            }
                        withContext(Dispatchers.IO) {
                            Select.select(java.onSend(8) { "java sent" })
                        } shouldBe "java sent"
                        receiving.await() shouldBe 8
                    }
                }
            }
        }

        test("two clauses on one channel are refused, as kotlinx refuses them") {
            val ch =
                SluiceChannel<Int>(1) // empty: the first clause registers, the second is checked
            val e =
                shouldThrow<IllegalStateException> {
                    select {
                        ch.onReceive { it }
                        ch.onReceiveCatching { it.getOrThrow() }
                    }
                }
            e.message shouldContain "same object"
        }

        test("an unconfined select resumed by a Java send runs after the channel is unlocked") {
            // The select's block waits for a second element, which another thread can only send
            // once the first send's thread has let go of the channel's lock. Run inside that lock,
            // the block would wait forever (the timeout below is only a hang guard).
            val java = JavaChannel.rendezvous<Int>()
            val ch = java.asCoroutineChannel()
            val second = CountDownLatch(1)
            var got: Int? = null
            coroutineScope {
                val selecting =
                    launch(Dispatchers.Unconfined) {
                        select<Unit> {
                            ch.onReceive {
                                second.countDown()
                                got = java.receive(Duration.ofSeconds(30))
                            }
                        }
                    }
                val first = Thread { java.send(1) }
                val other = Thread {
                    second.await(30, TimeUnit.SECONDS)
                    java.send(2, Duration.ofSeconds(30))
                }
                other.start()
                first.start()
                selecting.join()
                first.join()
                other.join()
            }
            got shouldBe 2
        }

        test(
            "a select with no dispatcher is refused: a claim would run it inside the channel's lock"
        ) {
            val ch = SluiceChannel<Int>(1)
            var failure: Throwable? = null
            val body: suspend () -> Unit = { select<Int> { ch.onReceive { it } } }
            body.startCoroutine(
                Continuation(EmptyCoroutineContext) { failure = it.exceptionOrNull() }
            )
            (failure is IllegalStateException) shouldBe true
            failure!!.message shouldContain "CoroutineDispatcher"
            ch.trySend(1).isSuccess shouldBe true // nothing was left queued
            ch.receive() shouldBe 1
        }

        test("a select cancelled after it was handed an element gives it back") {
            runTest {
                val java = JavaChannel.rendezvous<Int>()
                val ch = java.asCoroutineChannel()
                val selecting = launch { select { ch.onReceive { it } } }
                testScheduler.runCurrent() // the select now waits
                java.trySend(11) shouldBe true // selected; its coroutine has not run yet
                selecting.cancel()
                testScheduler.runCurrent()
                selecting.isCancelled shouldBe true
                java.tryReceive() shouldBe 11
            }
        }
    })

internal fun javaChannel(capacity: Int): JavaChannel<Int> =
    when (capacity) {
        Channel.UNLIMITED -> JavaChannel.unbounded()
        0 -> JavaChannel.rendezvous()
        else -> JavaChannel.bounded(capacity)
    }
