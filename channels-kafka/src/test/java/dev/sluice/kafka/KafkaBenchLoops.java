/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The workloads of the Kafka benchmark ({@link KafkaBench}): kafka-clients' own producer and
 * consumer loops, and the same loops through {@link KafkaSender} and {@link KafkaReceiver}.
 *
 * <p>Invariant: the two sides of a comparison differ only in the faces they call. They get the same
 * producer and consumer properties ({@link #producerProperties}, {@link #consumerProperties}), the
 * same payloads ({@link #payload}), the same warm-up (one record through a fresh topic and a fresh
 * group before the clock starts, so group joins and metadata are outside it), the same bound on
 * records in flight, and their clocks start and stop at the same events: a throughput trial from
 * the first send to the receipt of the last distinct record, a round trip from the send call to the
 * receipt of that record. Every trial counts what it received by payload index, so a lost or
 * duplicated record shows in its result.
 */
final class KafkaBenchLoops {
  /** How long a consumer poll, or a wait for a record, may take at most before a trial gives up. */
  static final Duration WAIT = Duration.ofSeconds(60);

  private static final Duration POLL = Duration.ofMillis(100);
  private static final int WARM = -1;

  private KafkaBenchLoops() {}

  /**
   * What one run measures, and with which client settings.
   *
   * @param records records per throughput trial
   * @param valueBytes bytes per record value (at least 4: the payload index)
   * @param maxInFlight records handed to the producer and not acknowledged, at most (both sides)
   * @param lingerMs the producer's {@code linger.ms} in throughput trials
   * @param latencyLingerMs the producer's {@code linger.ms} in latency trials: a round trip of one
   *     record waits this long in the producer first, the same on both sides, so 0 by default
   * @param batchBytes the producer's {@code batch.size}
   * @param sendAllChunk elements per {@code sendAll} call in the batch face
   * @param receiveBatch the most elements per {@code receiveMany} call in the batch face
   * @param roundTrips measured round trips per latency trial
   * @param warmupRoundTrips round trips before those, not measured
   */
  record Settings(
      int records,
      int valueBytes,
      int maxInFlight,
      int lingerMs,
      int latencyLingerMs,
      int batchBytes,
      int sendAllChunk,
      int receiveBatch,
      int roundTrips,
      int warmupRoundTrips) {}

  /**
   * The faces a throughput trial drives: the raw client, or one of Sluice's two pipelined sending
   * faces with one of its two receiving loops (all four pairs, so that a cost can be put on one
   * side).
   */
  enum Face {
    /** kafka-clients: {@code KafkaProducer.send} with a callback, and a {@code poll} loop. */
    RAW(false, false),
    /** Sluice: {@code KafkaSender.sendAsync} for each record, and {@code KafkaReceiver.receive}. */
    ASYNC_RECEIVE(false, false),
    /** Sluice: {@code sendAsync} for each record, and {@code receiveMany} batches. */
    ASYNC_MANY(false, true),
    /** Sluice: {@code KafkaSender.sendAll} over chunks, and {@code receive}. */
    ALL_RECEIVE(true, false),
    /** Sluice: {@code sendAll} over chunks, and {@code receiveMany} batches. */
    ALL_MANY(true, true),
    /**
     * Sluice, a diagnostic: {@code sendAsync} with the caller bounding its own calls in flight as
     * the raw loop does (so the sender's room never runs out), and {@code receiveMany}.
     */
    PACED_MANY(false, true);

    final boolean sendAll;
    final boolean receiveMany;

    Face(boolean sendAll, boolean receiveMany) {
      this.sendAll = sendAll;
      this.receiveMany = receiveMany;
    }
  }

  /**
   * One throughput trial's outcome.
   *
   * @param face what sent and received
   * @param received distinct records received (the trial's {@code records} when all came)
   * @param duplicates records received more than once
   * @param failed sends that failed
   * @param nanos from the first send to the receipt of the last distinct record
   * @param cpuNanos the CPU time this JVM (not the broker's) spent meanwhile, all threads
   */
  record Throughput(
      Face face, int received, int duplicates, long failed, long nanos, long cpuNanos) {
    double perSecond() {
      return received * 1e9 / nanos;
    }

    /** Microseconds of this JVM's CPU per record: what both ends of the face cost the client. */
    double cpuMicrosPerRecord() {
      return cpuNanos / 1e3 / received;
    }
  }

  /** This JVM's CPU time so far, all threads. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * One latency trial's outcome.
   *
   * @param raw whether kafka-clients (true) or Sluice (false) made the round trips
   * @param nanos each measured round trip, sorted
   */
  record Latency(boolean raw, long[] nanos) {
    /** The round trip at quantile {@code q} (0 to 1), nearest rank, in microseconds. */
    double quantileMicros(double q) {
      int rank = (int) Math.ceil(q * nanos.length);
      return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e3;
    }
  }

  /** The producer properties of both sides; the sender's builder takes the same map. */
  static Map<String, Object> producerProperties(String bootstrap, Settings s, int lingerMs) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, lingerMs);
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, s.batchBytes());
    return p;
  }

  /**
   * The consumer properties of both sides, the group id and auto-commit aside: the receiver's
   * builder sets those itself (auto-commit off), and the raw consumer gets the same.
   */
  static Map<String, Object> consumerProperties(String bootstrap) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return p;
  }

  /** A record value of {@code size} bytes whose first four hold {@code index}. */
  static byte[] payload(int index, int size) {
    return ByteBuffer.allocate(size).putInt(0, index).array();
  }

  private static int index(byte[] value) {
    return ByteBuffer.wrap(value).getInt(0);
  }

  /** Runs one throughput trial of {@code face} over a fresh {@code topic} and group. */
  static Throughput throughput(Face face, String bootstrap, String topic, Settings s)
      throws Exception {
    return face == Face.RAW
        ? rawThroughput(bootstrap, topic, s)
        : sluiceThroughput(face, bootstrap, topic, s);
  }

  private static Throughput rawThroughput(String bootstrap, String topic, Settings s)
      throws Exception {
    Tally tally = new Tally(s.records());
    Thread consumerThread =
        new Thread(
            () -> {
              Map<String, Object> config = consumerProperties(bootstrap);
              config.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
              config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
              try (KafkaConsumer<byte[], byte[]> c =
                  new KafkaConsumer<>(
                      config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                c.subscribe(List.of(topic));
                while (!tally.isComplete() && !tally.stopped) {
                  ConsumerRecords<byte[], byte[]> batch = c.poll(POLL);
                  for (ConsumerRecord<byte[], byte[]> r : batch) {
                    tally.add(r.value());
                  }
                  if (!batch.isEmpty()) {
                    c.commitAsync(); // as the receiver's poller commits after each poll
                  }
                }
              }
            },
            "bench-raw-consumer");
    consumerThread.start();
    AtomicLong failed = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            producerProperties(bootstrap, s, s.lingerMs()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, payload(WARM, s.valueBytes()))).get();
      tally.awaitWarm();
      // The same bound as KafkaSender's room: a permit per record handed over, back on its ack.
      Semaphore room = new Semaphore(s.maxInFlight());
      long startCpu = processCpuNanos();
      long start = System.nanoTime();
      for (int i = 0; i < s.records(); i++) {
        room.acquire();
        producer.send(
            new ProducerRecord<>(topic, payload(i, s.valueBytes())),
            (metadata, ex) -> {
              room.release();
              if (ex != null) {
                failed.incrementAndGet();
              }
            });
      }
      tally.awaitComplete();
      return tally.result(Face.RAW, failed.get(), start, startCpu);
    } finally {
      tally.stopped = true;
      consumerThread.join(WAIT.toMillis());
    }
  }

  private static Throughput sluiceThroughput(Face face, String bootstrap, String topic, Settings s)
      throws Exception {
    Tally tally = new Tally(s.records());
    KafkaSender<byte[]> sender = sender(bootstrap, topic, s, s.lingerMs());
    KafkaReceiver<byte[]> receiver = receiver(bootstrap, topic);
    Thread receiverThread =
        new Thread(
            () -> {
              try {
                if (face.receiveMany) {
                  List<byte[]> batch = new ArrayList<>(s.receiveBatch());
                  while (!tally.isComplete()) {
                    batch.clear();
                    receiver.receiveMany(batch, s.receiveBatch());
                    for (byte[] v : batch) {
                      tally.add(v);
                    }
                  }
                } else {
                  while (!tally.isComplete()) {
                    tally.add(receiver.receive());
                  }
                }
              } catch (InterruptedException | dev.sluice.channels.ChannelClosedException e) {
                // the trial gave up and closed the receiver
              }
            },
            "bench-sluice-receiver");
    receiverThread.start();
    AtomicLong failed = new AtomicLong();
    try {
      sender.send(payload(WARM, s.valueBytes()));
      tally.awaitWarm();
      long startCpu = processCpuNanos();
      long start = System.nanoTime();
      if (face.sendAll) {
        List<byte[]> chunk = new ArrayList<>(s.sendAllChunk());
        for (int i = 0; i < s.records(); i++) {
          chunk.add(payload(i, s.valueBytes()));
          if (chunk.size() == s.sendAllChunk() || i == s.records() - 1) {
            failed.addAndGet(chunk.size() - sender.sendAll(chunk));
            chunk.clear();
          }
        }
      } else {
        Semaphore paced = new Semaphore(face == Face.PACED_MANY ? s.maxInFlight() : s.records());
        for (int i = 0; i < s.records(); i++) {
          paced.acquire();
          sender
              .sendAsync(payload(i, s.valueBytes()))
              .whenComplete(
                  (v, ex) -> {
                    paced.release();
                    if (ex != null) {
                      failed.incrementAndGet();
                    }
                  });
        }
      }
      tally.awaitComplete();
      return tally.result(face, failed.get(), start, startCpu);
    } finally {
      receiver.close();
      sender.close();
      receiverThread.join(WAIT.toMillis());
    }
  }

  private static KafkaSender<byte[]> sender(
      String bootstrap, String topic, Settings s, int lingerMs) {
    KafkaSenderBuilder<byte[]> b =
        KafkaChannels.senderBuilder(topic, new ByteArraySerializer()).maxInFlight(s.maxInFlight());
    producerProperties(bootstrap, s, lingerMs).forEach(b::property);
    return b.build();
  }

  private static KafkaReceiver<byte[]> receiver(String bootstrap, String topic) {
    KafkaReceiverBuilder<byte[]> b =
        KafkaChannels.receiverBuilder(topic, topic, new ByteArrayDeserializer());
    consumerProperties(bootstrap).forEach(b::property);
    return b.build();
  }

  /**
   * Makes {@code warmup + roundTrips} round trips over {@code topic} with kafka-clients in one
   * thread: a {@code send}, then {@code poll} until that record came back.
   */
  static Latency rawLatency(String bootstrap, String topic, Settings s) throws Exception {
    Map<String, Object> config = consumerProperties(bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, topic);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long[] nanos = new long[s.roundTrips()];
    try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerProperties(bootstrap, s, s.latencyLingerMs()),
                new ByteArraySerializer(),
                new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      int total = s.warmupRoundTrips() + s.roundTrips();
      for (int i = 0; i < total; i++) {
        long start = System.nanoTime();
        Future<?> ack = producer.send(new ProducerRecord<>(topic, payload(i, s.valueBytes())));
        long deadline = start + WAIT.toNanos();
        int got = -1;
        while (got != i) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("round trip " + i + " did not come back in " + WAIT);
          }
          ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
          for (ConsumerRecord<byte[], byte[]> r : batch) {
            got = expect(i, index(r.value()));
          }
          if (!batch.isEmpty()) {
            consumer.commitAsync();
          }
        }
        long took = System.nanoTime() - start;
        ack.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (i >= s.warmupRoundTrips()) {
          nanos[i - s.warmupRoundTrips()] = took;
        }
      }
    }
    Arrays.sort(nanos);
    return new Latency(true, nanos);
  }

  /**
   * Makes {@code warmup + roundTrips} round trips over {@code topic} with Sluice: a {@code
   * sendAsync}, then a {@code receive} of that record.
   */
  static Latency sluiceLatency(String bootstrap, String topic, Settings s) throws Exception {
    long[] nanos = new long[s.roundTrips()];
    KafkaSender<byte[]> sender = sender(bootstrap, topic, s, s.latencyLingerMs());
    KafkaReceiver<byte[]> receiver = receiver(bootstrap, topic);
    try {
      int total = s.warmupRoundTrips() + s.roundTrips();
      for (int i = 0; i < total; i++) {
        long start = System.nanoTime();
        CompletableFuture<Void> ack = sender.sendAsync(payload(i, s.valueBytes()));
        byte[] v = receiver.receive(WAIT);
        if (v == null) {
          throw new IllegalStateException("round trip " + i + " did not come back in " + WAIT);
        }
        expect(i, index(v));
        long took = System.nanoTime() - start;
        ack.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (i >= s.warmupRoundTrips()) {
          nanos[i - s.warmupRoundTrips()] = took;
        }
      }
    } finally {
      receiver.close();
      sender.close();
    }
    Arrays.sort(nanos);
    return new Latency(false, nanos);
  }

  private static int expect(int wanted, int got) {
    if (got != wanted) {
      throw new IllegalStateException("round trip " + wanted + " received record " + got);
    }
    return got;
  }

  /**
   * What a throughput trial's one receiving thread counted, by payload index; the sending thread
   * waits on it.
   */
  private static final class Tally {
    private final int records;
    private final BitSet seen;
    private final CountDownLatch warm = new CountDownLatch(1);
    private final CountDownLatch complete = new CountDownLatch(1);
    /* Receiving thread only, read by the sender after `complete` opened (or the trial gave up). */
    private int distinct;
    private int duplicates;
    private volatile long lastNanos;
    volatile boolean stopped;

    Tally(int records) {
      this.records = records;
      this.seen = new BitSet(records);
    }

    void add(byte[] value) {
      int i = index(value);
      if (i == WARM) {
        warm.countDown();
      } else if (seen.get(i)) {
        duplicates++;
      } else {
        seen.set(i);
        if (++distinct == records) {
          lastNanos = System.nanoTime(); // the clock stops at the last distinct record
          complete.countDown();
        }
      }
    }

    boolean isComplete() {
      return complete.getCount() == 0;
    }

    void awaitWarm() throws InterruptedException {
      if (!warm.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the warm-up record did not come back in " + WAIT);
      }
    }

    void awaitComplete() throws InterruptedException {
      Duration limit = WAIT.plusMillis(records / 10); // at least 10 records a millisecond
      if (!complete.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        stopped = true;
        throw new IllegalStateException(
            "only " + distinct + " of " + records + " records came back in " + limit);
      }
    }

    Throughput result(Face face, long failed, long start, long startCpu) {
      return new Throughput(
          face, distinct, duplicates, failed, lastNanos - start, processCpuNanos() - startCpu);
    }
  }
}
