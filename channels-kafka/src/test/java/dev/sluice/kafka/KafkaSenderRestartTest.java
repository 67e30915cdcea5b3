/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A broker stopped and restarted while a {@link KafkaSender} sends: the promise of {@link
 * KafkaSender#send(Object)} across broker failures.
 *
 * <p>Invariant: every send that returned is received afterwards (at least once: the test counts and
 * reports duplicates); nothing is received that no send attempted; a send that failed did so with a
 * {@link KafkaException} naming the topic; and no thread is left stuck (the send loops end, both
 * ends close, their threads are gone). The class owns its broker ({@link KafkaBroker#startOwn()}),
 * so the run's shared broker is never stopped; each test leaves it running. The default build
 * crashes the broker (SIGKILL) once during the send loops, and stops it (SIGTERM, a controlled
 * shutdown) once for the long outage; {@code -Pstress-long} makes twelve cycles of the send loops,
 * crashes and controlled stops in turn, with more records each (see {@link KafkaSoak}).
 */
class KafkaSenderRestartTest {
  /** Generous bounds on waits that end unless a thread is stuck. */
  private static final Duration STUCK = Duration.ofSeconds(150);

  private static final int CYCLES = KafkaSoak.size(1, 12);

  /** Sends that must return between two stops: the loop keeps sending across each outage. */
  private static final int PER_CYCLE = KafkaSoak.size(300, 5_000);

  private static final int THREADS = 2;

  private static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = KafkaBroker.startOwn();
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  /** The record of a send loop's attempts: what each send did. */
  static final class Ledger {
    final Set<String> attempted = ConcurrentHashMap.newKeySet();
    final Set<String> returned = ConcurrentHashMap.newKeySet();
    final Map<String, Throwable> failed = new ConcurrentHashMap<>();
    final AtomicInteger done = new AtomicInteger();
  }

  /**
   * A thread that sends {@code prefix0}, {@code prefix1}, ... with {@link KafkaSender#send} until
   * {@code stop} is done, writing each attempt and its outcome into {@code ledger}.
   */
  static Thread sendLoop(
      KafkaSender<String> s, String prefix, Ledger ledger, CompletableFuture<?> stop) {
    Thread t =
        new Thread(
            () -> {
              for (int i = 0; !stop.isDone(); i++) {
                String v = prefix + i;
                ledger.attempted.add(v);
                try {
                  s.send(v);
                  ledger.returned.add(v);
                } catch (KafkaException e) {
                  ledger.failed.put(v, e);
                } catch (InterruptedException e) {
                  ledger.failed.put(v, e);
                  return;
                } catch (RuntimeException e) {
                  ledger.failed.put(v, e); // an unexpected kind: the test reports it
                }
                ledger.done.incrementAndGet();
              }
            },
            "restart-send-loop-" + prefix);
    t.start();
    return t;
  }

  /**
   * Waits until {@code count} reaches {@code target}; fails, naming {@code what}, if it does not.
   */
  static void awaitCount(IntSupplier count, int target, String what) throws InterruptedException {
    long deadline = System.nanoTime() + STUCK.toNanos();
    while (count.getAsInt() < target) {
      if (System.nanoTime() > deadline) {
        fail(what + ": " + count.getAsInt() + " of " + target + " within " + STUCK + "; stuck?");
      }
      Thread.sleep(20);
    }
  }

  /** Runs {@code close} in a thread of its own and fails if it does not return within bounds. */
  static void closeWithin(Runnable close, String what) throws Exception {
    CompletableFuture<Void> closed = CompletableFuture.runAsync(close);
    try {
      closed.get(STUCK.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      fail(what + " did not return within " + STUCK);
    }
  }

  /** Waits until no live thread's name contains {@code mark}; fails, naming them, if some stay. */
  static void awaitNoThreadNamed(String mark) throws InterruptedException {
    long deadline = System.nanoTime() + STUCK.toNanos();
    Set<String> left;
    do {
      left = new HashSet<>();
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.isAlive() && t.getName().contains(mark)) {
          left.add(t.getName());
        }
      }
      if (left.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    assertEquals(Set.of(), left, "threads left running after close");
  }

  @Test
  void brokerStoppedAndRestartedDuringSendLoops_everyReturnedSendIsReceived() throws Exception {
    String topic = broker.createTopic("restart", 3);
    String clientId = "restart-producer-" + topic;
    // The producer retries across an outage for delivery.timeout.ms: longer than a restart
    // takes here, so a send in flight at the stop normally waits and returns after the restart;
    // one that outlasts it fails with a KafkaException (the class comment of KafkaSender). The
    // shorter request timeout makes the producer notice a dead connection soon; max.block.ms
    // bounds a wait for metadata in the caller.
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .property(ProducerConfig.CLIENT_ID_CONFIG, clientId)
            .property(ProducerConfig.LINGER_MS_CONFIG, 0)
            .property(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000)
            .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000)
            .property(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)
            .property(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500)
            .build();
    Ledger ledger = new Ledger();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    List<Thread> loops = new ArrayList<>();
    Set<String> inFlightAtStops = new HashSet<>();
    try {
      // given: send loops running against the broker
      for (int t = 0; t < THREADS; t++) {
        loops.add(sendLoop(s, "t" + t + "-", ledger, stop));
      }
      // when: the broker stops mid-loop (crashed, then controlled, in turn) and comes back on
      // its ports and data; the loops keep sending throughout
      for (int cycle = 0; cycle < CYCLES; cycle++) {
        awaitCount(ledger.returned::size, ledger.returned.size() + PER_CYCLE, "sends before stop");
        boolean hard = cycle % 2 == 0;
        broker.stop(hard);
        int doneAtStop = ledger.done.get();
        for (String v : ledger.attempted) {
          if (!ledger.returned.contains(v) && !ledger.failed.containsKey(v)) {
            inFlightAtStops.add(v); // a send waiting when the broker went: the outage's test
          }
        }
        Thread.sleep(1_000); // the loops' sends meet a broker that is down
        broker.restart();
        System.out.printf(
            "restart cycle %d (%s): sends settled from the stop to the restart's end: %d%n",
            cycle, hard ? "killed" : "stopped", ledger.done.get() - doneAtStop);
      }
      awaitCount(ledger.returned::size, ledger.returned.size() + PER_CYCLE, "sends after last");
      stop.complete(null);
      for (Thread t : loops) {
        t.join(STUCK.toMillis());
        assertFalse(t.isAlive(), t.getName() + " ended: no send stuck");
      }
    } finally {
      stop.complete(null);
      closeWithin(s::close, "the sender's close");
    }
    awaitNoThreadNamed(clientId);
    awaitNoThreadNamed("sluice-kafka-sender-" + topic);

    // then: the failures say what failed; every returned send is there, and only sends
    for (Map.Entry<String, Throwable> f : ledger.failed.entrySet()) {
      Throwable e = f.getValue();
      assertTrue(e instanceof KafkaException, f.getKey() + " failed as a KafkaException: " + e);
      assertTrue(
          String.valueOf(e.getMessage()).contains(topic),
          f.getKey() + "'s failure names the topic: " + e);
    }
    Map<String, Integer> received = receiveAll(topic, ledger.returned);
    Set<String> missing = new HashSet<>(ledger.returned);
    missing.removeAll(received.keySet());
    assertEquals(Set.of(), missing, "returned sends not received");
    Set<String> unattempted = new HashSet<>(received.keySet());
    unattempted.removeAll(ledger.attempted);
    assertEquals(Set.of(), unattempted, "received, yet never sent");
    long duplicates = received.values().stream().filter(c -> c > 1).count();
    long failedButWritten = ledger.failed.keySet().stream().filter(received::containsKey).count();
    long spanned = inFlightAtStops.stream().filter(ledger.returned::contains).count();
    System.out.printf(
        "restart: %d sends returned, %d failed (%d of those written anyway),"
            + " %d records received more than once; of %d sends waiting at a stop, %d returned%n",
        ledger.returned.size(),
        ledger.failed.size(),
        failedButWritten,
        duplicates,
        inFlightAtStops.size(),
        spanned);
    assertEquals(
        ledger.attempted.size(), ledger.returned.size() + ledger.failed.size(), "every send ended");
  }

  @Test
  void brokerDownLongerThanDeliveryTimeout_sendFailsNamingTheTopic_andLaterSendsWork()
      throws Exception {
    String topic = broker.createTopic("outage", 1);
    String clientId = "outage-producer-" + topic;
    // given: a producer that gives a record up 3 s after it was handed over
    KafkaSender<String> s =
        KafkaChannels.senderBuilder(topic, new StringSerializer())
            .bootstrapServers(broker.bootstrap())
            .property(ProducerConfig.CLIENT_ID_CONFIG, clientId)
            .property(ProducerConfig.LINGER_MS_CONFIG, 0)
            .property(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000)
            .property(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000)
            .property(ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000)
            .build();
    Ledger ledger = new Ledger();
    try {
      s.send("before");
      ledger.attempted.add("before");
      ledger.returned.add("before");

      // when: the broker is down for the whole delivery timeout
      broker.stop(false);
      ledger.attempted.add("during");
      CompletableFuture<Void> during = CompletableFuture.runAsync(() -> sendOnce(s, "during"));
      KafkaException e =
          assertThrows(
              KafkaException.class,
              () -> unwrap(during, STUCK),
              "a send while the broker is down fails once the delivery timeout passed");
      ledger.failed.put("during", e);
      broker.restart();

      // then: it failed naming the topic, with the producer's timeout as the cause; the sender
      // still works once the broker is back
      assertTrue(String.valueOf(e.getMessage()).contains(topic), "names the topic: " + e);
      assertTrue(
          e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException,
          "the producer gave the record up: " + e.getCause());
      assertFalse(s.isClosedForSend(), "a failed send does not close the sender");
      long deadline = System.nanoTime() + STUCK.toNanos();
      while (true) {
        // the first sends after the restart may still fail while the producer reconnects
        ledger.attempted.add("after");
        try {
          s.send("after");
          ledger.returned.add("after");
          break;
        } catch (KafkaException again) {
          ledger.failed.put("after", again);
          assertTrue(System.nanoTime() < deadline, "no send succeeded after the restart: " + again);
        }
      }
    } finally {
      closeWithin(s::close, "the sender's close");
    }
    awaitNoThreadNamed(clientId);
    Map<String, Integer> received = receiveAll(topic, ledger.returned);
    assertTrue(received.keySet().containsAll(ledger.returned), "returned sends received");
    assertTrue(ledger.attempted.containsAll(received.keySet()), "only sends received: " + received);
  }

  private static void sendOnce(KafkaSender<String> s, String v) {
    try {
      s.send(v);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for {@code f} within {@code bound}, and throws what it failed with. */
  private static void unwrap(CompletableFuture<Void> f, Duration bound) throws Throwable {
    try {
      f.get(bound.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause();
    }
  }

  /**
   * Reads the topic in a fresh group until every one of {@code expected} came, then on until it
   * runs dry; returns how often each value came. The receiver closes within bounds.
   */
  static Map<String, Integer> receiveAll(String topic, Set<String> expected) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    KafkaReceiver<String> r = KafkaChannelsTest.receiver(broker, topic, "after-" + topic, 256);
    try {
      long deadline = System.nanoTime() + STUCK.toNanos();
      Set<String> awaited = new HashSet<>(expected);
      while (!awaited.isEmpty() && System.nanoTime() < deadline) {
        String got = r.receive(Duration.ofMillis(200));
        if (got != null) {
          counts.merge(got, 1, Integer::sum);
          awaited.remove(got);
        }
      }
      // then on until it runs dry: duplicates and failed sends that were written come too
      String v;
      while ((v = r.receive(Duration.ofSeconds(2))) != null) {
        counts.merge(v, 1, Integer::sum);
      }
    } finally {
      closeWithin(r::close, "the receiver's close");
    }
    awaitNoThreadNamed(topic); // the poller and the consumer's threads
    return counts;
  }
}
