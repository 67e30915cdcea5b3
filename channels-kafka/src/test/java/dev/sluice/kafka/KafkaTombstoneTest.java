/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.channels.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records with a {@code null} value (tombstones, written by a plain producer) reaching a receiver,
 * as {@link KafkaReceiverBuilder#skipNullValues()} documents.
 *
 * <p>Invariant: without the option, a tombstone closes the receiver with a {@link KafkaException}
 * that names the record and the option, and no record after it is received; with it, callers
 * receive every other record, in order, and the group's commits pass the tombstones, a trailing one
 * too: a later member of the group gets none of these records again.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaTombstoneTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Writes {@code values} in order to partition 0 of {@code topic}; a null is a tombstone. */
  static void write(KafkaBroker broker, String topic, String... values) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    try (KafkaProducer<String, String> p =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String v : values) {
        p.send(new ProducerRecord<>(topic, 0, "k", v)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  static KafkaReceiverBuilder<String> builder(KafkaBroker broker, String topic, String group) {
    return KafkaChannels.receiverBuilder(topic, group, new StringDeserializer())
        .bootstrapServers(broker.bootstrap())
        .prefetch(4);
  }

  @Test
  void aTombstone_closesAReceiverThatDoesNotSkipThem_namingTheRecordAndTheOption(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("tombstone-fails", 1);
    write(broker, topic, "a", null, "b");
    KafkaReceiver<String> r = builder(broker, topic, "tombstone-fails").build();
    try {
      // when: the receiver meets the tombstone at offset 1
      List<String> got = new ArrayList<>();
      ChannelClosedException closed = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (closed == null && System.nanoTime() < deadline) {
        try {
          String v = r.receive(Duration.ofMillis(100));
          if (v != null) {
            got.add(v);
          }
        } catch (ChannelClosedException e) {
          closed = e;
        }
      }

      // then: it closed, saying why and what to do; "b", after the tombstone, never came
      assertNotNull(closed, "the receiver did not close on the tombstone");
      KafkaException cause = assertInstanceOf(KafkaException.class, closed.getCause());
      assertTrue(cause.getMessage().contains(topic + "-0@1"), cause.getMessage());
      assertTrue(cause.getMessage().contains("skipNullValues()"), cause.getMessage());
      assertTrue(got.size() <= 1 && !got.contains("b"), "received " + got);
    } finally {
      r.close();
    }
  }

  @Test
  void tombstonesSkipped_theOtherRecordsArriveInOrder_andCommitsPassThem(KafkaBroker broker)
      throws Exception {
    for (boolean acked : new boolean[] {false, true}) {
      String topic = broker.createTopic("tombstone-skip", 1);
      String group = "tombstone-skip-" + acked;
      // given: tombstones first, between records, twice in a row, and last
      write(broker, topic, null, "a", null, "b", null, null, "c", null);

      // when: a receiver that skips them takes everything there is
      List<String> got =
          receiveAll(broker, builder(broker, topic, group).skipNullValues(), acked, 3, 8);

      // then: it got the records, in order, and the group's commit passed the last tombstone (8:
      // receiveAll waits for it); the next member gets only what was written after
      assertEquals(List.of("a", "b", "c"), got, acked ? "acknowledged receiver" : "receiver");
      write(broker, topic, "d");
      assertEquals(
          List.of("d"),
          receiveAll(broker, builder(broker, topic, group).skipNullValues(), acked, 1, 9));
    }
  }

  /**
   * Receives {@code n} elements with a new receiver (acknowledging each delivery, if {@code
   * acked}), checks that nothing else comes, waits until the group committed {@code commit} on
   * partition 0, and closes it.
   */
  private static List<String> receiveAll(
      KafkaBroker broker, KafkaReceiverBuilder<String> b, boolean acked, int n, long commit)
      throws Exception {
    List<String> got = new ArrayList<>();
    if (acked) {
      KafkaReceiver<Delivery<String>> r = b.buildAcked();
      try {
        for (int i = 0; i < n; i++) {
          Delivery<String> d = r.receive(WAIT);
          assertNotNull(d, "received only " + got);
          got.add(d.value());
          assertTrue(d.ack(), "acknowledged in time");
        }
        assertEquals(null, r.receive(Duration.ofMillis(500)), "more than " + got);
        awaitCommitted(broker, b.topic, b.groupId, commit);
      } finally {
        r.close();
      }
    } else {
      KafkaReceiver<String> r = b.build();
      try {
        for (int i = 0; i < n; i++) {
          String v = r.receive(WAIT);
          if (v == null) {
            fail("received only " + got + " of " + n + " within " + WAIT);
          }
          got.add(v);
        }
        assertEquals(null, r.receive(Duration.ofMillis(500)), "more than " + got);
        awaitCommitted(broker, b.topic, b.groupId, commit);
      } finally {
        r.close();
      }
    }
    return got;
  }

  /** Waits until {@code group}'s committed offset of partition 0 is {@code expected}. */
  private static void awaitCommitted(KafkaBroker broker, String topic, String group, long expected)
      throws InterruptedException {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    TopicPartition p0 = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      long committed = -1;
      while (System.nanoTime() < deadline) {
        OffsetAndMetadata m = c.committed(Set.of(p0), WAIT).get(p0);
        committed = m == null ? -1 : m.offset();
        if (committed == expected) {
          return;
        }
        Thread.sleep(50);
      }
      fail("group " + group + " committed " + committed + ", never " + expected);
    }
  }
}
