package dev.sluice.coroutines.lincheck

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.DelicateCoroutinesApi
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ClosedReceiveChannelException
import kotlinx.coroutines.channels.ClosedSendChannelException
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.StressOptions
import org.junit.jupiter.api.Test

/**
 * Linearizability of the coroutine view of a Sluice channel (`SluiceChannel(...)`, a kotlinx
 * [Channel] over `dev.sluice.channels.internal.BufferedChannel`) against [SequentialChannel], with
 * suspending `send`, `receive` and `receiveCatching`, the try-operations, `close`, `cancel` and the
 * state queries, in Lincheck's model-checking and stress modes, with three threads.
 *
 * Each subclass fixes a capacity: it passes a fresh channel to the constructor (Lincheck makes a
 * new test instance per invocation through the public no-argument constructor) and names its
 * specification class.
 *
 * ## Closing
 * `close(n)` and `cancel(n)` close the channel with a cause that carries a token, and an operation
 * that fails because the channel is closed returns the token (`"Closed(n)"` or `"Cancelled(n)"`),
 * so the cause that reaches each operation is checked, not just the failure. `close(0)` is a plain
 * `close()`: then a send must throw [ClosedSendChannelException] and a receive
 * [ClosedReceiveChannelException], which count as `"Closed(0)"`; any other exception is a result of
 * its own and fails the check.
 *
 * ## Cancellation of suspended operations
 * Lincheck cancels a suspended operation through the kotlinx `CancellableContinuation` it suspended
 * in. Sluice's view suspends in a continuation of its own (`ReusableWaiter`, reused across a
 * coroutine's suspensions), which Lincheck cannot cancel, so the suspending operations here are not
 * cancellable (`cancellableOnSuspension = false`). Their cancellation is checked instead by
 * `ReusableWaiterLincheckTest`, which model-checks the waiter's claim against the Job's
 * cancellation as operations of their own, and by the deterministic interleavings of
 * `ReusableWaiterSpec`, one per cancellation window.
 *
 * ## Size
 * The size of the runs follows the system property `sluice.stress`: the default build's short run
 * (a few seconds to half a minute per test on two cores), or `long` (`-Pstress-long`).
 */
@Param.Params(
    Param(name = "value", gen = IntGen::class, conf = "1:5"),
    Param(name = "closeToken", gen = IntGen::class, conf = "0:3"),
    Param(name = "cancelToken", gen = IntGen::class, conf = "1:3"),
)
abstract class CoroutineChannelLincheckBase(
    private val channel: Channel<Int>,
    private val specification: Class<out SequentialChannel>,
) {
    @Operation(cancellableOnSuspension = false)
    suspend fun send(@Param(name = "value") value: Int): Any =
        try {
            channel.send(value)
        } catch (e: Throwable) {
            closedResult(e, ClosedSendChannelException::class.java)
        }

    @Operation
    fun trySend(@Param(name = "value") value: Int): Any =
        channel.trySend(value).let { r ->
            when {
                r.isSuccess -> true
                r.isClosed -> closedResult(r)
                else -> false
            }
        }

    @Operation(cancellableOnSuspension = false)
    suspend fun receive(): Any =
        try {
            channel.receive()
        } catch (e: Throwable) {
            closedResult(e, ClosedReceiveChannelException::class.java)
        }

    @Operation(cancellableOnSuspension = false)
    suspend fun receiveCatching(): Any =
        channel.receiveCatching().let { r -> r.getOrNull() ?: closedResult(r) }

    @Operation
    fun tryReceive(): Any? =
        channel.tryReceive().let { r ->
            when {
                r.isSuccess -> r.getOrThrow()
                r.isClosed -> closedResult(r)
                else -> null
            }
        }

    @Operation
    fun close(@Param(name = "closeToken") token: Int): Boolean =
        if (token == 0) channel.close() else channel.close(CloseToken(token))

    // Never a plain cancel(): receives would throw a bare CancellationException, which cannot be
    // told
    // from Lincheck's own cancellation of the operation.
    @Operation
    fun cancel(@Param(name = "cancelToken") token: Int) = channel.cancel(CancelToken(token))

    @OptIn(DelicateCoroutinesApi::class)
    @Operation
    fun isClosedForSend(): Boolean = channel.isClosedForSend

    @OptIn(DelicateCoroutinesApi::class)
    @Operation
    fun isClosedForReceive(): Boolean = channel.isClosedForReceive

    @Operation fun isEmpty(): Boolean = channel.isEmpty

    @Test
    fun modelChecking() {
        ModelCheckingOptions()
            .threads(3)
            .actorsPerThread(if (longRun) 3 else 2)
            .actorsBefore(0)
            .actorsAfter(0) // Lincheck allows none with suspending operations
            .iterations(if (longRun) 20 else 2)
            .invocationsPerIteration(if (longRun) 1_000 else 150)
            .sequentialSpecification(specification)
            .check(this::class)
    }

    @Test
    fun stress() {
        StressOptions()
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(0)
            .actorsAfter(0)
            .iterations(if (longRun) 30 else 4)
            .invocationsPerIteration(if (longRun) 5_000 else 300)
            .sequentialSpecification(specification)
            .check(this::class)
    }

    private companion object {
        val longRun: Boolean = System.getProperty("sluice.stress") == "long"

        /**
         * The result of an operation that threw [e]: the token of the close, or [e] itself again.
         */
        fun closedResult(e: Throwable, plainCloseException: Class<out Throwable>): String =
            when {
                e is Token -> e.result
                plainCloseException.isInstance(e) && e.cause == null -> "Closed(0)"
                else -> throw e // Lincheck's own cancellation, or a failure of the channel
            }

        /** The result of an operation that found the channel closed, from its [ChannelResult]. */
        fun closedResult(r: ChannelResult<*>): String =
            when (val cause = r.exceptionOrNull()) {
                null -> "Closed(0)"
                is Token -> cause.result
                else -> throw AssertionError("unexpected close cause", cause)
            }
    }
}

/** A close cause that an operation which fails on the closed channel reports as its result. */
private interface Token {
    val result: String
}

private class CloseToken(n: Int) : Exception("close token $n"), Token {
    override val result = "Closed($n)"
}

private class CancelToken(n: Int) : CancellationException("cancel token $n"), Token {
    override val result = "Cancelled($n)"
}
