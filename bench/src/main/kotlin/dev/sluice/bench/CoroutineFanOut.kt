package dev.sluice.bench

import dev.sluice.channels.Broadcast
import dev.sluice.coroutines.asReceiveChannel
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancel
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.takeWhile
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeoutOrNull

/**
 * One invocation of [BroadcastFanOut] whose subscribers are coroutines on [Dispatchers.Default]:
 * made by the JMH thread with every subscriber already subscribed, fed by the sender thread
 * ([sendAll]), and waited for by the JMH thread ([await]).
 *
 * Each subscriber checks what it gets against the batch: element `i` is [Elements.VALUES]`[i]`, so
 * it expects the values in order, each lag skipping exactly as many as it reports. A subscriber
 * ends when the batch is over (the broadcast closed, or all [count] elements of the shared flow
 * taken) and returns how many elements it missed; received plus missed is always [count].
 *
 * The coroutines live in a scope of their own, as in [Drain]: a batch that failed must still let
 * the benchmark thread report it, and [cancel] then ends them.
 */
sealed class CoroutineFanOut(protected val count: Int) {

    init {
        require(count <= Elements.COUNT) { "at most ${Elements.COUNT} elements in a batch" }
    }

    protected val scope = CoroutineScope(Dispatchers.Default + Job())

    /** Each subscriber's number of missed elements, once it has seen the whole batch. */
    protected abstract val missed: List<Deferred<Long>>

    /** Sends the batch from the calling thread (the sender), then ends it. */
    abstract fun sendAll()

    /**
     * Waits until every subscriber has seen the whole batch, received or missed.
     *
     * @return the elements missed, all subscribers together
     * @throws IllegalStateException if a subscriber got an element out of order or counted its lags
     *   wrong, or the subscribers are still waiting after [CoroutineBatches.STALL]
     */
    fun await(): Long =
        runBlocking { withTimeoutOrNull(CoroutineBatches.STALL) { missed.awaitAll().sum() } }
            ?: throw IllegalStateException(
                "the subscribers did not finish in ${CoroutineBatches.STALL}: a receive is stuck"
            )

    /** Cancels the subscribers that are still running (none, after a successful [await]). */
    open fun cancel() {
        scope.cancel()
    }

    /**
     * A Sluice [Broadcast]: the sender thread calls its `send`, which never waits, then `close`;
     * each subscriber receives through its kotlinx view ([asReceiveChannel]) in a `for` loop, with
     * an `onLag` that counts the gap.
     */
    class Sluice(capacity: Int, subscribers: Int, count: Int) : CoroutineFanOut(count) {
        private val broadcast = Broadcast.create<Any>(capacity)

        // Subscribed here, in the JMH thread, before sendAll can run: no element is sent unseen.
        override val missed = List(subscribers) { drain(broadcast.subscribe()) }

        override fun sendAll() {
            for (i in 0 until count) {
                broadcast.send(Elements.VALUES[i])
            }
            broadcast.close() // ends the subscribers' loops once they have received the rest
        }

        override fun cancel() {
            super.cancel()
            broadcast.close()
        }

        private fun drain(subscriber: Broadcast.Subscriber<Any>): Deferred<Long> = scope.async {
            var want = 0L
            var lost = 0L
            val lag = { missed: Long ->
                want += missed
                lost += missed
            }
            for (element in subscriber.asReceiveChannel(onLag = lag)) {
                check(Elements.valueOf(element).toLong() == want) {
                    "expected element $want, received ${Elements.valueOf(element)}"
                }
                want++
            }
            check(want == count.toLong()) {
                "the broadcast closed after $want elements received or missed, not $count"
            }
            lost
        }
    }

    /**
     * kotlinx's `MutableSharedFlow(replay = 0, extraBufferCapacity = capacity, onBufferOverflow =
     * SUSPEND)`: the sender thread emits the batch inside one `runBlocking`, and suspends there
     * whenever the slowest collector is `capacity` elements behind; each subscriber is a collector
     * that takes [count] elements. A collector never misses one, so [await] always returns 0.
     */
    class SharedFlow(capacity: Int, subscribers: Int, count: Int) : CoroutineFanOut(count) {
        private val flow =
            MutableSharedFlow<Any>(
                replay = 0,
                extraBufferCapacity = capacity,
                onBufferOverflow = BufferOverflow.SUSPEND,
            )

        override val missed = List(subscribers) { collect() }

        init {
            // A shared flow without replay gives a collector only what is emitted after it
            // subscribed: wait until all of them have, before sendAll can run.
            runBlocking {
                withTimeoutOrNull(CoroutineBatches.STALL) {
                    flow.subscriptionCount.first { it >= subscribers }
                }
            }
                ?: throw IllegalStateException(
                    "the collectors did not subscribe in ${CoroutineBatches.STALL}"
                )
        }

        override fun sendAll() = runBlocking {
            for (i in 0 until count) {
                flow.emit(Elements.VALUES[i])
            }
        }

        private fun collect(): Deferred<Long> = scope.async {
            var want = 0
            flow.take(count).collect { element ->
                check(Elements.valueOf(element) == want) {
                    "expected element $want, collected ${Elements.valueOf(element)}"
                }
                want++
            }
            0L
        }
    }

    /**
     * kotlinx's `MutableSharedFlow(replay = 0, extraBufferCapacity = capacity, onBufferOverflow =
     * DROP_OLDEST)`: the semantics of a broadcast, except that nobody learns what was dropped. The
     * emitter never suspends, and a slow collector silently loses the oldest elements. The sender
     * emits the batch, then an end marker, which is never dropped (the newest element stays); each
     * collector takes elements until the marker, and counts the gaps in the values it got as
     * missed.
     */
    class SharedFlowDropOldest(capacity: Int, subscribers: Int, count: Int) :
        CoroutineFanOut(count) {
        private val flow =
            MutableSharedFlow<Any>(
                replay = 0,
                extraBufferCapacity = capacity,
                onBufferOverflow = BufferOverflow.DROP_OLDEST,
            )

        override val missed = List(subscribers) { collect() }

        init {
            runBlocking {
                withTimeoutOrNull(CoroutineBatches.STALL) {
                    flow.subscriptionCount.first { it >= subscribers }
                }
            }
                ?: throw IllegalStateException(
                    "the collectors did not subscribe in ${CoroutineBatches.STALL}"
                )
        }

        override fun sendAll() {
            for (i in 0 until count) {
                check(
                    flow.tryEmit(Elements.VALUES[i])
                ) // never fails: the oldest is dropped instead
            }
            check(flow.tryEmit(END))
        }

        private fun collect(): Deferred<Long> = scope.async {
            var want = 0L
            var lost = 0L
            flow
                .takeWhile { it !== END }
                .collect { element ->
                    val got = Elements.valueOf(element).toLong()
                    check(got >= want) { "expected element $want or later, collected $got" }
                    lost += got - want
                    want = got + 1
                }
            lost + (count - want) // elements dropped after the last one collected
        }

        private companion object {
            /**
             * The end of the batch: emitted last, so never the oldest when something is dropped.
             */
            val END = Any()
        }
    }
}
