package dev.sluice.docs

import dev.sluice.channels.Broadcast
import dev.sluice.channels.Channel
import dev.sluice.channels.Oneshot
import dev.sluice.channels.Watch
import dev.sluice.coroutines.SluiceChannel
import dev.sluice.coroutines.asCoroutineChannel
import dev.sluice.coroutines.asFlow
import dev.sluice.coroutines.asReceiveChannel
import dev.sluice.coroutines.asSendChannel
import dev.sluice.coroutines.asSluiceChannel
import dev.sluice.coroutines.await
import dev.sluice.coroutines.onReserve
import dev.sluice.coroutines.receiveAsFlow
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.toList
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.onTimeout
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/**
 * The Kotlin code of the pages, each region between `// snippet: name` and `// end snippet` shown
 * word for word on a page (PagesTest checks it), and run here with checks of what the page says.
 */
class KotlinSnippetsTest {

    @Test
    fun permitsKotlin() =
        runBlocking<Unit> {
            val results = Channel.bounded<String>(1).asCoroutineChannel()
            val cancels = Channel.bounded<Unit>(1).asCoroutineChannel()
            fun compute() = "result"
            // spotless:off
        // snippet: permits-kotlin
        val outcome = select<String> {
            results.onReserve { permit ->                  // a place is held: now compute
                permit.use { it.send(compute()) }
                "sent"
            }
            cancels.onReceive { "cancelled" }              // nothing computed, nothing held
        }
        // end snippet
        // spotless:on
            assertEquals("sent", outcome)
            assertEquals("result", results.receive())
        }

    @Test
    fun ownershipKotlinPipeline() =
        runBlocking<Unit> {
            val total = coroutineScope {
                // spotless:off
            // snippet: ownership-kotlin-pipeline
            val numbers = Channel.handles<Int>(16)
            val squares = Channel.handles<Long>(16)
            val feeds = List(3) { numbers.sender().newSender() }      // made before anyone starts
            val takes = List(2) { numbers.receiver().newReceiver() }
            val outs = List(2) { squares.sender().newSender() }
            numbers.sender().close()                                 // the makers' own handles
            numbers.receiver().close()
            squares.sender().close()
            feeds.forEachIndexed { p, feed ->
                launch { feed.use { f -> repeat(100) { f.asSendChannel().send(p * 100 + it + 1) } } }
            }
            takes.zip(outs).forEach { (take, out) ->
                launch(Dispatchers.Default) {
                    take.use { t ->
                        out.use { o ->
                            val tx = o.asSendChannel()
                            for (n in t.asReceiveChannel()) tx.send(n.toLong() * n)
                        }
                    }
                }
            }
            val total = squares.receiver().use { it.asReceiveChannel().toList().sum() }
            // end snippet
            // spotless:on
                total
            }
            assertEquals((1..300).sumOf { it.toLong() * it }, total)
        }

    @Test
    fun ownershipKotlin() =
        runBlocking<Unit> {
            val all = coroutineScope {
                // spotless:off
            // snippet: ownership-kotlin
            val jobs = Channel.bounded<Int>(4)
            val handles = List(3) { jobs.newSender() }          // all made before any producer starts
            handles.forEachIndexed { p, handle ->
                launch {
                    handle.use { repeat(10) { n -> it.asSendChannel().send(p * 10 + n) } }
                }
            }
            val all = jobs.asCoroutineChannel().toList()        // ends when the last handle closed
            // end snippet
            // spotless:on
                all
            }
            assertEquals((0 until 30).toList(), all.sorted())
        }

    @Test
    fun readmeKotlin() =
        runBlocking<Unit> {
            val orders = Channel.bounded<String>(64)
            thread {
                for (o in listOf("tea", "cake", "soup")) orders.send(o)
                orders.close()
            }
            val served = java.util.concurrent.ConcurrentLinkedQueue<String>()
            fun println(line: String) {
                served += line.substringAfter("serves ")
                kotlin.io.println(line)
            }
            // spotless:off
        // snippet: readme-kotlin
        val view = orders.asCoroutineChannel()             // a kotlinx.coroutines Channel, same queue
        coroutineScope {
            repeat(2) { waiter ->
                launch {                                    // two coroutines share the orders
                    for (order in view) println("waiter $waiter serves $order")
                }
            }
        }                                                   // both loops end when Java closes it
        // end snippet
        // spotless:on
            assertEquals(listOf("cake", "soup", "tea"), served.sorted())
        }

    @Test
    fun selectWithTimeoutKotlin() =
        runBlocking<Unit> {
            val jobs = Channel.bounded<String>(16)
            val view = jobs.asCoroutineChannel()
            // spotless:off
        // snippet: select-timeout-kotlin
        val next = select {                                 // kotlinx's own select
            view.onReceive { "got $it" }
            onTimeout(100) { "quiet" }                      // nothing came in 100 ms
        }
        // end snippet
        // spotless:on
            assertEquals("quiet", next)
        }

    @Test
    fun quickStartKotlin() =
        runBlocking<Unit> {
            // spotless:off
        // snippet: quick-start-kotlin
        val lines = SluiceChannel<String>(64)                 // a kotlinx Channel, on a Sluice queue
        val javaSide = lines.asSluiceChannel()                // the same queue, for Java threads

        thread {
            for (line in listOf("GET /", "GET /about")) javaSide.send(line)   // blocks while full
            javaSide.close()                                  // ends the flow below
        }
        val shipped = lines.consumeAsFlow().map { it.lowercase() }.toList()  // suspends, never blocks
        // end snippet
        // spotless:on
            assertEquals(listOf("get /", "get /about"), shipped)
        }

    @Test
    fun facesKotlin() =
        runBlocking<Unit> {
            // spotless:off
        // snippet: faces-kotlin
        val orders = Channel.bounded<String>(16)               // one Sluice channel
        val coroutines = orders.asCoroutineChannel()           // its kotlinx view

        thread { orders.send("from a thread") }                // blocks while full
        orders.sendAsync("from a future")                      // completes once the order is in
        launch { coroutines.send("from a coroutine") }         // suspends while full

        val received = List(3) { coroutines.receive() }        // one queue: all three arrive
        // end snippet
        // spotless:on
            assertEquals(
                listOf("from a coroutine", "from a future", "from a thread"),
                received.sorted(),
            )
        }

    @Test
    fun selectKotlin() =
        runBlocking<Unit> {
            val shutdown = SluiceChannel<String>()
            val orders = SluiceChannel<String>(8)
            orders.send("order 1")
            // spotless:off
        // snippet: select-kotlin
        val next = select {
            shutdown.onReceive { "stopping: $it" }
            orders.onReceive { "handling $it" }
            onTimeout(1.seconds) { "idle" }
        }
        // end snippet
        // spotless:on
            assertEquals("handling order 1", next)
        }

    @Test
    fun cancelKotlin() =
        runBlocking<Unit> {
            // spotless:off
        // snippet: cancel-kotlin
        val mail = SluiceChannel<String>(1)
        val waiting = launch { mail.receive() }
        yield()                                  // it waits now
        waiting.cancel()                         // cancelled while waiting: it took nothing
        mail.send("kept")
        check(mail.receive() == "kept")          // the element is still there for the next receive
        // end snippet
        // spotless:on
            assertTrue(waiting.isCancelled)
        }

    @Test
    fun pitfallBlockingInCoroutines() =
        runBlocking<Unit> {
            val jobs = Channel.bounded<String>(4)
            jobs.send("a")
            jobs.send("b")
            // spotless:off
        // snippet: pitfall-blocking
        val view = jobs.asCoroutineChannel()
        val first = view.receive()                               // suspends: the thread is free

        val second = withContext(Dispatchers.IO) { jobs.receive() } // or block where blocking is fine
        // end snippet
        // spotless:on
            assertEquals(listOf("a", "b"), listOf(first, second))
        }

    @Test
    fun kindsKotlin() =
        runBlocking<Unit> {
            // spotless:off
        // snippet: kinds-kotlin
        val reply = Oneshot.create<String>()
        launch { reply.send("pong") }
        check(reply.await() == "pong")                            // suspends for the one value

        val config = Watch.create("v1")
        launch { config.set("v2"); config.close() }
        check(config.asFlow().toList().last() == "v2")            // the latest, then done on close

        val ticks = Broadcast.create<Int>(2)
        val slow = ticks.subscribe()
        repeat(5) { ticks.send(it) }
        ticks.close()
        val seen = slow.receiveAsFlow(onLag = { missed -> println("missed $missed") }).toList()
        check(seen == listOf(3, 4))                               // the rest was overwritten
        // end snippet
        // spotless:on
            assertEquals(1, ticks.subscriberCount(), "receiveAsFlow leaves the subscriber open")
        }

    @Test
    fun broadcastFlowKotlin() =
        runBlocking<Unit> {
            val events = Broadcast.create<String>(64)
            // spotless:off
        // snippet: broadcast-flow-kotlin
        val collector = launch {
            events.asFlow().take(2).collect { println("event $it") }   // subscribes when it starts
        }
        while (events.subscriberCount() == 0) yield()                 // it has subscribed now
        events.send("login")
        events.send("logout")
        collector.join()
        // end snippet
        // spotless:on
            assertEquals(0, events.subscriberCount(), "the collection closed its subscriber")
        }
}
