/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines

import dev.sluice.channels.Permit
import dev.sluice.channels.internal.BufferedChannel
import dev.sluice.channels.internal.ClaimFrame
import dev.sluice.channels.internal.Outcome
import dev.sluice.channels.internal.ReserveRequest
import dev.sluice.channels.internal.Waiter
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.Continuation
import kotlin.coroutines.ContinuationInterceptor
import kotlin.coroutines.startCoroutine
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.SendChannel
import kotlinx.coroutines.selects.SelectClause1
import kotlinx.coroutines.selects.SelectClause2
import kotlinx.coroutines.selects.SelectInstance

/*
 * kotlinx select clauses over the engine, through kotlinx's @InternalCoroutinesApi select protocol:
 *
 *  - registration (regFunc) runs in the select's coroutine. It does what a plain send or receive
 *    would do without waiting; if that completes, it reports the outcome with
 *    selectInRegistrationPhase. Otherwise it queues a SelectWaiter and hands kotlinx a handle that
 *    unlinks it once the select is over (disposeOnCompletion);
 *  - a counterpart claims the queued waiter with trySelect, under the channel's lock. trySelect fails
 *    if another clause won, if the select was cancelled, or if it is still registering (kotlinx then
 *    registers the clause again): the counterpart drops the waiter and moves on, so a losing clause
 *    neither takes nor gives an element;
 *  - trySelect also resumes the select's coroutine, which on a dispatcher that does not dispatch would
 *    run right there, inside the lock. So the waiter says it resumes in its claim, and the engine
 *    claims it only inside a ClaimFrame: the UnconfinedFrame below, which holds such resumptions back
 *    until the claiming operation has unlocked.
 *
 * The internal result is the element (or, for a send, the element sent), or CLOSED.
 */

/** The internal result of a clause whose channel was closed. */
internal object ClosedToken {
    override fun toString(): String = "CLOSED"
}

/** The engine waiter of one registered clause of a kotlinx select. */
internal class SelectWaiter<E : Any>(
    engine: BufferedChannel<E>,
    element: E?,
    private val select: SelectInstance<*>,
    private val clauseObject: Any,
) : Waiter<E>(engine, element) {

    /**
     * What the select's dispatcher threw when [tryClaim] resumed the select; reported in [resume].
     */
    private var dispatchFailure: Throwable? = null

    override fun tryClaim(): Boolean =
        try {
            select.trySelect(clauseObject, if (isClosed) ClosedToken else item())
        } catch (t: Throwable) {
            // The select was decided before its dispatcher failed to take the resumption: the claim
            // stands, and the channel's state stays consistent. The failure is reported after the
            // unlock.
            dispatchFailure = t
            true
        }

    /**
     * Nothing, unless the select's dispatcher failed: a successful [tryClaim] resumed the select.
     */
    override fun resume() {
        val failure = dispatchFailure ?: return
        val thread = Thread.currentThread()
        thread.uncaughtExceptionHandler.uncaughtException(thread, failure)
    }

    override fun resumesInClaim(): Boolean = true

    /** A dispatcher thread does not spin for the channel lock: see `ChannelLock.lock(boolean)`. */
    override fun spinsOnLock(): Boolean = false

    private companion object {
        init {
            ClaimFrame.install(UnconfinedFrame)
        }
    }
}

/**
 * Runs a body inside kotlinx's unconfined event loop, so that a coroutine resumed in the body on a
 * dispatcher that does not dispatch is queued, and runs once the body has returned.
 *
 * It starts a coroutine on [Dispatchers.Unconfined] whose body is the frame's: with no event loop
 * active on the thread, kotlinx runs it at once inside a new loop, which then runs what was queued.
 * With a loop already active (the calling thread is itself running an unconfined coroutine),
 * kotlinx queues the coroutine instead; resumptions are held back by that loop already, so the body
 * runs directly, and the queued coroutine does nothing when its turn comes.
 */
internal object UnconfinedFrame : ClaimFrame() {
    override fun open(body: Runnable) {
        val state = AtomicInteger(NOT_RUN)
        var failure: Throwable? = null
        val inLoop: suspend () -> Unit = {
            if (state.compareAndSet(NOT_RUN, RAN_IN_LOOP)) {
                try {
                    body.run()
                } catch (t: Throwable) {
                    failure = t
                }
            }
        }
        inLoop.startCoroutine(Continuation(Dispatchers.Unconfined) {})
        if (state.compareAndSet(NOT_RUN, RAN_DIRECTLY)) body.run()
        failure?.let { throw it }
    }

    private const val NOT_RUN = 0
    private const val RAN_IN_LOOP = 1
    private const val RAN_DIRECTLY = 2
}

/** Makes the clauses of a coroutine view; the clause object is the engine, shared by every view. */
internal object SelectClauses {

    fun <E : Any> onReceive(view: CoroutineChannel<E>): SelectClause1<E> =
        SluiceSelectClause<Any?, E>(
            view.engine,
            { _, select, _ -> registerReceive(view.engine, select) },
            { _, _, result ->
                if (result === ClosedToken) throw view.receiveException() else result
            },
            CancellationAction.giveBackConstructor(view.engine, ClosedToken),
        )

    fun <E : Any> onReceiveCatching(view: CoroutineChannel<E>): SelectClause1<ChannelResult<E>> =
        SluiceSelectClause<Any?, ChannelResult<E>>(
            view.engine,
            { _, select, _ -> registerReceive(view.engine, select) },
            { _, _, result -> catchingResult(view.engine, result) },
            CancellationAction.giveBackConstructor(view.engine, ClosedToken),
        )

    fun <E : Any> onSend(view: CoroutineChannel<E>): SelectClause2<E, SendChannel<E>> =
        SluiceSelectClause<E, SendChannel<E>>(
            view.engine,
            { _, select, param -> registerSend(view.engine, select, param) },
            { _, _, result -> if (result === ClosedToken) throw view.sendException() else view },
            null, // a send that was selected has delivered its element: nothing to give back
        )

    /**
     * A clause that reserves one place of [engine] (a send of a [ReserveRequest]) and selects the
     * permit; if the select's coroutine is cancelled after the clause won, the place goes back.
     */
    fun <E : Any> onReserve(engine: BufferedChannel<E>): SelectClause1<Permit<E>> =
        SluiceSelectClause<Any?, Permit<E>>(
            engine.reserveClauseKey(),
            { _, select, _ ->
                registerSend(engine, select, ReserveRequest.ONE, engine.reserveClauseKey())
            },
            { _, _, result ->
                if (result === ClosedToken) throw sendException(engine) else engine.grantedPermit()
            },
            CancellationAction.releaseConstructor(engine, ClosedToken),
        )

    /**
     * A clause that receives from [engine] like `onReceive`, then returns [process] of the element:
     * the clause of a kind built on an engine (a watch reader's signal). [process] runs in the
     * select's coroutine once the clause won; if that coroutine is cancelled before, the element
     * goes back.
     */
    @Suppress("UNCHECKED_CAST")
    fun <E : Any, R> onReceiveThen(
        engine: BufferedChannel<E>,
        process: (E) -> R,
    ): SelectClause1<R> =
        SluiceSelectClause<Any?, R>(
            engine,
            { _, select, _ -> registerReceive(engine, select) },
            { _, _, result ->
                if (result === ClosedToken) throw receiveException(engine) else process(result as E)
            },
            CancellationAction.giveBackConstructor(engine, ClosedToken),
        )

    /**
     * [onReceiveThen] for `onReceiveCatching`: a closed channel gives a closed result, and
     * [process] turns an element, once the clause won, into the result's value.
     */
    @Suppress("UNCHECKED_CAST")
    fun <E : Any, R> onReceiveCatchingThen(
        engine: BufferedChannel<E>,
        process: (E) -> R,
    ): SelectClause1<ChannelResult<R>> =
        SluiceSelectClause<Any?, ChannelResult<R>>(
            engine,
            { _, select, _ -> registerReceive(engine, select) },
            { _, _, result ->
                if (result === ClosedToken) ChannelResult.closed<R>(engine.closeCauseOrNull())
                else ChannelResult.success(process(result as E))
            },
            CancellationAction.giveBackConstructor(engine, ClosedToken),
        )

    /** Boxes on purpose: a select's result travels as `Any?`. */
    @Suppress("UNCHECKED_CAST")
    private fun <E : Any> catchingResult(engine: BufferedChannel<E>, result: Any?): Any? =
        if (result === ClosedToken) ChannelResult.closed<E>(engine.closeCauseOrNull())
        else ChannelResult.success(result as E)

    /**
     * A select resumed by a claim runs in the claiming thread, inside the channel's lock, unless
     * its continuation goes through a [CoroutineDispatcher] (which queues it, or, if it does not
     * dispatch, lets the [UnconfinedFrame] hold it back). So a select without one is refused up
     * front.
     */
    private fun checkDispatcher(select: SelectInstance<*>) {
        check(select.context[ContinuationInterceptor] is CoroutineDispatcher) {
            "a select over Sluice channels needs a CoroutineDispatcher in its context (it has " +
                "${select.context[ContinuationInterceptor]}): run it in runBlocking, launch, " +
                "or withContext(Dispatchers.Default)"
        }
    }

    private fun <E : Any> registerReceive(engine: BufferedChannel<E>, select: SelectInstance<*>) {
        checkDispatcher(select)
        val w = SelectWaiter(engine, null, select, engine)
        when (engine.receiveOrEnqueue(w)) {
            Outcome.RECEIVED -> select.selectInRegistrationPhase(w.item())
            Outcome.CLOSED -> select.selectInRegistrationPhase(ClosedToken)
            else -> select.disposeOnCompletion(DisposableHandle { engine.removeWaiter(w) })
        }
    }

    @Suppress("UNCHECKED_CAST")
    private fun <E : Any> registerSend(
        engine: BufferedChannel<E>,
        select: SelectInstance<*>,
        param: Any?,
        clauseObject: Any = engine,
    ) {
        val element = param as E? ?: throw NullPointerException("element")
        checkDispatcher(select)
        val w = SelectWaiter(engine, element, select, clauseObject)
        when (engine.sendOrEnqueue(w)) {
            Outcome.SENT -> select.selectInRegistrationPhase(element)
            Outcome.CLOSED -> select.selectInRegistrationPhase(ClosedToken)
            else -> select.disposeOnCompletion(DisposableHandle { engine.removeWaiter(w) })
        }
    }
}
