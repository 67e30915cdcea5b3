/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.BufferOverflow as SluiceOverflow
import dev.sluice.channels.Channel as SluiceChannel
import dev.sluice.channels.Receiver
import dev.sluice.channels.ReceiverView
import dev.sluice.channels.Sender
import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Engines
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.SendChannel

/**
 * This Sluice channel as a kotlinx.coroutines [Channel]: the same queue, seen from coroutines.
 *
 * Java threads blocked in `send`/`receive`, `CompletableFuture`s and coroutines using the returned
 * view all meet in one queue, in one order. Elements sent from either side are received on either
 * side exactly once. The view is cheap: it holds nothing but the channel.
 *
 * Where the two ecosystems differ, each face keeps its own conventions over the one shared state:
 * after `close(cause)`, a Java receive throws [dev.sluice.channels.ChannelClosedException] with the
 * cause, a coroutine receive throws the cause itself (or
 * [kotlinx.coroutines.channels.ClosedReceiveChannelException] after a plain close), as kotlinx's
 * channels do; a receive that was waiting when the channel closed may throw kotlinx's copy of the
 * cause instead, with the coroutine's stack trace (stack-trace recovery, in kotlinx's debug mode),
 * as kotlinx's channels do too.
 *
 * ## Suspending and cancellation
 *
 * `send` and `receive` suspend by queueing the coroutine's continuation in the channel; no thread
 * is blocked. A coroutine cancelled while it waits leaves nothing behind. Beyond kotlinx's own
 * channels:
 * - a `receive` (or `receiveCatching`, `hasNext`, `onReceive` in a `select`) cancelled just as it
 *   was handed an element gives the element back to the channel: to another waiting receiver, or to
 *   the head of the buffer. kotlinx's channels drop it, or pass it to `onUndeliveredElement`;
 * - a `send` whose element was taken is not undone by a cancellation that comes after: it returns
 *   normally, and the coroutine sees the cancellation at its next suspension point. So a `send`
 *   that throws [kotlinx.coroutines.CancellationException] never sent its element. kotlinx's `send`
 *   has a "prompt cancellation guarantee" instead, and may throw although the element was
 *   delivered. (A `select` whose `onSend` won keeps kotlinx's prompt cancellation: that is the
 *   select's own.)
 *
 * ## Closing, and undelivered elements
 *
 * Two more differences from kotlinx's channels, both from Sluice's rule that an element whose send
 * failed stays with its caller:
 * - `close` fails the sends that are suspended at that moment, with
 *   [kotlinx.coroutines.channels.ClosedSendChannelException] (or the close cause), and their
 *   elements were not sent; kotlinx lets them complete.
 * - `onUndeliveredElement` gets only elements that entered the channel and will never be received
 *   (dropped by an overflow policy, discarded by `cancel`, or given back to a channel already
 *   closed and drained). kotlinx also passes it the elements of sends that failed or were
 *   cancelled; here those sends throw, and the element is still the caller's.
 *
 * An `invokeOnClose` handler runs in the thread that closes, after the close took effect; what it
 * throws goes to that thread's uncaught-exception handler (kotlinx rethrows it from `close`).
 *
 * ## Select
 *
 * `onReceive`, `onReceiveCatching` and `onSend` work in kotlinx's own `select { }`, beside clauses
 * of any other kind. A clause that loses has no effect: an `onSend` that lost did not send, an
 * `onReceive` that lost took nothing. The select must run under a
 * [kotlinx.coroutines.CoroutineDispatcher] (any dispatcher, `Dispatchers.Unconfined` too; a
 * coroutine started without one, such as `suspend fun main`'s, is refused with
 * [IllegalStateException]): a channel operation that chooses the select hands its resumption to
 * that dispatcher while it still holds the channel's lock, so a dispatcher's `dispatch` must not
 * run the coroutine in place (kotlinx requires the same).
 *
 * Callbacks that channel operations run after a change (future dependents, `invokeOnClose` and
 * `onUndeliveredElement` handlers) must not block waiting for a coroutine on
 * `Dispatchers.Unconfined` that the same operation resumed: such a coroutine runs after them.
 *
 * @return a kotlinx [Channel] over the same queue
 * @receiver the Sluice channel
 * @throws IllegalArgumentException if the channel is not one made by
 *   `dev.sluice.channels.Channel`'s factories
 */
public fun <E : Any> SluiceChannel<E>.asCoroutineChannel(): Channel<E> =
    CoroutineChannel(engineOf(this))

/**
 * This Sluice sender as a kotlinx [SendChannel]; see [asCoroutineChannel] for what the view shares
 * and how it behaves.
 *
 * A [Sender] that is not a Sluice channel (a Kafka sender of `channels-kafka` is one) gets a view
 * built on its own faces: `send` suspends on its `sendAsync` future, `trySend` is its `trySend`,
 * `close` its `close`. A coroutine cancelled while its `send` waits gets [CancellationException]
 * only if the send was withdrawn, nothing sent (a Kafka send: while it waited for room); once the
 * element is under way, `send` waits for the outcome and returns it, and the cancellation shows at
 * the coroutine's next suspension. A closed sender makes `send` throw the close cause, or kotlinx's
 * [kotlinx.coroutines.channels.ClosedSendChannelException], as kotlinx's channels do; `trySend`
 * reports a closed or failed send in its result and never throws. The view blocks where the sender
 * does: a Kafka sender's `sendAsync` waits in the caller for a new topic's metadata (up to
 * `max.block.ms`), its `trySend` waits for the broker's acknowledgement, and its `close` for the
 * producer's flush. `onSend` and `invokeOnClose` throw [UnsupportedOperationException] (kotlinx
 * allows that of `invokeOnClose`).
 *
 * @return a kotlinx [SendChannel] over the same queue, or over the foreign sender
 * @receiver the sender
 */
public fun <E : Any> Sender<E>.asSendChannel(): SendChannel<E> {
    val engine = Engines.of(this) ?: return ForeignSendChannel(this)
    @Suppress("UNCHECKED_CAST") // a Sluice Sender<E>'s engine carries E
    return CoroutineChannel(engine as BufferedChannel<E>)
}

/**
 * This Sluice receiver as a kotlinx [ReceiveChannel]; see [asCoroutineChannel] for what the view
 * shares and how it behaves.
 *
 * A [dev.sluice.channels.Oneshot] is a receiver too: its view receives its value, then finds the
 * channel closed.
 *
 * A [ReceiverView] (a receiver built over a Sluice channel elsewhere, such as a Kafka receiver of
 * `channels-kafka`) gets a view over its source channel that turns each element with
 * [ReceiverView.viewTaken] once the coroutine has it, and whose `cancel` calls the view's
 * [ReceiverView.cancel] (which may block the calling thread, as a Kafka receiver's close does). Its
 * receives, select clauses and iterator keep the source channel's promises: a coroutine cancelled
 * while it waits took nothing, and one cancelled just as an element was handed to it gives the
 * element back.
 *
 * @return a kotlinx [ReceiveChannel] over the same queue
 * @receiver the Sluice receiver
 * @throws IllegalArgumentException if the receiver is not a Sluice channel, oneshot, or
 *   [ReceiverView] over one
 */
public fun <E : Any> Receiver<E>.asReceiveChannel(): ReceiveChannel<E> =
    if (this is ReceiverView<E>) ViewReceiveChannel(this) else CoroutineChannel(engineOf(this))

/**
 * The Java face of the Sluice channel behind this coroutine view: the way back from
 * [asCoroutineChannel] and [SluiceChannel].
 *
 * @return the Sluice channel the view is over
 * @receiver a view made by this library
 * @throws IllegalArgumentException if this is not a view of a Sluice channel (a kotlinx channel,
 *   for one)
 */
public fun <E : Any> Channel<E>.asSluiceChannel(): SluiceChannel<E> = viewOf<E>(this).engine

/**
 * The Java face of the Sluice channel behind this send view.
 *
 * @return the Sluice channel, as its sending side
 * @receiver a view made by this library
 * @throws IllegalArgumentException if this is not a view of a Sluice channel
 */
public fun <E : Any> SendChannel<E>.asSender(): Sender<E> = viewOf<E>(this).engine

/**
 * The Java face of the Sluice channel behind this receive view.
 *
 * @return the Sluice channel, as its receiving side
 * @receiver a view made by this library
 * @throws IllegalArgumentException if this is not a view of a Sluice channel
 */
public fun <E : Any> ReceiveChannel<E>.asReceiver(): Receiver<E> = viewOf<E>(this).engine

/**
 * Makes a Sluice channel with kotlinx's parameters, and returns its coroutine view: a drop-in
 * replacement for kotlinx's `Channel(...)` factory whose queue Java threads can share
 * ([asSluiceChannel]).
 *
 * Capacities mean what they mean for kotlinx's factory: [Channel.RENDEZVOUS] (0),
 * [Channel.CONFLATED] (one element, the newest kept), [Channel.UNLIMITED], [Channel.BUFFERED] (64,
 * or the system property `kotlinx.coroutines.channels.defaultBuffer`), or a positive number. A
 * dropping [onBufferOverflow] needs a buffer: with [Channel.RENDEZVOUS] or [Channel.BUFFERED] it
 * gives a buffer of one, as kotlinx does; [Channel.UNLIMITED] never overflows and ignores it.
 *
 * @param capacity the capacity, or one of kotlinx's capacity constants
 * @param onBufferOverflow what a send does when the buffer is full
 * @param onUndeliveredElement called with each element that was sent and will never be received:
 *   dropped by the overflow policy, or discarded by `cancel`. It runs in the thread that dropped or
 *   discarded it, with no lock held; it must be fast and must not throw.
 * @return the coroutine view of a new channel
 * @throws IllegalArgumentException if [capacity] is negative and not a kotlinx constant, or
 *   [Channel.CONFLATED] is given with an overflow policy other than [BufferOverflow.SUSPEND]
 */
@Suppress("FunctionName") // a factory named after what it makes, as kotlinx's Channel(...) is
public fun <E : Any> SluiceChannel(
    capacity: Int = Channel.RENDEZVOUS,
    onBufferOverflow: BufferOverflow = BufferOverflow.SUSPEND,
    onUndeliveredElement: ((E) -> Unit)? = null,
): Channel<E> {
    val handler = onUndeliveredElement?.let { f -> java.util.function.Consumer<E> { f(it) } }
    val dropping = onBufferOverflow != BufferOverflow.SUSPEND
    val overflow =
        when (onBufferOverflow) {
            BufferOverflow.SUSPEND -> SluiceOverflow.SUSPEND
            BufferOverflow.DROP_OLDEST -> SluiceOverflow.DROP_OLDEST
            BufferOverflow.DROP_LATEST -> SluiceOverflow.DROP_LATEST
        }
    val engine =
        when (capacity) {
            Channel.RENDEZVOUS -> BufferedChannel(if (dropping) 1 else 0, overflow, handler)
            Channel.CONFLATED -> {
                require(!dropping) {
                    "CONFLATED capacity cannot be used with non-default onBufferOverflow"
                }
                BufferedChannel(1, SluiceOverflow.DROP_OLDEST, handler)
            }
            Channel.UNLIMITED -> BufferedChannel(Int.MAX_VALUE, SluiceOverflow.SUSPEND, handler)
            Channel.BUFFERED ->
                BufferedChannel(if (dropping) 1 else DEFAULT_BUFFER, overflow, handler)
            else -> {
                require(capacity >= 0) { "Invalid channel capacity: $capacity, should be >= 0" }
                BufferedChannel(capacity, overflow, handler)
            }
        }
    return CoroutineChannel(engine)
}

/** kotlinx's default buffer, read from the same system property kotlinx reads. */
private val DEFAULT_BUFFER: Int =
    (System.getProperty("kotlinx.coroutines.channels.defaultBuffer")?.toIntOrNull() ?: 64).coerceIn(
        1,
        Int.MAX_VALUE - 1,
    )

/**
 * Whether [other] is the same Sluice channel as this view: another view of it, or its Java face
 * ([dev.sluice.channels.Channel.sameChannel] from the Java side). Views are new objects, so `==`
 * tells them apart; this does not. False for any channel that is not Sluice's.
 *
 * @param other any object
 * @return `true` if both are faces of one channel
 * @receiver a channel view
 */
public fun SendChannel<*>.sameChannel(other: Any?): Boolean =
    other != null && Engines.sameEngine(this, other)

/** The same as [SendChannel.sameChannel], for a receiving view. */
public fun ReceiveChannel<*>.sameChannel(other: Any?): Boolean =
    other != null && Engines.sameEngine(this, other)

/** The same as [SendChannel.sameChannel], for a view that sends and receives. */
public fun Channel<*>.sameChannel(other: Any?): Boolean =
    other != null && Engines.sameEngine(this, other)

/** The engine of a Sluice channel of any kind ([dev.sluice.channels.Oneshot] among them). */
internal fun <E : Any> engineOf(channel: Any): BufferedChannel<E> {
    val engine = Engines.of(channel)
    require(engine != null) { "not a Sluice channel: ${channel.javaClass.name}" }
    @Suppress("UNCHECKED_CAST")
    return engine as BufferedChannel<E>
}

private fun <E : Any> viewOf(channel: Any): CoroutineChannel<E> {
    require(channel is CoroutineChannel<*>) {
        "not a view of a Sluice channel: ${channel.javaClass.name}"
    }
    @Suppress("UNCHECKED_CAST")
    return channel as CoroutineChannel<E>
}
