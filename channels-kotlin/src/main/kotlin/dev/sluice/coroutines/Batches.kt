/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.ChannelClosedException
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ReceiveChannel

/*
 * Batch receives for coroutines. The invariant: a batch holds each element it took exactly once,
 * and it suspends only before it holds any, so a cancelled batch took nothing (the suspension is
 * the channel's own receive, which gives back an element handed to it at the moment of the
 * cancellation).
 */

/**
 * Receives a batch: suspends while the channel is empty, then takes up to [max] elements, oldest
 * first, and returns them. The coroutine face of [dev.sluice.channels.Receiver.receiveMany].
 *
 * On a view of a Sluice channel the batch is the channel's oldest elements, taken in one step: no
 * other receive gets an element between two of them (when the batch had to suspend, its first
 * element is the one its receive was handed, and the rest are taken in one step right after). On
 * any other [ReceiveChannel] it is one [ReceiveChannel.receive] followed by
 * [ReceiveChannel.tryReceive]s.
 *
 * Cancellation can only happen while the batch suspends for its first element, and then it took
 * nothing: an element handed to it at the very moment of the cancellation goes back to the channel,
 * as for [ReceiveChannel.receive].
 *
 * @param max the most to take, at least 1
 * @return one to [max] elements, oldest first
 * @receiver the channel
 * @throws ClosedReceiveChannelException if the channel is closed and drained (or the close cause,
 *   as [ReceiveChannel.receive] throws it)
 * @throws IllegalArgumentException if [max] is less than 1
 */
public suspend fun <E : Any> ReceiveChannel<E>.receiveMany(max: Int): List<E> {
    require(max >= 1) { "a batch takes at least 1 element, max was $max" }
    val batch = ArrayList<E>()
    val view = this as? CoroutineChannel<E>
    if (view != null) {
        try {
            if (view.engine.tryReceiveMany(batch, max) > 0) return batch
        } catch (closed: ChannelClosedException) {
            throw view.receiveException()
        }
    }
    batch.add(receive())
    if (max > 1) takeNow(batch, max - 1)
    return batch
}

/** Adds up to [max] elements that are there now to [batch], never suspending, never throwing. */
private fun <E : Any> ReceiveChannel<E>.takeNow(batch: MutableList<E>, max: Int) {
    if (this is CoroutineChannel<E>) {
        try {
            engine.tryReceiveMany(batch, max)
        } catch (closed: ChannelClosedException) {
            // Closed and drained after the first element: the batch ends here.
        }
        return
    }
    repeat(max) {
        batch.add(tryReceive().getOrNull() ?: return)
    }
}
