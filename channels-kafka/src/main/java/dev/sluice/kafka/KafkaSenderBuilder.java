/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Settings of a {@link KafkaSender}, made by {@link KafkaChannels#senderBuilder}.
 *
 * <p>Invariant: the producer properties given here reach the producer as they are, except the two
 * serializers, which are this builder's: the value serializer is the one given to {@link
 * KafkaChannels#senderBuilder}, and the key serializer the one given to {@link #key} (records have
 * no key without it). {@code acks} is {@code all} unless set here.
 *
 * @param <E> the type of elements
 */
public final class KafkaSenderBuilder<E> {
  private final String topic;
  private final Serializer<E> serializer;
  private final Map<String, Object> properties = new HashMap<>();
  private int maxInFlight = 1024;
  private Function<? super E, ?> keyOf = element -> null;
  private Serializer<?> keySerializer = new ByteArraySerializer();

  KafkaSenderBuilder(String topic, Serializer<E> serializer) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
  }

  /**
   * Sets the brokers to connect to first ({@code bootstrap.servers}).
   *
   * @param servers {@code host:port} pairs, separated by commas
   * @return this builder
   * @throws NullPointerException if {@code servers} is null
   */
  public KafkaSenderBuilder<E> bootstrapServers(String servers) {
    return property(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
  }

  /**
   * Sets one producer property, as {@link ProducerConfig} names them.
   *
   * <p>Three of them bound how long a send waits when a broker is slow, down, or does not know the
   * topic: {@code max.block.ms} (handing the record over), {@code delivery.timeout.ms} (its
   * acknowledgement) and {@code request.timeout.ms} (each try); {@link KafkaSender}'s class comment
   * says what each bounds and what a send that outlasts it throws.
   *
   * @param name the property's name
   * @param value its value
   * @return this builder
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if {@code name} names a serializer: the builder sets those
   */
  public KafkaSenderBuilder<E> property(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
        || name.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)) {
      throw new IllegalArgumentException(name + " is set by the builder");
    }
    properties.put(name, value);
    return this;
  }

  /**
   * Sets how many records may be in the producer's hands at once, handed over and not yet
   * acknowledged: what "full" means for this sender's timed and try sends. Default 1024.
   *
   * @param records the most records in flight, at least 1
   * @return this builder
   * @throws IllegalArgumentException if {@code records} is less than 1
   */
  public KafkaSenderBuilder<E> maxInFlight(int records) {
    if (records < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1: " + records);
    }
    this.maxInFlight = records;
    return this;
  }

  /**
   * Gives each record a key, computed from its element: Kafka's default partitioner then puts the
   * records of one key in one partition, so a receiver gets them in the order they were sent, and a
   * compacted topic keeps the last record of each key. Without a key (the default), the producer
   * spreads records over the partitions as it likes.
   *
   * <p>{@code keyOf} runs in the thread that hands the record to the producer (see {@link
   * KafkaSender}'s class comment), once per send; a {@code null} key means no key (the serializer
   * is handed {@code null} then, as Kafka's serializers are, and returns {@code null}). If it
   * throws, or the serializer does, that send fails with its exception and nothing was sent, as
   * when the value serializer fails. The producer closes {@code serializer} when the sender closes.
   *
   * @param keyOf the key of an element; may return {@code null}
   * @param serializer turns a key into bytes
   * @param <K> the type of keys
   * @return this builder
   * @throws NullPointerException if an argument is null
   */
  public <K> KafkaSenderBuilder<E> key(
      Function<? super E, ? extends K> keyOf, Serializer<? super K> serializer) {
    this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
    this.keySerializer = Objects.requireNonNull(serializer, "serializer");
    return this;
  }

  /**
   * Makes the producer and the sender over it.
   *
   * @return a new sender; close it when done
   * @throws org.apache.kafka.common.KafkaException if the producer cannot be made (a missing {@code
   *     bootstrap.servers}, a bad property)
   */
  public KafkaSender<E> build() {
    // Keys only ever come from keyOf, whose results the serializer takes (the key method's types).
    @SuppressWarnings("unchecked")
    Serializer<Object> keys = (Serializer<Object>) keySerializer;
    KafkaProducer<Object, E> producer =
        new KafkaProducer<>(new HashMap<>(properties), keys, serializer);
    return new KafkaSender<>(producer, topic, maxInFlight, keyOf);
  }
}
