package dev.sluice.bench

import dev.sluice.coroutines.asCoroutineChannel
import dev.sluice.coroutines.receiveMany
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.BlockingQueue
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.trySendBlocking
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * The rows of [ThreadsToCoroutines]: a way for Java platform threads, which block, to hand elements
 * to coroutines on [Dispatchers.Default], which must not. Sluice does it with one channel that has
 * both faces; the other rows are what people do today.
 */
enum class BridgeImpl {
    /**
     * One Sluice channel: the threads call its blocking `send`, the coroutines `receive` on its
     * coroutine view (`asCoroutineChannel()`), which suspends without holding a thread.
     */
    SLUICE {
        override fun open(capacity: Int): Bridge = Bridge.Sluice(capacity)
    },

    /**
     * The same channel, with coroutines that take batches of up to 64 (`receiveMany`): not a row of
     * the bridge comparison, but what a consumer that can work in batches gets.
     */
    SLUICE_MANY {
        override fun open(capacity: Int): Bridge = Bridge.Sluice(capacity, batch = 64)
    },

    /** A kotlinx `Channel`; the threads send with `trySendBlocking`, the coroutines `receive`. */
    KOTLINX_TRY_SEND_BLOCKING {
        override fun open(capacity: Int): Bridge = Bridge.KotlinxTrySendBlocking(capacity)
    },

    /** A kotlinx `Channel`; each thread sends each element in its own `runBlocking { send(e) }`. */
    KOTLINX_RUN_BLOCKING {
        override fun open(capacity: Int): Bridge = Bridge.KotlinxRunBlocking(capacity)
    },

    /**
     * An `ArrayBlockingQueue`; the threads `put`, and the coroutines take each element with
     * `withContext(Dispatchers.IO) { queue.take() }`: two dispatches per element.
     */
    ABQ_IO {
        override fun open(capacity: Int): Bridge =
            Bridge.Queue(ArrayBlockingQueue(capacity), loop = false)
    },

    /**
     * An `ArrayBlockingQueue`; each coroutine runs its whole receive loop inside
     * `withContext(Dispatchers.IO)`: it holds an IO thread for the batch, blocked in `take`, and
     * handles the elements there, off [Dispatchers.Default].
     */
    ABQ_IO_LOOP {
        override fun open(capacity: Int): Bridge =
            Bridge.Queue(ArrayBlockingQueue(capacity), loop = true)
    },

    /**
     * A jox `Channel`; the threads `send`, the coroutines take each element with
     * `withContext(Dispatchers.IO) { channel.receive() }`.
     */
    JOX_IO {
        override fun open(capacity: Int): Bridge = Bridge.Jox(capacity, loop = false)
    },

    /** A jox `Channel`; each coroutine runs its receive loop in `withContext(Dispatchers.IO)`. */
    JOX_IO_LOOP {
        override fun open(capacity: Int): Bridge = Bridge.Jox(capacity, loop = true)
    };

    /** Opens a new, empty bridge with a buffer of [capacity] (1 or more) elements. */
    abstract fun open(capacity: Int): Bridge
}

/**
 * One channel or queue between Java threads and coroutines, as [ThreadsToCoroutines] uses it: the
 * threads call [send], the coroutines [receiveSum]. Each invocation opens a new one and closes it
 * at the end; each fork uses one subclass only, so the calls stay monomorphic.
 */
sealed class Bridge {

    /** Sends [element] from a Java thread, blocking while the buffer is full. */
    @Throws(InterruptedException::class) abstract fun send(element: Any)

    /**
     * Receives [count] elements in a coroutine on [Dispatchers.Default] and returns the sum of
     * their values ([Elements.valueOf]).
     */
    abstract suspend fun receiveSum(count: Int): Long

    /**
     * Closes the channel, so that a receiver still waiting (only after a failure) is woken. Queues
     * cannot be closed: for them it does nothing.
     */
    abstract fun close()

    /** Sluice: a blocking face for the threads, the coroutine view for the coroutines. */
    class Sluice(capacity: Int, private val batch: Int = 1) : Bridge() {
        private val channel = dev.sluice.channels.Channel.bounded<Any>(capacity)
        private val view = channel.asCoroutineChannel()

        override fun send(element: Any) = channel.send(element)

        override suspend fun receiveSum(count: Int): Long {
            var sum = 0L
            if (batch == 1) {
                repeat(count) { sum += Elements.valueOf(view.receive()) }
                return sum
            }
            var left = count
            while (left > 0) {
                val got = view.receiveMany(minOf(batch, left))
                for (e in got) sum += Elements.valueOf(e)
                left -= got.size
            }
            return sum
        }

        override fun close() {
            channel.close()
        }
    }

    /** A kotlinx channel fed with `trySendBlocking`, which blocks while the buffer is full. */
    class KotlinxTrySendBlocking(capacity: Int) : Bridge() {
        private val channel = Channel<Any>(capacity)

        override fun send(element: Any) {
            channel.trySendBlocking(element).getOrThrow()
        }

        override suspend fun receiveSum(count: Int): Long = receiveSum(channel, count)

        override fun close() {
            channel.close()
        }
    }

    /** A kotlinx channel fed with a `runBlocking { send(e) }` per element. */
    class KotlinxRunBlocking(capacity: Int) : Bridge() {
        private val channel = Channel<Any>(capacity)

        override fun send(element: Any) = runBlocking { channel.send(element) }

        override suspend fun receiveSum(count: Int): Long = receiveSum(channel, count)

        override fun close() {
            channel.close()
        }
    }

    /** A blocking queue, taken from in [Dispatchers.IO]: per element, or for the whole loop. */
    class Queue(private val queue: BlockingQueue<Any>, private val loop: Boolean) : Bridge() {
        override fun send(element: Any) = queue.put(element)

        override suspend fun receiveSum(count: Int): Long {
            var sum = 0L
            if (loop) {
                withContext(Dispatchers.IO) {
                    repeat(count) { sum += Elements.valueOf(queue.take()) }
                }
            } else {
                repeat(count) {
                    sum += Elements.valueOf(withContext(Dispatchers.IO) { queue.take() })
                }
            }
            return sum
        }

        override fun close() {}
    }

    /** A jox channel, received from in [Dispatchers.IO]: per element, or for the whole loop. */
    class Jox(capacity: Int, private val loop: Boolean) : Bridge() {
        private val channel = com.softwaremill.jox.Channel.newBufferedChannel<Any>(capacity)

        override fun send(element: Any) = channel.send(element)

        override suspend fun receiveSum(count: Int): Long {
            var sum = 0L
            if (loop) {
                withContext(Dispatchers.IO) {
                    repeat(count) { sum += Elements.valueOf(channel.receive()) }
                }
            } else {
                repeat(count) {
                    sum += Elements.valueOf(withContext(Dispatchers.IO) { channel.receive() })
                }
            }
            return sum
        }

        override fun close() {
            channel.done()
        }
    }

    private companion object {
        suspend fun receiveSum(channel: Channel<Any>, count: Int): Long {
            var sum = 0L
            repeat(count) { sum += Elements.valueOf(channel.receive()) }
            return sum
        }
    }
}
