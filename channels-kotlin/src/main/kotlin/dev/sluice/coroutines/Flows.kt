/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.Receiver
import dev.sluice.channels.Sender
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.receiveAsFlow

/*
 * Kotlin Flow adapters, both through the coroutine view of the channel (asReceiveChannel,
 * asSendChannel): a collector suspends in the view's receive, and sendTo in the view's send, so no
 * thread is blocked, and the view's promises on cancellation hold for flows too.
 */

/**
 * The elements received from this Sluice receiver, as a hot [Flow]: kotlinx's
 * [ReceiveChannel.receiveAsFlow][kotlinx.coroutines.flow.receiveAsFlow] over [asReceiveChannel].
 *
 * Each collection receives from the channel until it is closed and drained, then completes; if the
 * channel was closed with a cause, the collection throws that cause. Collections, Java threads and
 * every other receiver of the channel compete for its elements: each element goes to one of them.
 * The flow may be collected any number of times, one after another or at once. Ending a collection
 * (an exception, cancellation, an operator such as `take` that stops early) does not close or
 * cancel the channel: the elements the collection did not receive stay in it.
 *
 * ## Suspending and cancellation
 *
 * A collector waits for an element by suspending in the view's `receive`. A collector cancelled
 * while it waits took nothing; one cancelled just as an element was handed to it gives the element
 * back to the channel, to another receiver or the head of the buffer (see [asCoroutineChannel]). An
 * element that reached `emit` belongs to the downstream flow from then on: operators that buffer it
 * ([kotlinx.coroutines.flow.buffer], [kotlinx.coroutines.flow.flowOn]) and are then cancelled drop
 * it, as they drop any element.
 *
 * @return a flow of the received elements
 * @receiver a Sluice channel, [dev.sluice.channels.Oneshot], or [dev.sluice.channels.ReceiverView]
 * @throws IllegalArgumentException if the receiver is not a Sluice channel, oneshot, or view over
 *   one
 */
public fun <E : Any> Receiver<E>.receiveAsFlow(): Flow<E> = asReceiveChannel().receiveAsFlow()

/**
 * The elements received from this Sluice receiver, as a [Flow] that may be collected once and then
 * owns the channel: kotlinx's [ReceiveChannel.consumeAsFlow][kotlinx.coroutines.flow.consumeAsFlow]
 * over [asReceiveChannel].
 *
 * The collection receives as [receiveAsFlow]'s does. When it ends in any way other than the channel
 * being closed and drained (an exception, cancellation, an operator that stops early), it cancels
 * the channel, as [Receiver.cancel] does: later sends and receives fail, from every face, and every
 * element still buffered goes to the channel's undelivered-element handler. A second collection
 * throws [IllegalStateException].
 *
 * ## Suspending and cancellation
 *
 * As for [receiveAsFlow]; then the channel is cancelled.
 *
 * @return a flow of the received elements that cancels the channel when its collection ends
 * @receiver a Sluice channel, [dev.sluice.channels.Oneshot], or [dev.sluice.channels.ReceiverView]
 * @throws IllegalArgumentException if the receiver is not a Sluice channel, oneshot, or view over
 *   one
 */
public fun <E : Any> Receiver<E>.consumeAsFlow(): Flow<E> = asReceiveChannel().consumeAsFlow()

/**
 * Collects this flow and sends each element into [sender], in order, suspending while the channel
 * is full: through the coroutine view [asSendChannel], so no thread is blocked. Java threads,
 * futures and coroutines receive the elements from the channel as they come.
 *
 * When the flow completes, [closeWhenDone] (the default) closes the sender, and its receivers end
 * once they drained it: the end of a pipeline. When the flow throws, or the collecting coroutine is
 * cancelled, [closeWhenDone] closes the sender with that exception as the cause (a
 * [kotlinx.coroutines.CancellationException] for cancellation, as kotlinx's `produce` does), and
 * this function rethrows it. With [closeWhenDone] false the sender stays open, for several flows
 * that feed one channel.
 *
 * ## Suspending and cancellation
 *
 * Each send suspends in the view's `send` while the channel is full (for a rendezvous channel:
 * until a receiver takes the element). If the coroutine is cancelled while a send waits, that
 * element was not sent, and this function throws [kotlinx.coroutines.CancellationException]; a send
 * whose element was taken returns normally even if the cancellation comes just after (see
 * [asCoroutineChannel]), so every element before the one in hand is in the channel.
 *
 * ## A closed channel
 *
 * If the channel is closed by someone else, the send in progress fails with kotlinx's
 * [kotlinx.coroutines.channels.ClosedSendChannelException] (or the close cause), that element was
 * not sent, the collection of the flow ends, and this function throws that exception.
 *
 * A [Sender] that is not a Sluice channel (a Kafka sender) is sent to through its own faces, as
 * [asSendChannel] says: each send suspends until that sender reports the element sent, and the
 * sender may block the collecting thread where its own faces do (a Kafka sender: for a new topic's
 * metadata, and in `close`).
 *
 * @param sender a Sluice channel, or another [Sender]
 * @param closeWhenDone whether to close [sender] when the flow completes, fails or is cancelled
 * @receiver the flow to collect
 */
public suspend fun <E : Any> Flow<E>.sendTo(sender: Sender<E>, closeWhenDone: Boolean = true) {
    val channel = sender.asSendChannel()
    try {
        collect { channel.send(it) }
    } catch (failure: Throwable) {
        if (closeWhenDone) {
            channel.close(failure)
        }
        throw failure
    }
    if (closeWhenDone) {
        channel.close()
    }
}
