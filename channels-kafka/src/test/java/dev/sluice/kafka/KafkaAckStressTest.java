/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rebalances while callers receive {@link Delivery deliveries} through every face and acknowledge
 * them, some at once and some 200 ms later from another thread: the race between an acknowledgement
 * and the hand-over that waits for it.
 *
 * <p>Invariant: with a hand-over wait longer than any acknowledgement takes, each record sent is
 * processed (acknowledged while its partition was the receiver's) exactly once across the group,
 * and no acknowledgement comes too late.
 *
 * <p>The default build sends 4,000 records through 4 members' visits; {@code -Pstress-long} sends
 * 60,000 through 40 (see {@link KafkaSoak}).
 */
@ExtendWith(KafkaBroker.Resolver.class)
class KafkaAckStressTest {
  private static final int RECORDS = KafkaSoak.size(4_000, 60_000);
  private static final int VISITS = KafkaSoak.size(4, 40);
  private static final Duration GIVE_UP =
      KafkaSoak.LONG ? Duration.ofMinutes(30) : Duration.ofSeconds(90);

  /** Counts each delivery processed, then acknowledges it: every seventh one 200 ms later. */
  static final class Processing extends AbstractCollection<Delivery<String>> {
    final Map<String, Integer> processed = new ConcurrentHashMap<>();
    final AtomicInteger late = new AtomicInteger();
    final ScheduledExecutorService slow = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger seen = new AtomicInteger();

    @Override
    public boolean add(Delivery<String> d) {
      processed.merge(d.value(), 1, Integer::sum);
      if (seen.incrementAndGet() % 7 == 0) {
        slow.schedule(() -> ack(d), 200, TimeUnit.MILLISECONDS);
      } else {
        ack(d);
      }
      return true;
    }

    private void ack(Delivery<String> d) {
      if (!d.ack()) {
        late.incrementAndGet();
        processed.merge(d.value(), -1, Integer::sum); // not done here: it comes again
      }
    }

    @Override
    public Iterator<Delivery<String>> iterator() {
      throw new UnsupportedOperationException("only added to");
    }

    @Override
    public int size() {
      return seen.get();
    }
  }

  static KafkaReceiver<Delivery<String>> member(KafkaBroker broker, String topic) {
    return KafkaChannels.receiverBuilder(topic, "ack-churn", new StringDeserializer())
        .bootstrapServers(broker.bootstrap())
        .prefetch(16)
        .handOverWait(Duration.ofSeconds(60))
        .buildAcked();
  }

  @Test
  void membersComeAndGoWhileCallersAcknowledge_eachRecordProcessedOnce(KafkaBroker broker)
      throws Exception {
    String topic = broker.createTopic("ack-churn", 6);
    int n = RECORDS;
    int share = n / (VISITS + 2);
    long join = GIVE_UP.toMillis() + 30_000;
    KafkaSender<String> s =
        KafkaTestSupport.spreadingSender(broker, topic)
            .property(ProducerConfig.LINGER_MS_CONFIG, 1)
            .build();
    Processing work = new Processing();
    AtomicInteger total = new AtomicInteger();
    Set<String> sent = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    KafkaReceiver<Delivery<String>> steady = member(broker, topic);
    List<Thread> callers = new ArrayList<>();
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    BooleanSupplier done =
        () -> total.get() >= n || System.nanoTime() > deadline || producerFailure.get() != null;
    try {
      // given: a steady member with two callers, and records flowing in
      callers.add(KafkaRebalanceStressTest.caller(steady, work, total, done, 0));
      callers.add(KafkaRebalanceStressTest.caller(steady, work, total, done, 2));
      Thread producer =
          KafkaTestSupport.producer(s, "k", n, KafkaSoak.size(100, 1_000), sent, producerFailure);

      // when: members join, receive and acknowledge a while, and leave, one after another
      for (int round = 0; round < VISITS && !done.getAsBoolean(); round++) {
        KafkaReceiver<Delivery<String>> visitor = member(broker, topic);
        int until = Math.min(n, total.get() + share);
        BooleanSupplier leave = () -> total.get() >= until || done.getAsBoolean();
        List<Thread> visiting = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          visiting.add(KafkaRebalanceStressTest.caller(visitor, work, total, leave, c * 3 + round));
        }
        for (Thread t : visiting) {
          t.join(join);
        }
        visitor.close(); // waits for its callers' slow acknowledgements
      }
      producer.join(join);
      if (producerFailure.get() != null) {
        throw new AssertionError("the producer failed", producerFailure.get());
      }
      for (Thread t : callers) {
        t.join(join);
      }
      work.slow.shutdown();
      work.slow.awaitTermination(10, TimeUnit.SECONDS);

      // then: each record processed once, no acknowledgement too late, nothing left over
      assertEquals(n, sent.size(), "records sent");
      List<String> missing =
          sent.stream().filter(v -> work.processed.getOrDefault(v, 0) < 1).sorted().toList();
      assertTrue(
          missing.isEmpty(),
          missing.size() + " records never processed, e.g. " + missing.stream().limit(10).toList());
      Map<String, Integer> notOnce = new HashMap<>();
      work.processed.forEach(
          (v, times) -> {
            if (times != 1) {
              notOnce.put(v, times);
            }
          });
      assertEquals(Map.of(), notOnce, "records not processed exactly once");
      assertEquals(0, work.late.get(), "acknowledgements that came too late");
      assertNull(steady.receive(Duration.ofSeconds(1)), "nothing delivered again later");
    } finally {
      s.close();
      steady.close();
      work.slow.shutdownNow();
    }
  }
}
