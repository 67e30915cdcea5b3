package dev.sluice.docs

import dev.sluice.channels.Channel
import dev.sluice.coroutines.asCoroutineChannel
import dev.sluice.coroutines.asReceiveChannel
import dev.sluice.coroutines.receiveAsFlow
import dev.sluice.kafka.KafkaBroker
import dev.sluice.kafka.KafkaChannels
import java.time.Duration
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.select
import org.apache.kafka.common.serialization.StringDeserializer
import org.apache.kafka.common.serialization.StringSerializer
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.extension.ExtendWith

/**
 * The Kotlin code of the Across JVMs page (`guide/across-jvms.md`), run against channels-kafka's
 * test broker: a Kafka receiver as a kotlinx `Flow` and in kotlinx's `select { }`.
 *
 * Invariant: every test accounts for each record it sent: received once, and nothing else.
 */
@ExtendWith(KafkaBroker.Resolver::class)
class KafkaKotlinSnippetsTest {

    @Test
    fun kafkaFlow(broker: KafkaBroker) =
        runBlocking<Unit> {
            val bootstrap = broker.bootstrap()
            val topic = broker.createTopic("flow", 1)
            val orders = KafkaChannels.sender(bootstrap, topic, StringSerializer())
            for (o in listOf("tea", "cake", "soup", "bread")) orders.send(o)
            orders.close()
            // spotless:off
        // snippet: kafka-flow
        val kitchen = KafkaChannels.ackedReceiver(bootstrap, topic, "kitchen", StringDeserializer())
        val cooked = kitchen.receiveAsFlow()               // a Flow of deliveries; no thread blocks
            .take(3)
            .map { order -> "cooked ${order.value()}".also { order.ack() } }
            .toList()                                      // [cooked tea, cooked cake, cooked soup]
        kitchen.close()                                    // "bread" stays for the group's next member
        // end snippet
        // spotless:on
            assertEquals(listOf("cooked tea", "cooked cake", "cooked soup"), cooked)
            KafkaChannels.receiver(bootstrap, topic, "kitchen", StringDeserializer()).use { next ->
                assertEquals("bread", next.receive(Duration.ofSeconds(60)))
                assertNull(next.receive(Duration.ofMillis(500)))
            }
        }

    @Test
    fun kafkaSelect(broker: KafkaBroker) =
        runBlocking<Unit> {
            val bootstrap = broker.bootstrap()
            val topic = broker.createTopic("kotlin-select", 1)
            val sender = KafkaChannels.sender(bootstrap, topic, StringSerializer())
            sender.send("tea")
            sender.close()
            val shutdown = Channel.rendezvous<String>().asCoroutineChannel()
            KafkaChannels.receiver(bootstrap, topic, "kitchen-select", StringDeserializer()).use {
                kafka ->
                // spotless:off
            // snippet: kafka-select-kotlin
            val orders = kafka.asReceiveChannel()          // a kotlinx ReceiveChannel over the topic
            val next = select {
                orders.onReceive { order -> "cook $order" }
                shutdown.onReceive { why -> "stop: $why" }
            }
            // end snippet
            // spotless:on
                assertEquals("cook tea", next)
                assertNull(kafka.receive(Duration.ofMillis(500)), "one record, received once")
            }
        }
}
