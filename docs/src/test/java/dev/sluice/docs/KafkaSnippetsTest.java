package dev.sluice.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.Channel;
import dev.sluice.channels.Select;
import dev.sluice.kafka.Delivery;
import dev.sluice.kafka.KafkaBroker;
import dev.sluice.kafka.KafkaChannels;
import dev.sluice.kafka.KafkaReceiver;
import dev.sluice.kafka.KafkaSender;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The code of the Across JVMs page ({@code guide/across-jvms.md}), each region shown word for word
 * there ({@link PagesTest} checks it), run against a real single-node Kafka broker:
 * channels-kafka's test broker, started once for this class in a JVM of its own.
 *
 * <p>Invariant: every test accounts for each record it sent, received once (or, for the worker
 * pool, processed and acknowledged once), and checks that nothing else arrived.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaSnippetsTest {
  /** How long a test waits for a record that should come: a broker on two cores can be slow. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void quickStart(KafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrap();
    String topic = broker.createTopic("orders", 1);
    List<String> served = new ArrayList<>();
    // spotless:off
    // snippet: kafka-quick
    KafkaSender<String> orders = KafkaChannels.sender(bootstrap, topic, new StringSerializer());
    orders.send("tea");                                   // returns once the broker has the record
    orders.close();

    try (KafkaReceiver<String> kitchen =                  // a member of consumer group "kitchen"
             KafkaChannels.receiver(bootstrap, topic, "kitchen", new StringDeserializer())) {
        String order = kitchen.receive();                 // as from any Sluice channel
        served.add(order);
    }
    // end snippet
    // spotless:on
    assertEquals(List.of("tea"), served);
    assertTrue(orders.isClosedForSend());
  }

  @Test
  void selectMixesKafkaAndLocalChannels(KafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrap();
    String topic = broker.createTopic("select", 1);
    KafkaSender<String> orders = KafkaChannels.sender(bootstrap, topic, new StringSerializer());
    orders.send("cake");
    orders.close();
    Channel<String> shutdown = Channel.rendezvous();
    try (KafkaReceiver<String> kitchen =
        KafkaChannels.receiver(bootstrap, topic, "kitchen-select", new StringDeserializer())) {
      // spotless:off
      // snippet: kafka-select
      String next = Select.select(
          kitchen.onReceive(order -> "cook " + order),        // a Kafka topic...
          shutdown.onReceive(why -> "stop: " + why),          // ...and a local channel
          Select.onTimeout(Duration.ofMinutes(1), () -> "idle"));
      // end snippet
      // spotless:on
      assertEquals("cook cake", next);
      assertNull(kitchen.tryReceive(), "the select took the one record");
    }
  }

  @Test
  void configuration(KafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrap();
    String topic = broker.createTopic("config", 2);
    // spotless:off
    // snippet: kafka-config
    KafkaSender<String> sender =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(bootstrap)
            .maxInFlight(256)                             // "full": 256 records not yet acknowledged
            .property(ProducerConfig.ACKS_CONFIG, "all")  // the default: every in-sync replica
            .build();
    KafkaReceiver<Delivery<String>> receiver =
        KafkaChannels.receiverBuilder(topic, "billing", new StringDeserializer())
            .bootstrapServers(bootstrap)
            .prefetch(64)                                 // fetched ahead, not yet received
            .handOverWait(Duration.ofSeconds(5))          // a rebalance waits this long for acks
            .closeTimeout(Duration.ofSeconds(15))         // close waits this long for the poller
            .property(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100)
            .buildAcked();
    // end snippet
    // spotless:on
    try {
      for (int i = 0; i < 10; i++) {
        assertTrue(sender.send("bill-" + i, WAIT));
      }
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < 10; i++) {
        Delivery<String> d = receiver.receive(WAIT);
        seen.merge(d.value(), 1, Integer::sum);
        assertTrue(d.ack(), "acknowledged while its partition is the receiver's");
      }
      assertEquals(10, seen.size(), "each bill once: " + seen);
      assertNull(receiver.receive(Duration.ofSeconds(1)), "nothing beyond the ten");
    } finally {
      sender.close();
      receiver.close();
    }
  }

  @Test
  void keysAndTombstones(KafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrap();
    String topic = broker.createTopic("accounts", 3);
    // spotless:off
    // snippet: kafka-keys
    KafkaSender<String> updates =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(bootstrap)
            .key((String update) -> update.split(":")[0],  // "alice:+10" is keyed "alice"
                 new StringSerializer())
            .build();
    KafkaReceiver<String> ledger =
        KafkaChannels.receiverBuilder(topic, "ledger", new StringDeserializer())
            .bootstrapServers(bootstrap)
            .skipNullValues()                             // tombstones pass by, counted as received
            .build();
    // end snippet
    // spotless:on
    try {
      List<String> sent = List.of("alice:+10", "bob:+5", "alice:-3", "bob:+1", "alice:+7");
      assertEquals(sent.size(), updates.sendAll(sent));
      Map<String, List<String>> perAccount = new HashMap<>();
      for (int i = 0; i < sent.size(); i++) {
        String u = ledger.receive(WAIT);
        perAccount.computeIfAbsent(u.split(":")[0], k -> new ArrayList<>()).add(u);
      }
      // one key, one partition: each account's updates arrive in the order they were sent
      assertEquals(List.of("alice:+10", "alice:-3", "alice:+7"), perAccount.get("alice"));
      assertEquals(List.of("bob:+5", "bob:+1"), perAccount.get("bob"));
      assertNull(ledger.receive(Duration.ofSeconds(1)), "nothing beyond the five");
    } finally {
      updates.close();
      ledger.close();
    }
  }

  /** The walk-through's producer and worker loops, as the example runs them, in one JVM here. */
  @Test
  void workerPool_processesEachOrderOnce(KafkaBroker broker) throws Exception {
    String bootstrap = broker.bootstrap();
    String ordersTopic = broker.createTopic("pool-orders", 4);
    String receiptsTopic = broker.createTopic("pool-receipts", 1);
    int count = 300;
    KafkaSender<String> orders =
        KafkaChannels.sender(bootstrap, ordersTopic, new StringSerializer());
    // spotless:off
    // snippet: kafka-producer
    List<CompletableFuture<Void>> acknowledged = new ArrayList<>(count);
    for (int id = 0; id < count; id++) {
        acknowledged.add(orders.sendAsync("order-" + id)); // waits for no room here
    }
    CompletableFuture.allOf(acknowledged.toArray(new CompletableFuture<?>[0]))
        .get(1, TimeUnit.MINUTES);                        // the broker has every order
    orders.close();                                       // flushes what is still in flight
    // end snippet
    // spotless:on

    KafkaSender<String> receipts =
        KafkaChannels.sender(bootstrap, receiptsTopic, new StringSerializer());
    AtomicInteger processed = new AtomicInteger();
    AtomicInteger late = new AtomicInteger();
    List<Thread> workers = new ArrayList<>();
    try (KafkaReceiver<Delivery<String>> deliveries =
        KafkaChannels.ackedReceiver(bootstrap, ordersTopic, "workers", new StringDeserializer())) {
      for (int w = 0; w < 3; w++) {
        Thread worker =
            new Thread(
                () -> {
                  try {
                    workerLoop(deliveries, receipts, processed, late, count);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        worker.start();
        workers.add(worker);
      }
      for (Thread worker : workers) {
        worker.join(WAIT.toMillis());
        assertFalse(worker.isAlive(), "a worker still runs after " + WAIT);
      }
    } finally {
      receipts.close();
    }
    assertEquals(count, processed.get());
    assertEquals(0, late.get(), "no rebalance here: every acknowledgement counts");

    Map<String, Integer> receiptsPerOrder = new HashMap<>();
    try (KafkaReceiver<String> audit =
        KafkaChannels.receiver(bootstrap, receiptsTopic, "audit", new StringDeserializer())) {
      for (int i = 0; i < count; i++) {
        String receipt = audit.receive(WAIT);
        receiptsPerOrder.merge(receipt, 1, Integer::sum);
      }
      assertNull(audit.receive(Duration.ofSeconds(1)), "no receipt beyond one per order");
    }
    assertEquals(count, receiptsPerOrder.size(), "one receipt for each order");
  }

  private static void workerLoop(
      KafkaReceiver<Delivery<String>> deliveries,
      KafkaSender<String> receipts,
      AtomicInteger processed,
      AtomicInteger late,
      int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (processed.get() < count && System.nanoTime() < deadline) {
      // spotless:off
      // snippet: kafka-worker
      Delivery<String> order = deliveries.receive(Duration.ofMillis(200));
      if (order == null) {
          continue;                                       // none yet: check the count again
      }
      receipts.send("receipt-" + order.value());          // returns once the receipt is written
      if (order.ack()) {                                  // only now may the order be committed
          processed.incrementAndGet();
      } else {
          late.incrementAndGet();                         // its partition moved: it comes again
      }
      // end snippet
      // spotless:on
    }
  }
}
