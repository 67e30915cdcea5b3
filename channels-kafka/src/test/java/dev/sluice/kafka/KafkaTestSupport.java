/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the Kafka tests share: sending a numbered batch and waiting for its acknowledgements, a
 * producer thread that keeps its failure for the test's assertions, and the diagnosis printed when
 * a wait on the broker runs out.
 *
 * <p>Invariant: a wait that runs out never just says "timed out": it says how many of the awaited
 * operations finished, the first failure among them, and what the client's threads were doing, so
 * that a failure seen once on CI can be read without a rerun.
 */
final class KafkaTestSupport {
  private KafkaTestSupport() {}

  /** How long a batch's acknowledgements may take before the test gives up on them. */
  static final long ACK_WAIT_SECONDS = 60;

  /** A sender of strings to {@code topic} with room for {@code maxInFlight} records. */
  static KafkaSender<String> sender(KafkaBroker broker, String topic, int maxInFlight) {
    return KafkaChannels.senderBuilder(topic, new StringSerializer())
        .bootstrapServers(broker.bootstrap())
        .maxInFlight(maxInFlight)
        .build();
  }

  /**
   * Sends a marker with a sender of its own, and returns everything {@code topic} holds before it,
   * in order: what the tests' senders wrote, read back by a receiver of group "check".
   */
  static List<String> upToMarker(KafkaBroker broker, String topic) throws Exception {
    KafkaSender<String> s = sender(broker, topic, 1);
    try {
      s.send("marker");
    } finally {
      s.close();
    }
    List<String> got = new ArrayList<>();
    try (KafkaReceiver<String> r = KafkaChannelsTest.receiver(broker, topic, "check", 64)) {
      for (String v = KafkaChannelsTest.receiveWithin(r);
          !v.equals("marker");
          v = KafkaChannelsTest.receiveWithin(r)) {
        got.add(v);
      }
    }
    return got;
  }

  /**
   * A sender whose records are spread over all the partitions of {@code topic}: each is keyed by
   * its own value, which Kafka's default partitioner hashes. (Kafka's {@code RoundRobinPartitioner}
   * would use only half of them: KAFKA-16283.)
   */
  static KafkaSenderBuilder<String> spreadingSender(KafkaBroker broker, String topic) {
    return KafkaChannels.senderBuilder(topic, new StringSerializer())
        .bootstrapServers(broker.bootstrap())
        .key((String v) -> v, new StringSerializer());
  }

  /**
   * Sends {@code prefix + i} for each {@code i} in {@code [from, to)} with {@code sendAsync}, and
   * waits until every record was acknowledged.
   *
   * @return the values sent, in order
   * @throws AssertionError if the acknowledgements did not all come within {@link
   *     #ACK_WAIT_SECONDS}, with a diagnosis
   */
  static List<String> sendAll(KafkaSender<String> s, String prefix, int from, int to)
      throws Exception {
    List<String> sent = new ArrayList<>();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String v = prefix + i;
      sent.add(v);
      acks.add(s.sendAsync(v));
    }
    try {
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
          .get(ACK_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "acknowledgements of "
              + prefix
              + "["
              + from
              + ", "
              + to
              + ") to "
              + s.topic()
              + " not all in "
              + ACK_WAIT_SECONDS
              + " s: "
              + progress(acks)
              + "\n"
              + threads(),
          e);
    }
    return sent;
  }

  /** How many of {@code futures} are done, failed, and the first failure. */
  static String progress(List<? extends CompletableFuture<?>> futures) {
    int done = 0;
    int failed = 0;
    Throwable first = null;
    for (CompletableFuture<?> f : futures) {
      if (f.isDone()) {
        done++;
        if (f.isCompletedExceptionally()) {
          failed++;
          if (first == null) {
            first = f.handle((v, ex) -> ex).join();
          }
        }
      }
    }
    return done
        + " of "
        + futures.size()
        + " done, "
        + failed
        + " failed"
        + (first == null ? "" : " (first: " + first + ")");
  }

  /** The stacks of this JVM's Kafka client and Sluice threads, and of the test's own. */
  static String threads() {
    StringBuilder out = new StringBuilder("client threads:\n");
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
      String name = t.getThreadName();
      if (name.startsWith("kafka")
          || name.startsWith("sluice")
          || name.startsWith("Thread-")
          || name.equals("main")) {
        out.append("  \"").append(name).append("\" ").append(t.getThreadState()).append('\n');
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 14); i++) {
          out.append("      at ").append(stack[i]).append('\n');
        }
      }
    }
    return out.toString();
  }

  /**
   * A producer thread: sends {@code n} records named {@code prefix + i} in batches of 500 through
   * {@link #sendAll}, pausing {@code paceMillis} after each, and adds each acknowledged batch to
   * {@code sent}. Its failure, if any, is kept in the returned reference once the thread ends.
   */
  static Thread producer(
      KafkaSender<String> s,
      String prefix,
      int n,
      long paceMillis,
      Set<String> sent,
      AtomicReference<Throwable> failure) {
    Thread t =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < n; i += 500) {
                  sent.addAll(sendAll(s, prefix, i, Math.min(n, i + 500)));
                  Thread.sleep(paceMillis);
                }
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "test-producer");
    t.start();
    return t;
  }
}
