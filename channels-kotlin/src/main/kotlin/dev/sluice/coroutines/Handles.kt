/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.ReceiverHandle
import dev.sluice.channels.SenderHandle
import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.CloseSignals
import dev.sluice.channels.internal.Engines
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.selects.SelectClause1
import kotlinx.coroutines.selects.SelectClause2

/*
 * The coroutine face of handles (dev.sluice.channels.SenderHandle and ReceiverHandle). A handle's
 * view is a kotlinx SendChannel or ReceiveChannel over the handle's channel, with one difference
 * from a channel's own view: closing it (close for a sender, cancel for a receiver) closes the
 * handle, and so closes or cancels the channel only when that handle was the last. Every other
 * member behaves as the channel view's, and refuses use once the handle is closed.
 */

/**
 * This sending handle as a kotlinx [SendChannel]. `close()` closes the handle (and returns `true`
 * if that call did); when it was the last sending handle, the channel closes, with `close(cause)`'s
 * cause if one is given. Sends through a view of a closed handle throw [IllegalStateException].
 *
 * In kotlinx's `produce`/`consumeEach` habits, a handle replaces the one producer that closes the
 * channel: each producer coroutine takes a handle made before it starts and closes it, with
 * `handle.use { }` or `view.close()`, when it is done.
 *
 * @return the view
 * @receiver the handle
 */
public fun <E : Any> SenderHandle<E>.asSendChannel(): SendChannel<E> =
    HandleSendChannel(this, CoroutineChannel(engineOfHandle(this)))

/**
 * This receiving handle as a kotlinx [ReceiveChannel]. `cancel()` closes the handle; when it was
 * the last receiving handle, the channel is cancelled. Receives through a view of a closed handle
 * throw [IllegalStateException].
 *
 * @return the view
 * @receiver the handle
 */
public fun <E : Any> ReceiverHandle<E>.asReceiveChannel(): ReceiveChannel<E> =
    HandleReceiveChannel(this, CoroutineChannel(engineOfHandle(this)))

/**
 * Suspends until nothing sent through this handle's channel will be received any more: the
 * coroutine face of [SenderHandle.closed]. A coroutine cancelled while it waits leaves the close
 * signal for the others.
 *
 * @receiver the handle
 * @throws IllegalStateException if the handle was closed
 */
public suspend fun <E : Any> SenderHandle<E>.awaitClosed() {
    val signals = signalsOf(this)
    val signal = CoroutineChannel(signals.signal())
    val token = signal.receive()
    signals.signal().trySend(token) // put back: every other wait sees the close too
}

/**
 * A kotlinx `select` clause chosen once nothing sent will be received any more, as [awaitClosed]:
 * the coroutine face of [SenderHandle.onClosed], with the same rule beside an `onSend` of the same
 * channel (the close fails that select, as the send would).
 *
 * @receiver the handle
 */
public val <E : Any> SenderHandle<E>.onAwaitClosed: SelectClause1<Unit>
    get() {
        val signals = signalsOf(this)
        return SelectClauses.onReceiveThen(signals.signal()) { token ->
            signals.signal().trySend(token)
            Unit
        }
    }

/**
 * The channel view behind [channel] for an extension that needs the engine: a channel's view, or
 * the view of an open sending handle.
 *
 * @throws IllegalStateException if [channel] is the view of a closed handle
 * @throws UnsupportedOperationException if [channel] is not a Sluice channel's view
 */
internal fun <E : Any> sluiceSendView(channel: SendChannel<E>, what: String): CoroutineChannel<E> =
    when (channel) {
        is CoroutineChannel<E> -> channel
        is HandleSendChannel<E> -> channel.openView()
        else ->
            throw UnsupportedOperationException(
                "$what needs a view of a Sluice channel (asCoroutineChannel() or a handle's " +
                    "asSendChannel()), not ${channel::class.java.name}"
            )
    }

private fun signalsOf(handle: SenderHandle<*>): CloseSignals {
    check(!handle.isReleased) { "this sending handle was closed" }
    return engineOfHandle<Any>(handle).closeSignals()
}

@Suppress("UNCHECKED_CAST")
private fun <E : Any> engineOfHandle(handle: Any): BufferedChannel<E> =
    Engines.of(handle) as BufferedChannel<E>

/** [asSendChannel]: the channel's view, with close turned into the handle's. */
private class HandleSendChannel<E : Any>(
    private val handle: SenderHandle<E>,
    private val view: CoroutineChannel<E>,
) : SendChannel<E> by view {
    private fun open(): CoroutineChannel<E> {
        check(!handle.isReleased) { "this sending handle was closed" }
        return view
    }

    fun openView(): CoroutineChannel<E> = open()

    override suspend fun send(element: E) = open().send(element)

    override fun trySend(element: E): ChannelResult<Unit> = open().trySend(element)

    override val onSend: SelectClause2<E, SendChannel<E>>
        get() = open().onSend

    override fun close(cause: Throwable?): Boolean {
        val sender = handle.asSender()
        return if (cause == null) sender.close() else sender.close(cause)
    }

    override fun toString(): String = "HandleSendChannel($handle)"

    private companion object {
        init {
            Engines.register(HandleSendChannel::class.java) {
                (it as HandleSendChannel<*>).view.engine
            }
        }
    }
}

/** [asReceiveChannel]: the channel's view, with cancel turned into the handle's close. */
private class HandleReceiveChannel<E : Any>(
    private val handle: ReceiverHandle<E>,
    private val view: CoroutineChannel<E>,
) : ReceiveChannel<E> by view {
    private fun open(): CoroutineChannel<E> {
        check(!handle.isReleased) { "this receiving handle was closed" }
        return view
    }

    override suspend fun receive(): E = open().receive()

    override suspend fun receiveCatching(): ChannelResult<E> = open().receiveCatching()

    override fun tryReceive(): ChannelResult<E> = open().tryReceive()

    override fun iterator(): ChannelIterator<E> = open().iterator()

    override val onReceive: SelectClause1<E>
        get() = open().onReceive

    override val onReceiveCatching: SelectClause1<ChannelResult<E>>
        get() = open().onReceiveCatching

    override fun cancel(cause: CancellationException?) {
        handle.close()
    }

    override fun toString(): String = "HandleReceiveChannel($handle)"

    private companion object {
        init {
            Engines.register(HandleReceiveChannel::class.java) {
                (it as HandleReceiveChannel<*>).view.engine
            }
        }
    }
}
