/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Settings of a {@link KafkaReceiver}, made by {@link KafkaChannels#receiverBuilder}.
 *
 * <p>Invariant: the consumer properties given here reach the consumer as they are, except those the
 * receiver's delivery promise rests on, which the builder owns: the group id, the deserializers,
 * and {@code enable.auto.commit=false} (the receiver commits by itself). {@code auto.offset.reset}
 * is {@code earliest} unless set here: a new group receives what was sent before it joined, as a
 * channel gives out what was buffered before a receiver came.
 *
 * @param <E> the type of elements
 */
public final class KafkaReceiverBuilder<E> {
  /* Read by KafkaReceiver's constructor. */
  final String topic;
  final String groupId;
  int prefetch = 256;
  Duration closeTimeout = Duration.ofSeconds(30);
  Duration handOverWait = Duration.ofSeconds(10);
  boolean skipNullValues;

  private final Deserializer<E> deserializer;
  private final Map<String, Object> properties = new HashMap<>();

  KafkaReceiverBuilder(String topic, String groupId, Deserializer<E> deserializer) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.groupId = Objects.requireNonNull(groupId, "groupId");
    this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
  }

  /**
   * Sets the brokers to connect to first ({@code bootstrap.servers}).
   *
   * @param servers {@code host:port} pairs, separated by commas
   * @return this builder
   * @throws NullPointerException if {@code servers} is null
   */
  public KafkaReceiverBuilder<E> bootstrapServers(String servers) {
    return property(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
  }

  /**
   * Sets one consumer property, as {@link ConsumerConfig} names them.
   *
   * @param name the property's name
   * @param value its value
   * @return this builder
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} is one the builder owns (see the class
   *     comment)
   */
  public KafkaReceiverBuilder<E> property(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.equals(ConsumerConfig.GROUP_ID_CONFIG)
        || name.equals(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)
        || name.equals(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG)
        || name.equals(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
      throw new IllegalArgumentException(name + " is set by the builder");
    }
    properties.put(name, value);
    return this;
  }

  /**
   * Sets the capacity of the local channel the poller fills: how many records may wait, fetched and
   * not yet received. Default 256. The poller may hold one more poll's worth ({@code
   * max.poll.records}) while the local channel is full; those are not prefetched yet.
   *
   * @param records the local channel's capacity, at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code records} is less than 1
   */
  public KafkaReceiverBuilder<E> prefetch(int records) {
    if (records < 1) {
      throw new IllegalArgumentException("prefetch must be at least 1: " + records);
    }
    this.prefetch = records;
    return this;
  }

  /**
   * Sets how long {@link KafkaReceiver#close()} waits at most for the poller to commit and leave
   * the group. Default 30 seconds.
   *
   * @param timeout the longest wait
   * @return this builder
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public KafkaReceiverBuilder<E> closeTimeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout is negative: " + timeout);
    }
    this.closeTimeout = timeout;
    return this;
  }

  /**
   * Sets how long a receiver waits at most, when a partition leaves it (a rebalance, or {@link
   * KafkaReceiver#close()}), for the records its callers took to be done: for a receiver of
   * deliveries ({@link #buildAcked()}), {@linkplain Delivery#ack() acknowledged}; for a receiver of
   * plain elements ({@link #build()}), returned by the receive that took them, which takes
   * microseconds (a record a cancelled coroutine gives back is taken back instead). Default 10
   * seconds. Within the wait, the partition's next owner does not get those records again; after
   * it, the receiver commits up to the first one not done, and they are delivered again. The wait
   * holds up the group's rebalance, so keep it well under {@code max.poll.interval.ms}, and under
   * {@link #closeTimeout(Duration)} for a close to see it through.
   *
   * @param timeout the longest wait; zero does not wait
   * @return this builder
   * @throws NullPointerException if {@code timeout} is null
   * @throws IllegalArgumentException if {@code timeout} is negative
   */
  public KafkaReceiverBuilder<E> handOverWait(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("handOverWait is negative: " + timeout);
    }
    this.handOverWait = timeout;
    return this;
  }

  /**
   * Makes the receiver skip records whose value is {@code null}: tombstones, which mark a key as
   * deleted on a compacted topic. A channel cannot carry {@code null}, so without this a tombstone
   * closes the receiver with a {@link org.apache.kafka.common.KafkaException} naming the record. A
   * skipped record counts as received (and, for a receiver of deliveries, as acknowledged): the
   * commits pass it once the records before it are done, and no caller ever sees it.
   *
   * @return this builder
   */
  public KafkaReceiverBuilder<E> skipNullValues() {
    this.skipNullValues = true;
    return this;
  }

  /**
   * Makes the consumer, starts the poller thread, and subscribes to the topic.
   *
   * @return a new receiver; close it when done
   * @throws org.apache.kafka.common.KafkaException if the consumer cannot be made (a missing {@code
   *     bootstrap.servers}, a bad property)
   */
  public KafkaReceiver<E> build() {
    return new KafkaReceiver<>(consumer(), (a, offset, value) -> value, false, this);
  }

  /**
   * Makes a receiver whose elements are {@link Delivery deliveries}: commits follow {@link
   * Delivery#ack() acknowledgements} instead of receipts, for callers that need "processed" rather
   * than "received". Otherwise the receiver is as {@link #build()} makes it. Acknowledge every
   * delivery: one never acknowledged holds its partition's commit back for as long as the partition
   * stays with this receiver, and the receiver keeps its offset meanwhile.
   *
   * @return a new receiver of deliveries, already polling; close it when done
   * @throws org.apache.kafka.common.KafkaException if the consumer cannot be made (a missing {@code
   *     bootstrap.servers}, a bad property)
   */
  public KafkaReceiver<Delivery<E>> buildAcked() {
    return new KafkaReceiver<>(consumer(), Delivery::new, true, this);
  }

  private KafkaConsumer<byte[], E> consumer() {
    Map<String, Object> config = new HashMap<>(properties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), deserializer);
  }
}
