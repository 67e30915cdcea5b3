/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

/**
 * One record received from an {@link KafkaChannels#ackedReceiver acknowledging receiver}: its
 * element, where it came from, and {@link #ack()}, which tells the receiver that the record was
 * processed.
 *
 * <p>Invariant: a delivery belongs to the assignment of the partition it was fetched under, and its
 * acknowledgement counts only while that assignment lasts.
 *
 * <p>The receiver commits, for each partition, up to the first record not acknowledged: commits
 * follow acknowledgements in offset order, whatever order they come in. So a record received and
 * never acknowledged holds the partition's commit back, and after a crash or a rebalance it is
 * delivered again, with every record after it, acknowledged or not.
 *
 * @param <E> the type of the element
 */
public final class Delivery<E> {
  private final Assignment assignment;
  private final long offset;
  private final E value;

  Delivery(Assignment assignment, long offset, E value) {
    this.assignment = assignment;
    this.offset = offset;
    this.value = value;
  }

  /**
   * The record's element, as the receiver's deserializer made it.
   *
   * @return the element, never {@code null}
   */
  public E value() {
    return value;
  }

  /**
   * The topic the record came from.
   *
   * @return the topic's name
   */
  public String topic() {
    return assignment.partition.topic();
  }

  /**
   * The partition the record came from.
   *
   * @return the partition's number
   */
  public int partition() {
    return assignment.partition.partition();
  }

  /**
   * The record's offset in its partition.
   *
   * @return the offset
   */
  public long offset() {
    return offset;
  }

  /**
   * Acknowledges the record: it was processed, and the receiver may commit past it once every
   * earlier record of its partition was acknowledged too. Any thread may call it, at any time, any
   * number of times (the calls after the first change nothing).
   *
   * <p>It returns {@code false} when the partition is no longer this receiver's: a rebalance moved
   * it, or the receiver closed, before the acknowledgement came (a hand-over waits for
   * acknowledgements for {@link KafkaReceiverBuilder#handOverWait(java.time.Duration)} at most).
   * The record will then be delivered again, to the partition's next owner, in this process or
   * another: processing should be idempotent, as with any at-least-once delivery. {@code true}
   * means the acknowledgement counts; the commit that carries it may still fail (see {@link
   * KafkaReceiver}), with the same outcome.
   *
   * @return whether the acknowledgement counts
   */
  public boolean ack() {
    return assignment.ack(offset);
  }

  @Override
  public String toString() {
    return "Delivery[" + assignment.partition + "@" + offset + ": " + value + "]";
  }
}
