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
import org.jetbrains.lincheck.datastructures.scenario
import org.jetbrains.kotlinx.lincheck.Actor
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario
import org.junit.jupiter.api.Test

/**
 * Linearizability of the coroutine view of a Sluice channel (`SluiceChannel(...)`, a kotlinx
 * [Channel] over `dev.sluice.channels.internal.BufferedChannel`) against [SequentialChannel], with
 * suspending `send`, `receive` and `receiveCatching`, the try-operations, `close`, `cancel` and the
 * state queries, in Lincheck's model-checking and stress modes, with three threads.
 *
 * Each subclass fixes a capacity: it passes a fresh channel to the constructor (Lincheck makes a new
 * test instance per invocation through the public no-argument constructor) and names its
 * specification class.
 *
 * ## Closing
 * `close(n)` and `cancel(n)` close the channel with a cause that carries a token, and an operation
 * that fails because the channel is closed returns the token (`"Closed(n)"` or `"Cancelled(n)"`), so
 * the cause that reaches each operation is checked, not just the failure. `close(0)` is a plain
 * `close()`: then a send must throw [ClosedSendChannelException] and a receive
 * [ClosedReceiveChannelException], which count as `"Closed(0)"`; any other exception is a result of
 * its own and fails the check.
 *
 * ## Cancellation of suspended operations
 * Lincheck cancels a suspended operation by cancelling the `CancellableContinuation` it suspended in,
 * and counts the operation as cancelled exactly when that `cancel` succeeds. With
 * `promptCancellation = false` (the mode used here) the check is: an operation that Lincheck reports
 * as cancelled had no effect. That is what Sluice documents for a cancelled `receive`: if it had
 * already been handed an element, the element goes back to the channel (`BufferedChannel.giveBack`).
 * Prompt cancellation would be weaker: it lets a cancelled operation have taken effect, which
 * Sluice's receive never does. The two scenarios of [handedToCancelledReceive] run in every test,
 * besides the random ones: a send that meets a receive which Lincheck cancels at that moment.
 *
 * `send` is cancelled the same way, with the same check: a cancelled send did not send. (A send
 * whose element was taken returns normally even if its coroutine is cancelled just after; Lincheck's
 * cancellation of the continuation cannot win over that claim, so it is not reported as cancelled.)
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
    @Operation
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

    @Operation
    suspend fun receive(): Any =
        try {
            channel.receive()
        } catch (e: Throwable) {
            closedResult(e, ClosedReceiveChannelException::class.java)
        }

    @Operation
    suspend fun receiveCatching(): Any = channel.receiveCatching().let { r -> r.getOrNull() ?: closedResult(r) }

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

    // Never a plain cancel(): receives would throw a bare CancellationException, which cannot be told
    // from Lincheck's own cancellation of the operation.
    @Operation
    fun cancel(@Param(name = "cancelToken") token: Int) = channel.cancel(CancelToken(token))

    @OptIn(DelicateCoroutinesApi::class)
    @Operation
    fun isClosedForSend(): Boolean = channel.isClosedForSend

    @OptIn(DelicateCoroutinesApi::class)
    @Operation
    fun isClosedForReceive(): Boolean = channel.isClosedForReceive

    @Operation
    fun isEmpty(): Boolean = channel.isEmpty

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
            .addCustomScenario(handedToCancelledReceive(trySend = true))
            .addCustomScenario(handedToCancelledReceive(trySend = false))
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
            .addCustomScenario(handedToCancelledReceive(trySend = true))
            .addCustomScenario(handedToCancelledReceive(trySend = false))
            .check(this::class)
    }

    private companion object {
        val longRun: Boolean = System.getProperty("sluice.stress") == "long"

        /**
         * A scenario that every run checks besides the random ones: a send meets a waiting receive
         * that Lincheck cancels right after it suspended, so that the model checker can place the
         * cancellation on each side of the engine's claim; then the same thread fills the buffer and
         * takes its head. (Lincheck allows no post part in a scenario with suspending operations.)
         * [trySend] picks `trySend(5)` and `receive()`, or `send(5)` and `receiveCatching()`.
         */
        fun handedToCancelledReceive(trySend: Boolean): ExecutionScenario =
            scenario {
                parallel {
                    thread { add(if (trySend) op("trySend", 5) else op("send", 5)) }
                    thread {
                        add(op(if (trySend) "receive" else "receiveCatching", cancelOnSuspension = true))
                        add(op("trySend", 2))
                        add(op("trySend", 3))
                        add(op("tryReceive"))
                    }
                }
            }

        /** The actor of the operation [name] with [args] (the suspending ones take a continuation). */
        fun op(name: String, vararg args: Int, cancelOnSuspension: Boolean = false): Actor {
            val method =
                CoroutineChannelLincheckBase::class.java.methods.single {
                    it.name == name && it.isAnnotationPresent(Operation::class.java)
                }
            return Actor(method = method, arguments = args.toList(), cancelOnSuspension = cancelOnSuspension)
        }

        /** The result of an operation that threw [e]: the token of the close, or [e] itself again. */
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
