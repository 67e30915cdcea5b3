package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.yield

/** [receiveMany] on Sluice views at capacities 0, 1, 16 and unbounded, and on kotlinx channels. */
class BatchesSpec :
    FunSpec({
        fun view(capacity: Int): Channel<Int> =
            when (capacity) {
                0 -> JavaChannel.rendezvous<Int>()
                Int.MAX_VALUE -> JavaChannel.unbounded()
                else -> JavaChannel.bounded(capacity)
            }.asCoroutineChannel()

        for (capacity in listOf(0, 1, 16, Int.MAX_VALUE)) {
            test("a Sluice view of capacity $capacity: in order, suspending, cancelled, closed") {
                val ch = view(capacity)
                coroutineScope {
                    // Ten elements: buffered, and past the buffer in sends that wait, in order.
                    val senders =
                        List(10) {
                            launch(start = CoroutineStart.UNDISPATCHED) { ch.send(it) }
                        }
                    ch.receiveMany(4) shouldContainExactly listOf(0, 1, 2, 3)
                    val rest = mutableListOf<Int>()
                    while (rest.size < 6) rest += ch.receiveMany(100)
                    rest shouldContainExactly (4 until 10).toList()
                    senders.forEach { it.join() }
                }

                // Suspends for the first element, then takes what is there.
                coroutineScope {
                    val batch = async(start = CoroutineStart.UNDISPATCHED) { ch.receiveMany(8) }
                    ch.send(42)
                    batch.await() shouldContainExactly listOf(42)
                }

                // Cancelled while suspended: took nothing.
                coroutineScope {
                    val batch = launch(start = CoroutineStart.UNDISPATCHED) { ch.receiveMany(8) }
                    batch.cancel()
                    batch.join()
                    launch { ch.send(7) }
                    ch.receiveMany(8) shouldContainExactly listOf(7)
                }

                shouldThrow<IllegalArgumentException> { ch.receiveMany(0) }
                ch.close()
                shouldThrow<ClosedReceiveChannelException> { ch.receiveMany(3) }
            }
        }

        test("the close cause is thrown as receive throws it") {
            val ch = view(16)
            ch.send(1)
            ch.close(IllegalStateException("done"))
            ch.receiveMany(5) shouldContainExactly listOf(1)
            shouldThrow<IllegalStateException> { ch.receiveMany(5) }.message shouldBe "done"
        }

        test("a kotlinx channel: one receive, then what is there") {
            val ch = Channel<Int>(16)
            repeat(5) { ch.send(it) }
            ch.receiveMany(3) shouldContainExactly listOf(0, 1, 2)
            ch.receiveMany(10) shouldContainExactly listOf(3, 4)
            coroutineScope {
                val batch = async(start = CoroutineStart.UNDISPATCHED) { ch.receiveMany(3) }
                yield()
                ch.send(9)
                batch.await() shouldContainExactly listOf(9)
            }
            ch.close()
            shouldThrow<ClosedReceiveChannelException> { ch.receiveMany(3) }
        }
    })
