/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Select;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The faces of {@link KafkaSender} and {@link KafkaReceiver} against a real broker: each form of
 * send and receive, select beside a local channel, closing, and bad input.
 *
 * <p>Invariant: every test uses topics of its own, so the tests share one broker and no state.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaChannelsTest {
  /** Generous: the first receive waits for the consumer to join its group. */
  static final Duration WAIT = Duration.ofSeconds(60);

  static KafkaSender<String> sender(KafkaBroker broker, String topic) {
    return KafkaChannels.senderBuilder(topic, new StringSerializer())
        .bootstrapServers(broker.bootstrap())
        .property(ProducerConfig.LINGER_MS_CONFIG, 0)
        .build();
  }

  static KafkaReceiver<String> receiver(
      KafkaBroker broker, String topic, String group, int prefetch) {
    return KafkaChannels.receiverBuilder(topic, group, new StringDeserializer())
        .bootstrapServers(broker.bootstrap())
        .prefetch(prefetch)
        .build();
  }

  static String receiveWithin(KafkaReceiver<String> r) throws InterruptedException {
    String v = r.receive(WAIT);
    assertNotNull(v, "nothing received within " + WAIT);
    return v;
  }

  @Test
  void everyFace_roundTripsThroughTheBroker(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("faces", 1);
    KafkaSender<String> s = sender(broker, topic);
    KafkaReceiver<String> r = receiver(broker, topic, "faces", 16);
    try {
      // given: one element sent through each sending face, in order (one partition keeps it)
      s.send("send");
      assertTrue(s.send("timed", Duration.ofSeconds(30)));
      assertTrue(s.trySend("try"));
      s.sendAsync("async").get(30, TimeUnit.SECONDS);
      assertEquals(2, s.sendAll(List.of("all-1", "all-2")));
      assertEquals(6, s.sendAll(List.of("m1", "m2", "it1", "it2", "ma1", "ma2")));

      // then: each receiving face gets the next one
      assertEquals("send", r.receive(WAIT));
      assertEquals("timed", r.receive(WAIT));
      String tried = r.tryReceive();
      while (tried == null) {
        Thread.sleep(5);
        tried = r.tryReceive();
      }
      assertEquals("try", tried);
      assertEquals("async", r.receiveAsync().get(60, TimeUnit.SECONDS));

      Channel<String> local = Channel.bounded(1);
      assertEquals(
          "kafka:all-1",
          Select.select(local.onReceive(v -> "local:" + v), r.onReceive(v -> "kafka:" + v)));
      // a select that chose the local channel took nothing from Kafka
      local.send("here");
      assertEquals(
          "local:here",
          Select.select(local.onReceive(v -> "local:" + v), r.onReceive(v -> "kafka:" + v)));
      assertEquals("all-2", r.receive(WAIT));

      List<String> batch = new ArrayList<>();
      while (batch.size() < 2) {
        r.receiveMany(batch, 2 - batch.size(), WAIT);
      }
      assertEquals(List.of("m1", "m2"), batch);
      Iterator<String> it = r.iterator();
      assertTrue(it.hasNext());
      assertEquals("it1", it.next());
      assertTrue(it.hasNext());
      assertEquals("it2", it.next());
      List<String> asyncBatch = new ArrayList<>();
      while (asyncBatch.size() < 2) {
        asyncBatch.addAll(r.receiveManyAsync(2 - asyncBatch.size()).get(60, TimeUnit.SECONDS));
      }
      assertEquals(List.of("ma1", "ma2"), asyncBatch);
      assertNull(r.receive(Duration.ofMillis(500)), "nothing more was sent");
    } finally {
      assertTrue(s.close());
      r.close();
    }
    // closed: both ends say so, and fail
    assertFalse(s.close());
    assertTrue(s.isClosedForSend());
    assertThrows(ChannelClosedException.class, () -> s.send("late"));
    assertTrue(s.sendAsync("late").isCompletedExceptionally());
    assertTrue(r.isClosedForReceive());
    assertThrows(ChannelClosedException.class, r::receive);
  }

  @Test
  void sendsOfOneThread_whenRoomRunsOut_keepTheirOrder(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("order", 1);
    // given: room for 4 records in flight, so most of these wait for room and are appended later
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .maxInFlight(4)
            .build();
    KafkaReceiver<String> r = receiver(broker, topic, "order", 64);
    List<String> sent = new ArrayList<>();
    try {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        sent.add("o" + i);
        acks.add(s.sendAsync("o" + i));
      }
      // a try send and a blocking send behind them, from the same thread
      sent.add("try");
      while (!s.trySend("try")) {
        Thread.sleep(1);
      }
      sent.add("last");
      s.send("last");
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      // then: one partition holds them in the order of the calls
      List<String> received = new ArrayList<>();
      while (received.size() < sent.size()) {
        received.add(receiveWithin(r));
      }
      assertEquals(sent, received);
    } finally {
      s.close();
      r.close();
    }
  }

  @Test
  void receiveAsync_cancelledBeforeARecord_takesNothing(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("cancel", 1);
    KafkaSender<String> s = sender(broker, topic);
    KafkaReceiver<String> r = receiver(broker, topic, "cancel", 16);
    try {
      CompletableFuture<String> withdrawn = r.receiveAsync();
      assertTrue(withdrawn.cancel(false));
      assertTrue(withdrawn.isCancelled());
      s.send("only");
      assertEquals("only", receiveWithin(r));
    } finally {
      s.close();
      r.close();
    }
  }

  @Test
  void onSend_isUnsupported(KafkaBroker broker) {
    KafkaSender<String> s = sender(broker, broker.createTopic("select", 1));
    try {
      assertThrows(UnsupportedOperationException.class, () -> s.onSend("x", () -> 1));
    } finally {
      s.close();
    }
  }

  @Test
  void throwingSerializer_failsThatSendOnly_andGivesItsRoomBack(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("serializer", 1);
    Serializer<String> picky =
        (t, v) -> {
          if (v.startsWith("bad")) {
            throw new IllegalArgumentException("cannot serialize " + v);
          }
          return v.getBytes(StandardCharsets.UTF_8);
        };
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, picky)
            .bootstrapServers(broker.bootstrap())
            .maxInFlight(1)
            .build();
    KafkaReceiver<String> r = receiver(broker, topic, "serializer", 16);
    try {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> s.send("bad-1"));
      assertEquals("cannot serialize bad-1", e.getMessage());
      CompletableFuture<Void> async = s.sendAsync("bad-2");
      assertTrue(async.isCompletedExceptionally());
      // the one unit of room came back both times
      assertTrue(s.trySend("good"));
      assertEquals("good", receiveWithin(r));
      assertNull(r.receive(Duration.ofMillis(500)), "the bad ones were not sent");
    } finally {
      s.close();
      r.close();
    }
  }

  @Test
  void throwingDeserializer_closesTheReceiverWithTheCause_andEndsItsPoller(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("deserializer", 1);
    KafkaSender<String> s = sender(broker, topic);
    try {
      s.send("ok");
      s.send("boom");
    } finally {
      s.close();
    }
    Deserializer<String> picky =
        (t, data) -> {
          String v = new String(data, StandardCharsets.UTF_8);
          if (v.equals("boom")) {
            throw new IllegalStateException("cannot read " + v);
          }
          return v;
        };
    KafkaReceiver<String> r =
        KafkaChannels.receiverBuilder(topic, "deserializer", picky)
            .bootstrapServers(broker.bootstrap())
            .build();
    try {
      assertEquals("ok", receiveWithin(r));
      ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> r.receive(WAIT));
      Throwable cause = e.getCause();
      assertNotNull(cause, "the receiver's failure is the cause");
      boolean named = false;
      for (Throwable t = cause; t != null; t = t.getCause()) {
        named |= String.valueOf(t.getMessage()).contains("cannot read boom");
      }
      assertTrue(named, "the deserializer's exception is in the cause chain: " + cause);
      assertTrue(r.isClosedForReceive());
    } finally {
      r.close();
    }
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(
          t.getName().equals("sluice-kafka-poller-" + topic + "-deserializer"),
          "the poller thread ended");
    }
  }

  @Test
  void receiverOfAnUnknownTopic_closesWithACauseNamingIt_andEndsItsPoller(KafkaBroker broker)
      throws Exception {
    String topic = "unknown-" + System.nanoTime();
    KafkaReceiver<String> r =
        KafkaChannels.receiverBuilder(topic, "unknown", new StringDeserializer())
            .bootstrapServers(broker.bootstrap())
            .property(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
            .build();
    try {
      ChannelClosedException e = assertThrows(ChannelClosedException.class, () -> r.receive(WAIT));
      assertTrue(
          e.getCause() instanceof UnknownTopicOrPartitionException,
          "the cause says the topic is unknown: " + e.getCause());
      assertTrue(e.getCause().getMessage().contains(topic), e.getCause().getMessage());
      assertTrue(r.isClosedForReceive());
    } finally {
      r.close();
    }
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(
          t.getName().equals("sluice-kafka-poller-" + topic + "-unknown"), "the poller ended");
    }
  }

  @Test
  void unreachableBroker_timedSendsFailClearly_noThreadLeft() {
    KafkaSender<String> s =
        KafkaChannels.senderBuilder("nowhere", new StringSerializer())
            .bootstrapServers("127.0.0.1:1")
            .property(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500)
            .property(ProducerConfig.CLIENT_ID_CONFIG, "nowhere-client")
            .build();
    try {
      Exception e = assertThrows(Exception.class, () -> s.send("x", Duration.ofSeconds(5)));
      assertTrue(e instanceof org.apache.kafka.common.KafkaException, "a Kafka failure, not " + e);
    } finally {
      assertTrue(s.close());
    }
    Set<String> left = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().endsWith("nowhere-client") && t.isAlive()) {
        left.add(t.getName());
      }
    }
    assertEquals(Set.of(), left);
  }
}
