package dev.sluice.bench

import dev.sluice.coroutines.SluiceChannel
import kotlinx.coroutines.channels.Channel

/**
 * The rows of the coroutine benchmarks ([CoroutineBatches]): which kotlinx [Channel] the coroutines
 * send and receive on. Both are made with kotlinx's capacity convention: 0 is a rendezvous, a
 * positive number a buffer of that many elements.
 */
enum class CoroutineImpl {
    /** Sluice's coroutine view, made by `SluiceChannel(capacity)`. */
    SLUICE {
        override fun open(capacity: Int): Channel<Any> = SluiceChannel(capacity)
    },

    /** kotlinx.coroutines' own channel, made by `Channel(capacity)`. */
    KOTLINX {
        override fun open(capacity: Int): Channel<Any> = Channel(capacity)
    };

    /** Makes a new, empty channel of this row; [capacity] is 0 or more. */
    abstract fun open(capacity: Int): Channel<Any>
}
