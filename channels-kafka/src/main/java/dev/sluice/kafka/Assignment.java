/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of a partition to a receiver: from the rebalance that gave it to the one that took
 * it away. A partition assigned again later gets a new {@code Assignment}, so that what happens to
 * records of the old one cannot touch the new one.
 *
 * <p>Invariant: {@link #receivedPosition()} only grows, and is at most one past the highest offset
 * of this assignment that a caller took from the local channel; so a position committed from it
 * never covers a record that nobody took.
 */
final class Assignment {
  final TopicPartition partition;

  /* Written by callers (any thread), read by the poller: one past the highest offset received. */
  private final AtomicLong received = new AtomicLong(-1);

  /* Poller thread only: one past the highest offset sent into the local channel, or -1. */
  long nextSent = -1;

  /* Poller thread only: the last position committed (or being committed), or -1. */
  long committed = -1;

  Assignment(TopicPartition partition) {
    this.partition = partition;
  }

  /** Records that a caller took the record at {@code offset} from the local channel. */
  void received(long offset) {
    long next = offset + 1;
    long cur;
    do {
      cur = received.get();
      if (cur >= next) {
        return;
      }
    } while (!received.compareAndSet(cur, next)); // CAS: the maximum wins, whatever the order
  }

  /** One past the highest offset received so far, or -1 if none was. */
  long receivedPosition() {
    return received.get();
  }

  @Override
  public String toString() {
    return partition + "[received<" + received.get() + ", sent<" + nextSent + "]";
  }
}
