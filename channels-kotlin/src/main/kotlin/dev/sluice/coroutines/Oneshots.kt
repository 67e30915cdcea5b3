/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.Oneshot
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.selects.SelectClause1

/*
 * The coroutine face of a Oneshot: a suspending receive of its value, and the same as a kotlinx
 * select clause. Both go through the coroutine view of the oneshot's engine, so they wait as a
 * coroutine's receive on any Sluice channel does: a continuation waiter, no thread blocked.
 */

/**
 * Suspends until this oneshot's value comes, and takes it: the coroutine face of [Oneshot.receive],
 * for the requester of the actor pattern.
 *
 * If the coroutine is cancelled while it waits, it took nothing: a value sent later stays in the
 * oneshot for another receive. A value handed over at the very moment of the cancellation goes to
 * the oneshot's undelivered-value handler ([Oneshot.create]) instead: by then the oneshot is closed
 * and drained, and another receiver may have seen it so.
 *
 * @return the value
 * @receiver the oneshot
 * @throws ClosedReceiveChannelException if the sending side closed without a value, or the value
 *   was received before
 * @throws Throwable the cause given to [Oneshot.close] (`close(cause)`), as kotlinx's channels
 *   throw a close cause (in kotlinx's debug mode, an await that was waiting may get its copy with
 *   the coroutine's stack trace); a `CancellationException` if the receiver cancelled
 */
public suspend fun <E : Any> Oneshot<E>.await(): E = CoroutineChannel<E>(engineOf(this)).receive()

/**
 * A kotlinx `select` clause that takes this oneshot's value once it is there, as [await] does. If
 * the select chooses another clause, the value stays in the oneshot. If the sending side closed
 * without a value, choosing this clause makes the select throw as [await] would.
 *
 * @receiver the oneshot
 */
public val <E : Any> Oneshot<E>.onAwait: SelectClause1<E>
    get() = CoroutineChannel<E>(engineOf(this)).onReceive
