package dev.sluice.docs

import dev.sluice.channels.Channel
import dev.sluice.channels.ChannelClosedException
import dev.sluice.coroutines.consumeAsFlow
import dev.sluice.coroutines.receiveAsFlow
import dev.sluice.coroutines.sendTo
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertThrows
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The Kotlin code of the README's Adapters section and of the guide's adapters page, run here with
 * checks of what they say.
 */
class FlowAdapterKotlinSnippetsTest {

    @Test
    fun readmeFlowKotlin() =
        runBlocking<Unit> {
            val got = mutableListOf<String>()
            fun println(job: String) {
                got += job
            }
            // spotless:off
        // snippet: readme-flow-kotlin
        val jobs = Channel.bounded<String>(64)
        launch { flowOf("resize", "crop").sendTo(jobs) }   // suspends while jobs is full, then closes it
        jobs.receiveAsFlow().collect { println(it) }       // collectors compete with every other receiver
        // end snippet
        // spotless:on
            assertEquals(listOf("resize", "crop"), got)
            assertEquals(emptyList<String>(), jobs.receiveAsFlow().toList())
        }

    @Test
    fun adaptersReceiveOrConsume() =
        runBlocking<Unit> {
            val jobs = Channel.bounded<String>(16)
            for (job in listOf("a", "b", "c", "d", "e")) jobs.send(job)
            // spotless:off
        // snippet: adapters-receive-or-consume
        val firstTwo = jobs.receiveAsFlow().take(2).toList()   // [a, b]; jobs keeps the rest, open
        val third = jobs.consumeAsFlow().take(1).toList()      // [c]; then jobs is cancelled
        // end snippet
        // spotless:on
            assertEquals(listOf("a", "b"), firstTwo)
            assertEquals(listOf("c"), third)
            assertTrue(jobs.isClosedForSend)
            assertThrows(ChannelClosedException::class.java) { jobs.trySend("f") }
        }

    @Test
    fun adaptersFanInKotlin() =
        runBlocking<Unit> {
            // spotless:off
        // snippet: adapters-fan-in-kotlin
        val merged = Channel.bounded<Int>(16)
        coroutineScope {
            launch { flowOf(1, 2).sendTo(merged, closeWhenDone = false) }
            launch { flowOf(3, 4).sendTo(merged, closeWhenDone = false) }
        }
        merged.close()                                 // both flows are in: now end the pipeline
        val total = merged.receiveAsFlow().toList().sum()   // 10
        // end snippet
        // spotless:on
            assertEquals(10, total)
            assertTrue(merged.isClosedForReceive)
        }
}
