/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static dev.sluice.kafka.KafkaTestSupport.sender;
import static dev.sluice.kafka.KafkaTestSupport.upToMarker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link KafkaSender}'s queue of sends waiting for room ({@code AppendQueue}) against a real
 * broker: withdrawn sends are never written, the others exactly once, in the order of one thread's
 * calls across every form of send, and a close fails what still waits.
 *
 * <p>Invariant: each test ends its topic with a marker sent by a second sender after the first one
 * is done, and reads the topic up to it, so "never written" is checked by what came before it.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaSenderQueueTest {

  /** The outcome of a send's future: true if sent, false if withdrawn; fails on anything else. */
  private static boolean sentOrWithdrawn(CompletableFuture<Void> f) throws Exception {
    try {
      f.get(60, TimeUnit.SECONDS);
      return true;
    } catch (CancellationException withdrawn) {
      return false;
    }
  }

  @Test
  void sendAsync_cancelledWhileQueued_isNeverSent_theRestOnceInOrder(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("queue-cancel", 1);
    Random random = new Random(16);
    List<String> calls = new ArrayList<>();
    Map<String, CompletableFuture<Void>> futures = new HashMap<>();
    Set<String> withdrawn = new HashSet<>();
    Set<String> refused = new HashSet<>();
    // given: room for 2 records in flight, so nearly every send waits in the queue
    KafkaSender<String> s = sender(broker, topic, 2);
    try {
      for (int i = 0; i < 1500; i++) {
        String v = "q" + i;
        calls.add(v);
        int form = random.nextInt(20);
        if (form == 0) {
          // a timed send behind the queue: false means never written
          if (!s.send(v, Duration.ofMillis(random.nextInt(3)))) {
            refused.add(v);
          }
          continue;
        }
        if (form == 1) {
          if (!s.trySend(v)) {
            refused.add(v);
          }
          continue;
        }
        CompletableFuture<Void> f = s.sendAsync(v);
        futures.put(v, f);
        // when: about a third are cancelled, at once or a little later
        if (random.nextInt(3) == 0 && f.cancel(false)) {
          withdrawn.add(v);
        }
        if (random.nextInt(50) == 0) {
          String earlier = calls.get(random.nextInt(calls.size()));
          CompletableFuture<Void> e = futures.get(earlier);
          if (e != null && e.cancel(false)) {
            withdrawn.add(earlier);
          }
        }
      }
      for (Map.Entry<String, CompletableFuture<Void>> e : futures.entrySet()) {
        boolean sent = sentOrWithdrawn(e.getValue());
        assertEquals(!withdrawn.contains(e.getKey()), sent, e.getKey() + ": cancel(false) said");
      }
    } finally {
      s.close();
    }
    assertFalse(withdrawn.isEmpty(), "some sends were withdrawn while they waited");

    // then: the topic holds exactly the sends not withdrawn or refused, each once, in call order
    List<String> expected = new ArrayList<>(calls);
    expected.removeAll(withdrawn);
    expected.removeAll(refused);
    assertEquals(expected, upToMarker(broker, topic));
  }

  @Test
  void everyForm_fromOneThread_whileSendsAreQueued_keepsCallOrder(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("queue-order", 1);
    List<String> sent = new ArrayList<>();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    // given: room for one record, so a blocking send after an async one finds it queued
    KafkaSender<String> s = sender(broker, topic, 1);
    try {
      for (int i = 0; i < 400; i++) {
        String v = "m" + i;
        switch (i % 5) {
          case 0:
          case 1:
            acks.add(s.sendAsync(v));
            break;
          case 2:
            s.send(v); // behind the async ones; with all room taken it must not deadlock
            break;
          case 3:
            assertTrue(s.send(v, Duration.ofSeconds(60)));
            break;
          default:
            assertEquals(1, s.sendAll(List.of(v)));
            break;
        }
        sent.add(v);
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      s.close();
    }
    // then: one partition holds them in the order of the calls
    assertEquals(sent, upToMarker(broker, topic));
  }

  @Test
  void send_interruptedWhileQueued_isNotSent_orWaitsForItsAck(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("queue-interrupt", 1);
    Set<String> sent = new HashSet<>();
    List<String> order = new ArrayList<>();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    KafkaSender<String> s = sender(broker, topic, 1);
    try {
      for (int i = 0; i < 200; i++) {
        String a = "a" + i;
        acks.add(s.sendAsync(a));
        order.add(a);
        sent.add(a);
        String b = "b" + i;
        // when: interrupted before the send, which queues behind the async one
        Thread.currentThread().interrupt();
        try {
          s.send(b);
          // then: either it was handed over already, and the interrupt is kept...
          assertTrue(Thread.interrupted(), "the interrupt status is kept");
          order.add(b);
          sent.add(b);
        } catch (InterruptedException e) {
          // ...or it was withdrawn, and never written
          assertFalse(Thread.currentThread().isInterrupted());
        }
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      Thread.interrupted();
      s.close();
    }
    assertEquals(order, upToMarker(broker, topic));
  }

  @Test
  void close_failsQueuedSends_andAppendsNoneOfThem(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("queue-close", 1);
    List<String> calls = new ArrayList<>();
    List<CompletableFuture<Void>> futures = new ArrayList<>();
    KafkaSender<String> s = sender(broker, topic, 1);
    for (int i = 0; i < 500; i++) {
      calls.add("c" + i);
      futures.add(s.sendAsync("c" + i));
    }
    // when: closed while most of them wait in the queue
    s.close();

    // then: each either was sent or failed with ChannelClosedException, and only the sent ones
    // were written, in order
    List<String> expected = new ArrayList<>();
    int closedCount = 0;
    for (int i = 0; i < calls.size(); i++) {
      try {
        futures.get(i).get(60, TimeUnit.SECONDS);
        expected.add(calls.get(i));
      } catch (ExecutionException e) {
        assertInstanceOf(ChannelClosedException.class, e.getCause(), calls.get(i));
        closedCount++;
      }
    }
    assertTrue(closedCount > 0, "some sends were still queued at the close");
    assertEquals(expected, upToMarker(broker, topic));
  }
}
