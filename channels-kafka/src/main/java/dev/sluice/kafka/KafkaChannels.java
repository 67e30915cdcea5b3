/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Sluice's channel faces over Apache Kafka: a {@link dev.sluice.channels.Sender} that writes a
 * topic, and a {@link dev.sluice.channels.Receiver} that reads it as a member of a consumer group.
 *
 * <p>Invariant: this class only makes senders and receivers; everything they promise is in {@link
 * KafkaSender} and {@link KafkaReceiver}.
 */
public final class KafkaChannels {
  private KafkaChannels() {}

  /**
   * A sender over {@code topic} with the default settings ({@code acks=all}, 1024 records in flight
   * at most).
   *
   * @param bootstrapServers the brokers to connect to first, {@code host:port} separated by commas
   * @param topic the topic to write to
   * @param serializer turns elements into record values
   * @param <E> the type of elements
   * @return a new sender; close it when done
   * @throws NullPointerException if an argument is null
   * @throws org.apache.kafka.common.KafkaException if the producer cannot be made
   */
  public static <E> KafkaSender<E> sender(
      String bootstrapServers, String topic, Serializer<E> serializer) {
    return senderBuilder(topic, serializer).bootstrapServers(bootstrapServers).build();
  }

  /**
   * A builder of senders over {@code topic}, for producer properties and back-pressure settings.
   *
   * @param topic the topic to write to
   * @param serializer turns elements into record values
   * @param <E> the type of elements
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static <E> KafkaSenderBuilder<E> senderBuilder(String topic, Serializer<E> serializer) {
    return new KafkaSenderBuilder<>(topic, serializer);
  }

  /**
   * A receiver of {@code topic} in consumer group {@code groupId}, with the default settings (256
   * records prefetched at most, new groups start at the earliest offset).
   *
   * @param bootstrapServers the brokers to connect to first, {@code host:port} separated by commas
   * @param topic the topic to read
   * @param groupId the consumer group to join: receivers of one group share the topic's records
   * @param deserializer turns record values into elements
   * @param <E> the type of elements
   * @return a new receiver, already polling; close it when done
   * @throws NullPointerException if an argument is null
   * @throws org.apache.kafka.common.KafkaException if the consumer cannot be made
   */
  public static <E> KafkaReceiver<E> receiver(
      String bootstrapServers, String topic, String groupId, Deserializer<E> deserializer) {
    return receiverBuilder(topic, groupId, deserializer).bootstrapServers(bootstrapServers).build();
  }

  /**
   * A receiver of {@code topic} in consumer group {@code groupId} whose elements are {@link
   * Delivery deliveries}, with the default settings: commits follow {@link Delivery#ack()}, so a
   * record is delivered again after a crash or a rebalance unless it, and every record before it in
   * its partition, was acknowledged. See {@link KafkaReceiver} for the delivery promise.
   *
   * @param bootstrapServers the brokers to connect to first, {@code host:port} separated by commas
   * @param topic the topic to read
   * @param groupId the consumer group to join: receivers of one group share the topic's records
   * @param deserializer turns record values into elements
   * @param <E> the type of elements
   * @return a new receiver of deliveries, already polling; close it when done
   * @throws NullPointerException if an argument is null
   * @throws org.apache.kafka.common.KafkaException if the consumer cannot be made
   */
  public static <E> KafkaReceiver<Delivery<E>> ackedReceiver(
      String bootstrapServers, String topic, String groupId, Deserializer<E> deserializer) {
    return receiverBuilder(topic, groupId, deserializer)
        .bootstrapServers(bootstrapServers)
        .buildAcked();
  }

  /**
   * A builder of receivers of {@code topic} in consumer group {@code groupId}, for consumer
   * properties, prefetch and close settings.
   *
   * @param topic the topic to read
   * @param groupId the consumer group to join
   * @param deserializer turns record values into elements
   * @param <E> the type of elements
   * @return a new builder
   * @throws NullPointerException if an argument is null
   */
  public static <E> KafkaReceiverBuilder<E> receiverBuilder(
      String topic, String groupId, Deserializer<E> deserializer) {
    return new KafkaReceiverBuilder<>(topic, groupId, deserializer);
  }
}
