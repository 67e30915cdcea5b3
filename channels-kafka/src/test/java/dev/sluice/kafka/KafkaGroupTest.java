/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static dev.sluice.kafka.KafkaChannelsTest.receiveWithin;
import static dev.sluice.kafka.KafkaChannelsTest.receiver;
import static dev.sluice.kafka.KafkaChannelsTest.sender;
import static dev.sluice.kafka.KafkaTestSupport.sendAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Receivers of one consumer group against a real broker: competing receivers, a receiver that joins
 * mid-stream (a rebalance takes partitions from the first), and a receiver closed mid-stream whose
 * successor gets exactly what it had not received.
 *
 * <p>Invariant: each test checks the delivery promise of {@link KafkaReceiver} on every record it
 * sent: received once in all, by one receiver.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaGroupTest {

  /**
   * A thread that receives from {@code r} until {@code total} reaches {@code n}; once {@code total}
   * reaches {@code pauseAt}, it stops receiving until {@code resume} is done.
   */
  static Thread drain(
      KafkaReceiver<String> r,
      ConcurrentLinkedQueue<String> into,
      AtomicInteger total,
      int n,
      int pauseAt,
      CompletableFuture<?> resume) {
    Thread t =
        new Thread(
            () -> {
              // A lost record would keep this loop waiting for it: it gives up after a while, and
              // the test's assertions say what is missing.
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
              try {
                while (total.get() < n && System.nanoTime() < deadline) {
                  if (total.get() >= pauseAt && !resume.isDone()) {
                    resume.get(60, TimeUnit.SECONDS);
                  }
                  String v = r.receive(Duration.ofMillis(100));
                  if (v != null) {
                    into.add(v);
                    total.incrementAndGet();
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.start();
    return t;
  }

  @Test
  void twoReceiversInOneGroup_eachRecordReceivedOnce_acrossARebalance(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("share", 4);
    int n = 4000;
    // Keyed by value: the records of each half are spread over all four partitions, so whichever
    // partitions the second member gets hold records that the first has not received.
    KafkaSender<String> s = KafkaTestSupport.spreadingSender(broker, topic).build();
    KafkaReceiver<String> first = receiver(broker, topic, "share", 32);
    KafkaReceiver<String> second = null;
    ConcurrentLinkedQueue<String> got1 = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> got2 = new ConcurrentLinkedQueue<>();
    AtomicInteger total = new AtomicInteger();
    CompletableFuture<Void> secondReceived = new CompletableFuture<>();
    try {
      // given: the first receiver alone, holding prefetched records mid-way through the first half
      List<String> sent = new ArrayList<>(sendAll(s, "r", 0, n / 2));
      Thread t1 = drain(first, got1, total, n, n / 8, secondReceived);
      while (total.get() < n / 8) {
        Thread.sleep(10);
      }
      // when: a second member joins, so the group takes partitions (and their prefetched records)
      // from the first; the first receives nothing until the second received something
      second = receiver(broker, topic, "share", 32);
      String firstOfSecond = second.receive(Duration.ofSeconds(60));
      assertTrue(firstOfSecond != null, "the second member never got a partition");
      got2.add(firstOfSecond);
      total.incrementAndGet();
      secondReceived.complete(null);
      Thread t2 = drain(second, got2, total, n, n, secondReceived);
      sent.addAll(sendAll(s, "r", n / 2, n));
      t1.join(120_000);
      t2.join(120_000);

      // then: every record was received once, by one of them
      List<String> all = new ArrayList<>(got1);
      all.addAll(got2);
      assertEquals(n, all.size(), "records received in all");
      assertEquals(new HashSet<>(sent), new HashSet<>(all), "each record, once");
      assertNull(first.tryReceive(), "nothing left for the first");
      assertNull(second.tryReceive(), "nothing left for the second");
      System.out.printf("share: first received %d, second %d%n", got1.size(), got2.size());
    } finally {
      s.close();
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  @Test
  void receiverClosedMidStream_successorGetsExactlyTheUnreceived(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("handover", 2);
    KafkaSender<String> s = sender(broker, topic);
    List<String> sent;
    try {
      sent = sendAll(s, "h", 0, 600);
    } finally {
      s.close();
    }
    // given: a receiver that received 150 records and has more prefetched
    Set<String> before = new HashSet<>();
    KafkaReceiver<String> first = receiver(broker, topic, "handover", 64);
    try {
      while (before.size() < 150) {
        before.add(receiveWithin(first));
      }
    } finally {
      // when: it is closed mid-stream
      first.close();
    }
    assertEquals(150, before.size());

    // then: its successor in the group receives exactly the records it had not received
    Set<String> after = new HashSet<>();
    KafkaReceiver<String> second = receiver(broker, topic, "handover", 64);
    try {
      while (after.size() < 450) {
        String v = receiveWithin(second);
        assertTrue(after.add(v), "received twice by the successor: " + v);
        assertTrue(!before.contains(v), "received before the close, and again: " + v);
      }
      assertNull(second.receive(Duration.ofSeconds(2)), "nothing beyond the unreceived");
    } finally {
      second.close();
    }
    Set<String> all = new HashSet<>(before);
    all.addAll(after);
    assertEquals(new HashSet<>(sent), all, "nothing received was lost, nothing was skipped");
  }
}
