/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.Select;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rebalances while callers receive through every face at once: the race between a caller taking a
 * record and the poller taking it back for a revoked partition.
 *
 * <p>Invariant: whatever the interleaving, each record sent is received exactly once across all the
 * receivers of the group, all in this process.
 *
 * <p>The default build sends 6,000 records through 4 members' visits (seconds); {@code
 * -Pstress-long} sends 120,000 through 60 visits (minutes): see {@link KafkaSoak}.
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaRebalanceStressTest {
  private static final Duration STEP = Duration.ofMillis(50);

  /** Records sent in all. */
  private static final int RECORDS = KafkaSoak.size(6_000, 120_000);

  /** Members that join, receive their share of the records, and leave, one after another. */
  private static final int VISITS = KafkaSoak.size(4, 60);

  /**
   * The producer's pause after each 500 records: the long run paces them (about 500 a second) so
   * that records flow through all its visits, which take a few seconds each.
   */
  private static final Duration PACE = Duration.ofMillis(KafkaSoak.size(100, 1_000));

  /** How long the callers go on before they give up on a lost record; the joins' bound too. */
  private static final Duration GIVE_UP =
      KafkaSoak.LONG ? Duration.ofMinutes(30) : Duration.ofSeconds(90);

  /** Receives once through face {@code face % 5}; adds what it got to {@code out}. */
  static <T> int receiveOnce(KafkaReceiver<T> r, int face, Collection<T> out) throws Exception {
    switch (face % 5) {
      case 0 -> {
        T v = r.receive(STEP);
        if (v != null) {
          out.add(v);
          return 1;
        }
        return 0;
      }
      case 1 -> {
        CompletableFuture<T> f = r.receiveAsync();
        try {
          out.add(f.get(STEP.toMillis(), TimeUnit.MILLISECONDS));
          return 1;
        } catch (TimeoutException e) {
          if (f.cancel(false)) {
            return 0; // withdrawn: it took nothing
          }
          out.add(f.join()); // an element was handed to it as it timed out
          return 1;
        }
      }
      case 2 -> {
        T v = Select.select(r.onReceive(x -> x), Select.onTimeout(STEP, () -> null));
        if (v != null) {
          out.add(v);
          return 1;
        }
        return 0;
      }
      case 3 -> {
        List<T> batch = new ArrayList<>();
        int n = r.receiveMany(batch, 7, STEP);
        out.addAll(batch);
        return n;
      }
      default -> {
        T v = r.tryReceive();
        if (v == null) {
          Thread.sleep(1);
          return 0;
        }
        out.add(v);
        return 1;
      }
    }
  }

  /** A caller thread: receives through all faces in turn until {@code stop} says so. */
  static <T> Thread caller(
      KafkaReceiver<T> r,
      Collection<T> out,
      AtomicInteger total,
      BooleanSupplier stop,
      int firstFace) {
    Thread t =
        new Thread(
            () -> {
              int face = firstFace;
              try {
                while (!stop.getAsBoolean()) {
                  total.addAndGet(receiveOnce(r, face++, out));
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    t.start();
    return t;
  }

  @Test
  void membersComeAndGoWhileCallersReceive_eachRecordReceivedOnce(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("churn", 6);
    int n = RECORDS;
    // each visitor stays while the group receives its share, and the steady member gets the rest
    int share = KafkaSoak.size(400, n / (VISITS + 2));
    long join = GIVE_UP.toMillis() + 30_000;
    KafkaSender<String> s =
        KafkaTestSupport.spreadingSender(broker, topic)
            .property(ProducerConfig.LINGER_MS_CONFIG, 1)
            .build();
    ConcurrentLinkedQueue<String> got = new ConcurrentLinkedQueue<>();
    AtomicInteger total = new AtomicInteger();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    KafkaReceiver<String> steady = KafkaChannelsTest.receiver(broker, topic, "churn", 16);
    List<Thread> callers = new ArrayList<>();
    // A lost record would leave the callers waiting for it: they give up at this deadline (or
    // when the producer failed), and the assertions below say what is missing.
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    BooleanSupplier late = () -> System.nanoTime() > deadline || producerFailure.get() != null;
    try {
      // given: a steady member with two callers on different faces, and records flowing in
      callers.add(caller(steady, got, total, () -> total.get() >= n || late.getAsBoolean(), 0));
      callers.add(caller(steady, got, total, () -> total.get() >= n || late.getAsBoolean(), 2));
      Thread producer =
          KafkaTestSupport.producer(s, "c", n, PACE.toMillis(), sent, producerFailure);

      // when: members join, receive a while on every face, and leave, one after another
      int visits = 0;
      for (int round = 0; round < VISITS && total.get() < n && !late.getAsBoolean(); round++) {
        visits++;
        KafkaReceiver<String> visitor = KafkaChannelsTest.receiver(broker, topic, "churn", 16);
        int until = Math.min(n, total.get() + share);
        List<Thread> visiting = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          visiting.add(
              caller(
                  visitor,
                  got,
                  total,
                  () -> total.get() >= until || late.getAsBoolean(),
                  c * 3 + round));
        }
        for (Thread t : visiting) {
          t.join(join);
        }
        visitor.close();
      }
      producer.join(join);
      if (producerFailure.get() != null) {
        throw new AssertionError("the producer failed", producerFailure.get());
      }
      for (Thread t : callers) {
        t.join(join);
      }

      // then: each record once, none left over
      System.out.printf("rebalance stress: %d records, %d visiting members%n", n, visits);
      List<String> all = new ArrayList<>(got);
      assertEquals(n, sent.size(), "records sent");
      assertEquals(n, all.size(), "records received in all");
      assertEquals(sent, new HashSet<>(all), "each record, once");
      assertNull(steady.receive(Duration.ofSeconds(1)), "nothing received twice later");
      assertTrue(callers.stream().noneMatch(Thread::isAlive), "callers finished");
    } finally {
      s.close();
      steady.close();
    }
  }
}
