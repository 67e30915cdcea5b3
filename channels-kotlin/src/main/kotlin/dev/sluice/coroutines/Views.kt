/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.ReceiverView
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.selects.SelectClause1

/*
 * The coroutine face of a ReceiverView (a receiver that another module builds over a Sluice channel,
 * such as a Kafka receiver). Invariant: every element this view takes from the source channel goes
 * through the view's viewTaken exactly once, in the coroutine that gets the result, after the take
 * has stood: a receive that returned, a select clause that won and was not cancelled (otherwise the
 * source's own view gave the element back), an iterator's next. Cancelling this view cancels the
 * ReceiverView, never the source channel.
 */

/** A kotlinx [ReceiveChannel] over a [ReceiverView]: its source channel's view, turned. */
internal class ViewReceiveChannel<E : Any>(private val view: ReceiverView<E>) : ReceiveChannel<E> {
    private val source: CoroutineChannel<Any> = CoroutineChannel(engineOf(view.viewSource()))

    private fun taken(element: Any): E = view.viewTaken(element)

    override val isClosedForReceive: Boolean
        get() = source.isClosedForReceive

    override val isEmpty: Boolean
        get() = source.isEmpty

    override suspend fun receive(): E = taken(source.receive())

    override suspend fun receiveCatching(): ChannelResult<E> = turned(source.receiveCatching())

    override fun tryReceive(): ChannelResult<E> = turned(source.tryReceive())

    override val onReceive: SelectClause1<E>
        get() = SelectClauses.onReceiveThen(source.engine, ::taken)

    override val onReceiveCatching: SelectClause1<ChannelResult<E>>
        get() = SelectClauses.onReceiveCatchingThen(source.engine, ::taken)

    override fun iterator(): ChannelIterator<E> {
        val it = source.iterator()
        return object : ChannelIterator<E> {
            override suspend fun hasNext(): Boolean = it.hasNext()

            override fun next(): E = taken(it.next())
        }
    }

    override fun cancel(cause: CancellationException?) {
        view.cancel()
    }

    @Deprecated(
        "Since 1.2.0, binary compatibility with versions <= 1.1.x",
        level = DeprecationLevel.HIDDEN,
    )
    override fun cancel(cause: Throwable?): Boolean {
        view.cancel()
        return true
    }

    private fun turned(result: ChannelResult<Any>): ChannelResult<E> {
        val element = result.getOrNull()
        return when {
            element != null -> ChannelResult.success(taken(element))
            result.isClosed -> ChannelResult.closed(result.exceptionOrNull())
            else -> ChannelResult.failure()
        }
    }

    override fun toString(): String = "ViewReceiveChannel($view)"
}
