/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.Permit
import dev.sluice.channels.internal.Outcome
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.isActive
import kotlinx.coroutines.selects.SelectClause1

/*
 * Permits for coroutines. The invariant: a place reserved for a coroutine reaches it as a permit,
 * or goes back. The wait is the channel's own send waiter carrying a reserve request, so a
 * cancellation while it waits withdraws it (no place held); a place granted at the very moment of
 * the cancellation is released before the CancellationException is thrown, and a select's
 * onReserve that won for a cancelled coroutine releases its place through kotlinx's
 * onCancellation hook.
 */

/**
 * Reserves one place in the channel's buffer, suspending while there is none, and returns the
 * [Permit] that holds it: its `send` then never suspends, never waits and never fails for lack of
 * room. The coroutine face of [dev.sluice.channels.Sender.reserve], with its rules: held places
 * count as taken, a permit is used once (`send`, or `release`/`close`, and `use { }` releases one
 * that was not sent), a close voids every permit, and a rendezvous or dropping channel refuses
 * permits.
 *
 * A cancelled coroutine's reserve holds no place: one cancelled while it waits withdraws, and one
 * granted its place at the moment of the cancellation releases it before it throws.
 *
 * @return the permit; send with it or release it (a permit neither sent nor released is a leak)
 * @receiver a view of a Sluice channel, or of an open sending handle
 * @throws kotlinx.coroutines.channels.ClosedSendChannelException if the channel is closed, or
 *   closes while this waits (or the close cause, as `send` throws it)
 * @throws UnsupportedOperationException on a rendezvous or dropping channel, or a channel that is
 *   not Sluice's
 * @throws IllegalStateException on the view of a closed handle
 */
public suspend fun <E : Any> SendChannel<E>.reserve(): Permit<E> {
    val view = sluiceSendView(this, "reserve")
    val engine = view.engine
    engine.checkPermits()
    when (engine.tryReserveOutcome(1)) { // one cas while a place is free and nobody waits
        Outcome.SENT -> {}
        Outcome.CLOSED -> throw sendException(engine)
        else -> view.reserveWaiting()
    }
    val permit = engine.grantedPermit()
    val context = currentCoroutineContext()
    if (!context.isActive) {
        permit.release()
        context.ensureActive()
    }
    return permit
}

/**
 * A kotlinx `select` clause that reserves one place when one is free and selects its [Permit]: the
 * coroutine face of [dev.sluice.channels.Sender.onReserve]. A clause that loses holds no place; one
 * that wins for a coroutine cancelled before it could use the permit gives the place back. The
 * permit that reaches the select's block is the block's to send with or release.
 *
 * @receiver a view of a Sluice channel, or of an open sending handle
 * @throws UnsupportedOperationException on a rendezvous or dropping channel, or a channel that is
 *   not Sluice's
 */
public val <E : Any> SendChannel<E>.onReserve: SelectClause1<Permit<E>>
    get() {
        val view = sluiceSendView(this, "onReserve")
        view.engine.checkPermits()
        return SelectClauses.onReserve(view.engine)
    }
