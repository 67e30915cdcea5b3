/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Record keys, as {@link KafkaSenderBuilder#key} documents them, on a real broker.
 *
 * <p>Invariant: every record carries the key its element maps to (read back by a plain consumer);
 * the records of one key share a partition and keep their order; a key function or key serializer
 * that throws fails that one send, with its exception, and nothing of it reaches the topic.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaKeysTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Every record of {@code topic}, from the start, read by a plain consumer: key and value. */
  static List<ConsumerRecord<String, String>> readAll(KafkaBroker broker, String topic, int n) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
    List<ConsumerRecord<String, String>> all = new ArrayList<>();
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (all.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(100)).forEach(all::add);
      }
    }
    return all;
  }

  @Test
  void eachRecordCarriesItsKey_andTheRecordsOfOneKeyShareAPartitionInOrder(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("keys", 4);
    int perKey = 50;
    List<String> keys = List.of("ant", "bee", "cat", "dog", "eel", "fox");
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .key((String v) -> v.substring(0, v.indexOf('-')), new StringSerializer())
            .build();
    try {
      // given: the keys' records interleaved, through the async and the batch faces
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < perKey; i++) {
        for (String k : keys) {
          if (i % 2 == 0) {
            acks.add(s.sendAsync(k + "-" + i));
          } else {
            batch.add(k + "-" + i);
          }
        }
        if (i % 2 == 1) {
          assertEquals(batch.size(), s.sendAll(batch));
          batch.clear();
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      s.close();
    }

    // then: each record's key is its element's, and each key's records are in one partition, in
    // the order they were sent
    List<ConsumerRecord<String, String>> all = readAll(broker, topic, keys.size() * perKey);
    assertEquals(keys.size() * perKey, all.size(), "records read back");
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<String, Integer> next = new HashMap<>();
    for (ConsumerRecord<String, String> r : all) {
      String k = r.value().substring(0, r.value().indexOf('-'));
      assertEquals(k, r.key(), "the key of " + r.value());
      Integer p = partitionOf.putIfAbsent(k, r.partition());
      assertEquals(p == null ? r.partition() : p, r.partition(), "one partition for key " + k);
    }
    // a partition's records are read in offset order: so per key, the indexes count up
    for (ConsumerRecord<String, String> r : all) {
      String k = r.key();
      int index = Integer.parseInt(r.value().substring(r.value().indexOf('-') + 1));
      assertEquals(next.getOrDefault(k, 0), index, "key " + k + " in send order");
      next.put(k, index + 1);
    }
  }

  @Test
  void aKeyFunctionOrKeySerializerThatThrows_failsThatSendOnly(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("bad-keys", 1);
    IllegalStateException refused = new IllegalStateException("no key for this one");
    Serializer<String> picky =
        (t, k) -> {
          if (k == null) {
            return null; // no key: a Kafka serializer is handed null, and returns it
          }
          if (k.equals("unserializable")) {
            throw new SerializationException("cannot write key " + k);
          }
          return k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .property(ProducerConfig.LINGER_MS_CONFIG, 0)
            .key(
                (String v) -> {
                  if (v.equals("refused")) {
                    throw refused;
                  }
                  return v.equals("keyless") ? null : v;
                },
                picky)
            .maxInFlight(1)
            .build();
    try {
      // when: sends whose key cannot be made, between sends whose key can (or is null)
      s.send("first");
      assertSame(refused, assertThrows(IllegalStateException.class, () -> s.send("refused")));
      ExecutionException async =
          assertThrows(
              ExecutionException.class,
              () -> s.sendAsync("refused").get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertSame(refused, async.getCause());
      assertThrows(SerializationException.class, () -> s.trySend("unserializable"));
      assertTrue(s.send("keyless", WAIT));
      assertTrue(s.trySend("last"), "the failures gave their room back");
    } finally {
      s.close();
    }

    // then: only the sends that returned reached the topic, keyed as their elements say
    List<ConsumerRecord<String, String>> all = readAll(broker, topic, 3);
    assertEquals(List.of("first", "keyless", "last"), all.stream().map(r -> r.value()).toList());
    assertEquals("first", all.get(0).key());
    assertNull(all.get(1).key(), "a null key is no key");
    assertEquals("last", all.get(2).key());
  }
}
