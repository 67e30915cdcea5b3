package dev.sluice.docs

import dev.sluice.channels.Channel
import dev.sluice.coroutines.receiveAsFlow
import dev.sluice.coroutines.sendTo
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

/** The Kotlin code of the README's Adapters section, run here with checks of what it says. */
class FlowAdapterKotlinSnippetsTest {

    @Test
    fun readmeFlowKotlin() = runBlocking {
        val got = mutableListOf<String>()
        fun println(job: String) {
            got += job
        }
        // snippet: readme-flow-kotlin
        val jobs = Channel.bounded<String>(64)
        launch { flowOf("resize", "crop").sendTo(jobs) }   // suspends while jobs is full, then closes it
        jobs.receiveAsFlow().collect { println(it) }       // collectors compete with every other receiver
        // end snippet
        assertEquals(listOf("resize", "crop"), got)
        assertEquals(emptyList<String>(), jobs.receiveAsFlow().toList())
    }
}
