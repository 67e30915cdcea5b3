/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.ChannelClosedException
import dev.sluice.channels.Watch
import dev.sluice.channels.internal.Engines
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.selects.SelectClause1

/*
 * The coroutine face of a Watch. A reader waits by receiving its signal's token (see Watch.Reader)
 * through the coroutine view of the signal's engine (its core's, ReaderCore.signal, reached through
 * Engines.coreOf), so a coroutine waits as on any Sluice channel,
 * and a cancelled wait gives a token it was handed back: it marks nothing.
 *
 * A closed watch is reported with kotlinx's ClosedReceiveChannelException, as a closed channel is
 * to coroutines.
 */

/**
 * The watch's current value, as [Watch.get]; setting it is [Watch.set]. The `MutableStateFlow`-like
 * spelling of the two. Neither suspends nor waits; setting a closed watch throws
 * [dev.sluice.channels.ChannelClosedException], as [Watch.set] does (unlike a `MutableStateFlow`, a
 * watch can be closed).
 */
public var <E : Any> Watch<E>.value: E
    get() = get()
    set(value) = set(value)

/**
 * Suspends until the watch holds a value this reader has not seen, marks it as seen, and returns
 * it: the coroutine face of [Watch.Reader.changed]. Several sets since the last mark are seen as
 * one, the latest. A coroutine cancelled while it waits marked nothing.
 *
 * @return the value, newer than every value this reader saw before
 * @receiver the reader
 * @throws ClosedReceiveChannelException if the watch (or the reader) is closed and this reader has
 *   seen the last value
 */
public suspend fun <E : Any> Watch.Reader<E>.awaitChanged(): E {
    val signal = CoroutineChannel<Any>(Engines.coreOf(this).signal())
    while (true) {
        val v = closedAsKotlinx { tryChanged() }
        if (v != null) return v
        signal.receive() // the token: look again
    }
}

/**
 * Suspends until the watch's value satisfies [condition], and returns it, marked as seen: the
 * coroutine face of [Watch.Reader.waitFor] (Tokio's `wait_for`). The current value is tested first;
 * after that each change this reader sees, as [awaitChanged] returns it. Several sets between two
 * looks are seen as one, the latest. (Named apart from the Java face's blocking `waitFor`, which a
 * Kotlin lambda would otherwise call.)
 *
 * A coroutine cancelled while it waits marked nothing more than the values it had tested.
 *
 * @param condition what the value must satisfy; runs in this coroutine
 * @return the first value seen that satisfies it
 * @receiver the reader
 * @throws ClosedReceiveChannelException if the watch (or the reader) is closed and no value it
 *   holds satisfies the condition
 */
public suspend fun <E : Any> Watch.Reader<E>.awaitValue(condition: (E) -> Boolean): E {
    var value = closedAsKotlinx { getAndMark() }
    while (!condition(value)) value = awaitChanged()
    return value
}

/**
 * A kotlinx `select` clause chosen when the watch holds a value this reader has not seen, as
 * [awaitChanged]: it marks the value and selects it. If the select chooses another clause, nothing
 * is marked. (Named apart from the Java face's `onChanged(Function)`, which a Kotlin lambda would
 * otherwise call.)
 *
 * @receiver the reader
 */
public val <E : Any> Watch.Reader<E>.onAwaitChanged: SelectClause1<E>
    get() =
        SelectClauses.onReceiveThen(Engines.coreOf(this).signal()) {
            closedAsKotlinx { tryChanged() } ?: get()
        }

/**
 * The watch as a cold [Flow], as a `StateFlow` is collected: each collector subscribes a reader,
 * gets the current value at once, then each later value that differs from the one it got before
 * (several changes between two emissions are seen as one, the latest), and completes when the watch
 * closes. A slow collector never holds up the watch's setters.
 *
 * @return a flow of the watch's distinct values
 * @receiver the watch
 */
public fun <E : Any> Watch<E>.asFlow(): Flow<E> = flow {
    val reader = subscribe()
    try {
        var last = reader.getAndMark()
        emit(last)
        while (true) {
            val next =
                try {
                    reader.awaitChanged()
                } catch (e: ClosedReceiveChannelException) {
                    break
                }
            if (next != last) {
                last = next
                emit(next)
            }
        }
    } finally {
        reader.close()
    }
}

/** Runs [block], turning the Java face's closed exception into kotlinx's. */
private inline fun <T> closedAsKotlinx(block: () -> T): T =
    try {
        block()
    } catch (e: ChannelClosedException) {
        throw ClosedReceiveChannelException(e.message)
    }
