/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sender over a topic the broker does not have, on a broker that does not create topics on
 * demand: what {@link KafkaSender} documents for an unknown topic.
 *
 * <p>Invariant: every form of send fails, after the producer's {@code max.block.ms} wait for the
 * topic's metadata, with a {@link KafkaException} whose message names the topic; nothing creates
 * the topic; the sender still closes, and leaves no thread behind.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaSenderUnknownTopicTest {
  /** The bound on every wait here: far above the producer's 500 ms for metadata. */
  private static final long STUCK_SECONDS = 60;

  /** Asserts {@code e} is the documented failure: a KafkaException naming {@code topic}. */
  static void assertNamesTopic(Throwable e, String topic) {
    assertTrue(e instanceof KafkaException, "a KafkaException, not " + e);
    assertTrue(String.valueOf(e.getMessage()).contains(topic), "the message names the topic: " + e);
    assertTrue(
        e.getCause() instanceof TimeoutException,
        "caused by the producer's wait for metadata: " + e.getCause());
  }

  @Test
  void everySendForm_toAnUnknownTopic_failsNamingTheTopic(KafkaBroker broker) throws Exception {
    String topic = "never-created-" + System.nanoTime();
    String clientId = "unknown-topic-producer-" + topic;
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .property(ProducerConfig.CLIENT_ID_CONFIG, clientId)
            .property(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500)
            .maxInFlight(1)
            .build();
    try {
      // when: each form of send, with room for one record in flight at a time
      CompletableFuture<Void> blocking =
          CompletableFuture.runAsync(
              () -> assertNamesTopic(assertThrows(KafkaException.class, () -> s.send("a")), topic));
      blocking.get(STUCK_SECONDS, TimeUnit.SECONDS);
      assertNamesTopic(
          assertThrows(KafkaException.class, () -> s.send("b", Duration.ofSeconds(5))), topic);
      assertNamesTopic(assertThrows(KafkaException.class, () -> s.trySend("c")), topic);
      CompletableFuture<Void> async = s.sendAsync("d");
      ExecutionException e =
          assertThrows(ExecutionException.class, () -> async.get(STUCK_SECONDS, TimeUnit.SECONDS));
      assertNamesTopic(e.getCause(), topic);

      // then: each failure gave its room back (a try send finds room), and the topic still does
      // not exist: the broker did not create it on demand
      assertNamesTopic(assertThrows(KafkaException.class, () -> s.trySend("e")), topic);
      assertFalse(broker.topics().contains(topic), "the unknown topic was not created");
    } finally {
      CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(s::close);
      assertTrue(closed.get(STUCK_SECONDS, TimeUnit.SECONDS), "the sender's close returns");
    }
    KafkaSenderRestartTest.awaitNoThreadNamed(clientId);
  }
}
