/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.Sender
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedSendChannelException
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.future.await
import kotlinx.coroutines.selects.SelectClause2
import kotlinx.coroutines.withContext

/*
 * The coroutine face of a Sender that is not a Sluice channel (a Kafka sender of channels-kafka is
 * one), built on its public faces only. Invariant: a send that throws CancellationException did not
 * send. The send waits on the sender's sendAsync future; a cancelled wait cancels the future, which
 * a Sender's contract lets withdraw the send only while nothing was sent. If the withdrawal was
 * refused, the send is under way and cannot be taken back: the coroutine waits for its outcome
 * without being cancellable, and reports that outcome; the cancellation then shows at its next
 * suspension, as an interrupt does after a blocking send.
 */

/** A kotlinx [SendChannel] over a [Sender] that has no Sluice engine behind it. */
internal class ForeignSendChannel<E : Any>(private val sender: Sender<E>) : SendChannel<E> {

    override val isClosedForSend: Boolean
        get() = sender.isClosedForSend

    override suspend fun send(element: E) {
        try {
            val sent = sender.sendAsync(element)
            try {
                sent.await() // cancels `sent` if this coroutine is cancelled while it waits
            } catch (c: CancellationException) {
                if (sent.isCancelled) throw c // withdrawn: nothing was sent
                withContext(NonCancellable) { sent.await() } // under way: its outcome is the send's
            }
        } catch (e: ChannelClosedException) {
            throw closedForSend(e) // as kotlinx's channels report a closed channel
        }
    }

    override fun trySend(element: E): ChannelResult<Unit> =
        try {
            if (sender.trySend(element)) ChannelResult.success(Unit) else ChannelResult.failure()
        } catch (e: ChannelClosedException) {
            ChannelResult.closed(e.cause)
        } catch (e: RuntimeException) {
            ChannelResult.closed(e) // the sender failed the element; kotlinx's trySend never throws
        }

    override fun close(cause: Throwable?): Boolean =
        if (cause == null) sender.close() else sender.close(cause)

    override fun invokeOnClose(handler: (cause: Throwable?) -> Unit): Unit =
        throw UnsupportedOperationException(
            "invokeOnClose is not offered by ${sender.javaClass.name}, which is not a Sluice channel"
        )

    override val onSend: SelectClause2<E, SendChannel<E>>
        get() =
            throw UnsupportedOperationException(
                "onSend is not offered by ${sender.javaClass.name}, which is not a Sluice channel"
            )

    override fun toString(): String = "ForeignSendChannel($sender)"

    /** The close cause, if the sender was closed with one; kotlinx's exception otherwise. */
    private fun closedForSend(e: ChannelClosedException): Throwable =
        e.cause ?: ClosedSendChannelException("Channel was closed").also { it.initCause(e) }
}
