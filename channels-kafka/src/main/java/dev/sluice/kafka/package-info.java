/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Sluice's {@link dev.sluice.channels.Sender} and {@link dev.sluice.channels.Receiver} over Apache
 * Kafka topics: {@link dev.sluice.kafka.KafkaChannels} makes them.
 *
 * <p>A {@link dev.sluice.kafka.KafkaSender}'s send returns once the broker acknowledged the record.
 * A {@link dev.sluice.kafka.KafkaReceiver} reads through a local Sluice channel that one poller
 * thread fills; it commits only what its callers received, or, for a receiver of {@link
 * dev.sluice.kafka.Delivery deliveries}, what they acknowledged. Its class comment states the
 * delivery promise. It is a {@link dev.sluice.channels.ReceiverView}, so the Kotlin face of {@code
 * channels-kotlin} gives it as a kotlinx {@code ReceiveChannel} and a {@code Flow}.
 */
@NullMarked
package dev.sluice.kafka;

import org.jspecify.annotations.NullMarked;
