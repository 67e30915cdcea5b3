/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static dev.sluice.kafka.KafkaChannelsTest.WAIT;
import static dev.sluice.kafka.KafkaChannelsTest.sender;
import static dev.sluice.kafka.KafkaTestSupport.sendAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.Channel;
import dev.sluice.channels.Select;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Receivers of {@link Delivery deliveries} against a real broker: commits follow acknowledgements
 * in offset order, a hand-over waits for the deliveries callers hold, an acknowledgement that came
 * too late says so, and competing workers that acknowledge each record process it once.
 *
 * <p>Invariant: each test accounts for every record it sent: processed (acknowledged in time) once,
 * or delivered again to the next owner.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaAckTest {

  static KafkaReceiver<Delivery<String>> acked(
      KafkaBroker broker, String topic, String group, Duration handOverWait) {
    return KafkaChannels.receiverBuilder(topic, group, new StringDeserializer())
        .bootstrapServers(broker.bootstrap())
        .prefetch(16)
        .handOverWait(handOverWait)
        .buildAcked();
  }

  static Delivery<String> receiveWithin(KafkaReceiver<Delivery<String>> r)
      throws InterruptedException {
    Delivery<String> d = r.receive(WAIT);
    assertNotNull(d, "nothing received within " + WAIT);
    return d;
  }

  @Test
  void commits_stopAtTheFirstRecordNotAcknowledged(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("ack-gap", 1);
    KafkaSender<String> s = sender(broker, topic);
    try {
      sendAll(s, "a", 0, 100);
    } finally {
      s.close();
    }
    // given: 40 deliveries, through several faces, acknowledged except offsets 20 to 24
    KafkaReceiver<Delivery<String>> first = acked(broker, topic, "ack-gap", Duration.ZERO);
    List<Delivery<String>> held = new ArrayList<>();
    try {
      held.add(first.receiveAsync().get(60, TimeUnit.SECONDS));
      Channel<String> local = Channel.bounded(1);
      held.add(Select.select(local.onReceive(v -> null), first.onReceive(d -> d)));
      while (held.size() < 40) {
        if (first.receiveMany(held, 40 - held.size(), WAIT) == 0) {
          held.add(receiveWithin(first));
        }
      }
      for (int i = 0; i < 40; i++) {
        Delivery<String> d = held.get(i);
        assertEquals("a" + i, d.value());
        assertEquals(topic, d.topic());
        assertEquals(0, d.partition());
        assertEquals(i, d.offset());
        if (i < 20 || i >= 25) {
          assertTrue(d.ack(), "an acknowledgement while the partition is the receiver's counts");
          assertTrue(d.ack(), "acknowledging again changes nothing");
        }
      }
    } finally {
      // when: it closes without waiting for the five
      first.close();
    }
    assertFalse(held.get(20).ack(), "too late: the partition left the receiver");

    // then: its successor gets everything from the first record not acknowledged, again
    KafkaReceiver<Delivery<String>> second = acked(broker, topic, "ack-gap", Duration.ZERO);
    try {
      for (int i = 20; i < 100; i++) {
        Delivery<String> d = receiveWithin(second);
        assertEquals("a" + i, d.value(), "in offset order, from the first not acknowledged");
        assertTrue(d.ack());
      }
      assertNull(second.receive(Duration.ofSeconds(1)), "nothing beyond the topic");
    } finally {
      second.close();
    }
  }

  @Test
  void handOver_waitsForTheDeliveriesCallersHold(KafkaBroker broker) throws Exception {
    String topic = broker.createTopic("ack-wait", 1);
    KafkaSender<String> s = sender(broker, topic);
    try {
      sendAll(s, "w", 0, 50);
    } finally {
      s.close();
    }
    KafkaReceiver<Delivery<String>> first =
        acked(broker, topic, "ack-wait", Duration.ofSeconds(60));
    List<Delivery<String>> held = new ArrayList<>();
    while (held.size() < 10) {
      held.add(receiveWithin(first));
    }
    // when: it closes while a caller still processes ten deliveries, and acknowledges them later
    Thread closing = new Thread(first::close, "closing");
    closing.start();
    awaitHandOverWaiting("sluice-kafka-poller-" + topic + "-ack-wait");
    for (Delivery<String> d : held) {
      assertTrue(d.ack(), "the hand-over waited for " + d);
    }
    closing.join(TimeUnit.SECONDS.toMillis(60));
    assertFalse(closing.isAlive(), "close returned once the deliveries were acknowledged");

    // then: the successor starts after them: nothing processed twice
    KafkaReceiver<Delivery<String>> second =
        acked(broker, topic, "ack-wait", Duration.ofSeconds(60));
    try {
      for (int i = 10; i < 50; i++) {
        Delivery<String> d = receiveWithin(second);
        assertEquals("w" + i, d.value());
        d.ack();
      }
      assertNull(second.receive(Duration.ofSeconds(1)), "nothing beyond the topic");
    } finally {
      second.close();
    }
  }

  @Test
  void workersThatAcknowledgeEachRecord_processItOnce_acrossARebalance(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("ack-share", 4);
    int n = 3000;
    KafkaSender<String> s = KafkaTestSupport.spreadingSender(broker, topic).build();
    Map<String, Integer> processed = new ConcurrentHashMap<>();
    AtomicInteger late = new AtomicInteger();
    AtomicInteger total = new AtomicInteger();
    KafkaReceiver<Delivery<String>> first = acked(broker, topic, "ack-share", WAIT);
    KafkaReceiver<Delivery<String>> second = null;
    List<Thread> workers = new ArrayList<>();
    try {
      List<String> sent = new ArrayList<>(sendAll(s, "p", 0, n / 2));
      workers.add(worker(first, processed, late, total, n));
      while (total.get() < n / 8) {
        Thread.sleep(10);
      }
      // when: a second worker joins the group mid-stream, and records keep coming
      second = acked(broker, topic, "ack-share", WAIT);
      workers.add(worker(second, processed, late, total, n));
      sent.addAll(sendAll(s, "p", n / 2, n));
      for (Thread t : workers) {
        t.join(TimeUnit.SECONDS.toMillis(120));
      }

      // then: each record was processed once: acknowledged in time by one worker
      assertEquals(new HashSet<>(sent), processed.keySet(), "every record processed");
      Map<String, Integer> twice = new HashMap<>();
      processed.forEach(
          (v, times) -> {
            if (times != 1) {
              twice.put(v, times);
            }
          });
      assertEquals(Map.of(), twice, "records processed more than once");
      assertEquals(0, late.get(), "acknowledgements that came too late");
    } finally {
      s.close();
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  /** Waits until the poller thread {@code name} waits in a hand-over for records to be done. */
  static void awaitHandOverWaiting(String name) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
        if (t.getKey().getName().equals(name)) {
          for (StackTraceElement frame : t.getValue()) {
            if (frame.getMethodName().equals("awaitDone")) {
              return;
            }
          }
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the hand-over of " + name + " never waited");
  }

  /** A worker that processes (counts) each delivery, then acknowledges it, until n are done. */
  private static Thread worker(
      KafkaReceiver<Delivery<String>> r,
      Map<String, Integer> processed,
      AtomicInteger late,
      AtomicInteger total,
      int n) {
    Thread t =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
              try {
                while (total.get() < n && System.nanoTime() < deadline) {
                  Delivery<String> d = r.receive(Duration.ofMillis(100));
                  if (d == null) {
                    continue;
                  }
                  processed.merge(d.value(), 1, Integer::sum);
                  if (d.ack()) {
                    total.incrementAndGet();
                  } else {
                    late.incrementAndGet();
                    processed.merge(d.value(), -1, Integer::sum); // not done: it comes again
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    t.start();
    return t;
  }
}
