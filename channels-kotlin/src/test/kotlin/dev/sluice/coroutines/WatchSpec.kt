package dev.sluice.coroutines

import dev.sluice.channels.Channel as JavaChannel
import dev.sluice.channels.Watch
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext

/** The coroutine face of [Watch]: [value], [awaitChanged], [onAwaitChanged] and [asFlow]. */
class WatchSpec :
    FunSpec({
        test("value reads and sets the watch") {
            val watch = Watch.create(1)
            watch.value shouldBe 1
            watch.value = 2
            watch.get() shouldBe 2
        }

        test("awaitValue returns a value that satisfies it at once, else suspends for one") {
            val watch = Watch.create(5)
            val reader = watch.subscribe()
            reader.awaitValue { it > 3 } shouldBe 5
            coroutineScope {
                val waiting =
                    async(start = CoroutineStart.UNDISPATCHED) { reader.awaitValue { it >= 10 } }
                Thread {
                    watch.set(7)
                    watch.set(12)
                }
                    .apply { start() }
                    .join()
                waiting.await() shouldBe 12
            }
            watch.close()
            shouldThrow<ClosedReceiveChannelException> { reader.awaitValue { it == 0 } }
        }

        test("awaitChanged suspends until a set from a Java thread, and sees several sets as one") {
            val watch = Watch.create(0)
            val reader = watch.subscribe()
            coroutineScope {
                val waiting = async(start = CoroutineStart.UNDISPATCHED) { reader.awaitChanged() }
                Thread { watch.set(1) }.apply { start() }.join()
                waiting.await() shouldBe 1
            }
            watch.set(2)
            watch.set(3)
            reader.awaitChanged() shouldBe 3
            reader.hasChanged() shouldBe false
        }

        test(
            "a cancelled awaitChanged marks nothing, even when cancelled just as the change came"
        ) {
            runTest {
                val watch = Watch.create(0)
                val reader = watch.subscribe()
                val waiting = launch { reader.awaitChanged() }
                testScheduler.runCurrent() // waits now
                watch.set(1) // wakes it; it has not run yet
                waiting.cancel()
                testScheduler.runCurrent()
                waiting.isCancelled shouldBe true
                reader.hasChanged() shouldBe true
                reader.awaitChanged() shouldBe 1
            }
        }

        test(
            "awaitChanged fails as kotlinx does once the watch is closed and the last value seen"
        ) {
            val watch = Watch.create(0)
            val reader = watch.subscribe()
            watch.set(9)
            watch.close()
            reader.awaitChanged() shouldBe 9
            shouldThrow<ClosedReceiveChannelException> { reader.awaitChanged() }
        }

        test("onAwaitChanged in a select: a losing clause marks nothing") {
            val watch = Watch.create(0)
            val reader = watch.subscribe()
            val other = JavaChannel.bounded<String>(1).asCoroutineChannel()
            other.send("first")
            watch.set(1)
            select {
                other.onReceive { it }
                reader.onAwaitChanged { "watch $it" }
            } shouldBe "first"
            reader.hasChanged() shouldBe true
            select {
                other.onReceive { it }
                reader.onAwaitChanged { "watch $it" }
            } shouldBe "watch 1"
        }

        test("asFlow emits the current value, then distinct changes, and completes on close") {
            val watch = Watch.create("a")
            withContext(Dispatchers.Default) {
                // Undispatched: the collector has subscribed and emitted "a" when async returns.
                val collected =
                    async(start = CoroutineStart.UNDISPATCHED) { watch.asFlow().toList() }
                watch.readerCount() shouldBe 1
                watch.setIfChanged("a") // not a change
                watch.set("b")
                watch.set("b") // a change, but not a distinct value
                watch.close()
                collected.await() shouldContainExactly listOf("a", "b")
            }
            watch.readerCount() shouldBe 0
        }
    })
