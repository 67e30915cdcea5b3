/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.Broadcast
import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.LaggedException
import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.Engines
import dev.sluice.channels.internal.Lag
import dev.sluice.channels.internal.SubscriberCore
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.ChannelIterator
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emitAll
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.selects.SelectClause1

/*
 * The coroutine face of a Broadcast. A subscriber has one token while it has something to receive
 * (see Broadcast.Subscriber): a coroutine waits by receiving the token through the coroutine view of
 * the subscriber's signal engine, then looks, with the token in hand, through the subscriber's core
 * (SubscriberCore.look, reached once per view through Engines.coreOf). So a
 * coroutine waits as on any Sluice channel, and a cancelled wait gives a token it was handed back:
 * it received nothing.
 *
 * A closed broadcast (or subscriber) is reported with kotlinx's ClosedReceiveChannelException, as a
 * closed channel is to coroutines. A lag is reported as LaggedException, unless the view was made
 * with an onLag function: then the view calls it and goes on with the oldest element still held.
 */

/**
 * This subscriber as a kotlinx [ReceiveChannel]: its `receive`, `receiveCatching`, `tryReceive`,
 * iterator, `onReceive` and `onReceiveCatching` take this subscriber's next element, as
 * [Broadcast.Subscriber.receive] does, and a coroutine cancelled while it waits received nothing.
 * Several views of one subscriber share its position.
 *
 * **Lag.** A subscriber that fell more than the broadcast's capacity behind missed elements. With
 * [onLag] `null` (the default), every receiving member of the view then throws [LaggedException]
 * (with [LaggedException.missed]) once, `tryReceive` and `receiveCatching` included, and the view
 * goes on with the oldest element still held. With [onLag], the view calls it with the number
 * missed and goes on at once, so a loop over the view sees only elements. [onLag] runs in the
 * receiving coroutine, outside any lock; it should not throw: in a `select`, the element after the
 * gap was already taken, and is skipped with the exception.
 *
 * **Close.** When the broadcast is closed and this subscriber received every element, or when the
 * subscriber is closed, the view is closed for receive: `receive` throws
 * [ClosedReceiveChannelException], `receiveCatching` returns a closed result, and a `for` loop
 * ends. [ReceiveChannel.cancel] closes the subscriber (unsubscribes).
 *
 * @param onLag what to do with a lag instead of throwing, or `null` to throw [LaggedException]
 * @return a kotlinx [ReceiveChannel] over this subscriber
 * @receiver the subscriber
 */
public fun <E : Any> Broadcast.Subscriber<E>.asReceiveChannel(
    onLag: ((missed: Long) -> Unit)? = null
): ReceiveChannel<E> = SubscriberChannel(this, onLag)

/**
 * This subscriber's elements as a cold [Flow]: collecting it receives from the subscriber, through
 * [asReceiveChannel] with the same [onLag], until the broadcast closes (or the subscriber does).
 * The flow does not close the subscriber: a second collection goes on where the first stopped.
 * Subscribe before the elements you need are sent, then collect: unlike [Broadcast.asFlow], no
 * element sent between the two is missed.
 *
 * @param onLag as for [asReceiveChannel]
 * @return a flow of the elements this subscriber receives
 * @receiver the subscriber
 */
public fun <E : Any> Broadcast.Subscriber<E>.receiveAsFlow(
    onLag: ((missed: Long) -> Unit)? = null
): Flow<E> = flow {
    for (element in SubscriberChannel(this@receiveAsFlow, onLag)) {
        emit(element)
    }
}

/**
 * The broadcast as a cold [Flow], as a `SharedFlow` is collected: each collection subscribes, gets
 * every element sent from then on, in order, and completes when the broadcast closes; its
 * subscriber is closed when the collection ends, however it ends. A slow collector never holds up
 * the senders: it falls behind, and [onLag] (as for [asReceiveChannel]) says what then happens.
 *
 * The subscription happens when the collection starts: elements sent before are not seen. To miss
 * none, [Broadcast.subscribe] first and collect [receiveAsFlow].
 *
 * @param onLag as for [asReceiveChannel]
 * @return a flow of the elements sent while it is collected
 * @receiver the broadcast
 */
public fun <E : Any> Broadcast<E>.asFlow(onLag: ((missed: Long) -> Unit)? = null): Flow<E> = flow {
    val subscriber = subscribe()
    try {
        emitAll(subscriber.receiveAsFlow(onLag))
    } finally {
        subscriber.close()
    }
}

/** The kotlinx view of one subscriber; see [asReceiveChannel]. */
internal class SubscriberChannel<E : Any>(
    private val subscriber: Broadcast.Subscriber<E>,
    private val onLag: ((Long) -> Unit)?,
) : ReceiveChannel<E> {
    private val core: SubscriberCore<E> = Engines.coreOf(subscriber)
    private val signalEngine: BufferedChannel<Any> = core.signal()
    private val signal = CoroutineChannel(signalEngine)

    override val isClosedForReceive: Boolean
        get() = subscriber.isClosedForReceive

    override val isEmpty: Boolean
        get() = !subscriber.isClosedForReceive && subscriber.isEmpty

    // receive and hasNext first take the token without suspending, in a part that calls no
    // suspending
    // function but its last: such a function needs no frame, so a receive that finds its element
    // allocates none. Only one that waits goes on to the loop that suspends, and its frame.

    override suspend fun receive(): E {
        while (signal.tryReceive().isSuccess) {
            lookAndGoOn()?.let {
                return it
            }
        }
        return receiveWaiting()
    }

    private suspend fun receiveWaiting(): E {
        while (true) {
            signal.receive() // the token
            lookAndGoOn()?.let {
                return it
            }
        }
    }

    override suspend fun receiveCatching(): ChannelResult<E> {
        while (true) {
            signal.receive()
            val element =
                try {
                    lookAndGoOn()
                } catch (e: ClosedReceiveChannelException) {
                    return ChannelResult.closed(null)
                }
            if (element != null) return ChannelResult.success(element)
        }
    }

    override fun tryReceive(): ChannelResult<E> {
        while (true) {
            if (!signal.tryReceive().isSuccess) return ChannelResult.failure()
            val element =
                try {
                    lookAndGoOn()
                } catch (e: ClosedReceiveChannelException) {
                    return ChannelResult.closed(null)
                }
            if (element != null) return ChannelResult.success(element)
            // A lag given to onLag (the token is back), or nothing: look once more.
        }
    }

    override val onReceive: SelectClause1<E>
        get() = SelectClauses.onReceiveThen(signalEngine) { selectLook() }

    override val onReceiveCatching: SelectClause1<ChannelResult<E>>
        get() =
            SelectClauses.onReceiveThen(signalEngine) {
                try {
                    ChannelResult.success(selectLook())
                } catch (e: ClosedReceiveChannelException) {
                    ChannelResult.closed(null)
                }
            }

    override fun iterator(): ChannelIterator<E> =
        object : ChannelIterator<E> {
            private var next: E? = null

            override suspend fun hasNext(): Boolean {
                if (next != null) return true
                while (signal.tryReceive().isSuccess) {
                    if (lookIntoNext()) return next != null
                }
                return hasNextWaiting()
            }

            private suspend fun hasNextWaiting(): Boolean {
                while (true) {
                    signal.receive()
                    if (lookIntoNext()) return next != null
                }
            }

            /**
             * Looks once with the token: `true` when done (an element in [next], or the end),
             * `false` to wait again.
             */
            private fun lookIntoNext(): Boolean {
                val element =
                    try {
                        lookAndGoOn()
                    } catch (e: ClosedReceiveChannelException) {
                        return true
                    }
                next = element
                return element != null
            }

            override fun next(): E {
                val element =
                    next
                        ?: throw IllegalStateException(
                            "'hasNext' should be called prior to 'next' invocation"
                        )
                next = null
                return element
            }
        }

    override fun cancel(cause: CancellationException?) {
        subscriber.close()
    }

    @Deprecated(
        "Since 1.2.0, binary compatibility with versions <= 1.1.x",
        level = DeprecationLevel.HIDDEN,
    )
    override fun cancel(cause: Throwable?): Boolean {
        val open = !subscriber.isClosedForReceive
        subscriber.close()
        return open
    }

    override fun toString(): String = "SubscriberChannel($subscriber)"

    /**
     * The look with the token in hand, one step at a time: the element, or `null` to look again (a
     * lag handed to [onLag], whose next element is then there; or nothing).
     */
    @Suppress("UNCHECKED_CAST")
    private fun lookAndGoOn(): E? {
        val r = look(skipLag = false) ?: return null
        if (r is Lag) {
            val handler = onLag ?: throw LaggedException(r.missed)
            handler(r.missed)
            return null
        }
        return r as E
    }

    /**
     * The look of a select clause, which must produce an element once chosen: a lag given to
     * [onLag] takes the element after the gap in the same step.
     */
    @Suppress("UNCHECKED_CAST")
    private fun selectLook(): E {
        val r =
            look(skipLag = onLag != null)
                ?: throw IllegalStateException(
                    "a subscriber used by several coroutines at once had nothing for its select"
                )
        if (r is Lag) {
            val handler = onLag
            val next = r.next
            // No element after the gap only if a future cancelled in a race gave its lag back late.
            if (handler == null || next == null) throw LaggedException(r.missed)
            handler(r.missed)
            return next as E
        }
        return r as E
    }

    private fun look(skipLag: Boolean): Any? =
        try {
            core.look(skipLag)
        } catch (e: ChannelClosedException) {
            throw ClosedReceiveChannelException(e.message)
        }
}
