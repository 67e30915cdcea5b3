/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of a partition to a receiver: from the rebalance that gave it to the one that took
 * it away. A partition assigned again later gets a new {@code Assignment}, so that what happens to
 * records of the old one cannot touch the new one.
 *
 * <p>Invariant: the position the poller commits for this assignment never passes a record that is
 * not done. A record is done when a caller took it from the local channel, or, for a receiver of
 * {@link Delivery deliveries}, when a caller acknowledged it. So {@link #receivedPosition()} only
 * grows and is at most one past the highest offset taken; {@link #ackedPosition()} is the lowest
 * offset fetched and not acknowledged (or one past the last fetched, if there is none). Once the
 * assignment {@link #end ended}, acknowledgements no longer count, and say so.
 */
final class Assignment {
  final TopicPartition partition;

  /* Written by callers (any thread), read by the poller: one past the highest offset received. */
  private final AtomicLong received = new AtomicLong(-1);

  /*
   * Acknowledged receivers only (null otherwise): the offsets fetched under this assignment, not
   * acknowledged and not dropped. Guarded by this, as are `ended` and `nextFetched`'s reads by
   * callers; the poller adds, callers remove.
   */
  private final TreeSet<Long> unacked;
  private boolean ended;
  private long nextFetched = -1;

  /* Poller thread only: one past the highest offset sent into the local channel, or -1. */
  long nextSent = -1;

  /* Poller thread only: the last position committed (or being committed), or -1. */
  long committed = -1;

  /* Poller thread only: the lowest offset dropped at the hand-over, or Long.MAX_VALUE. */
  private long firstDropped = Long.MAX_VALUE;

  Assignment(TopicPartition partition, boolean acknowledged) {
    this.partition = partition;
    this.unacked = acknowledged ? new TreeSet<>() : null;
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

  /** Poller: the record at {@code offset} was fetched; until acknowledged, commits stop at it. */
  synchronized void fetched(long offset) {
    unacked.add(offset);
    nextFetched = offset + 1;
  }

  /**
   * A caller acknowledges the record at {@code offset}.
   *
   * @return whether it counts: {@code false} once this assignment ended
   */
  synchronized boolean ack(long offset) {
    if (ended) {
      return false;
    }
    if (unacked.remove(offset) && unacked.isEmpty()) {
      notifyAll(); // a hand-over may be waiting for the last acknowledgement
    }
    return true;
  }

  /** The lowest offset fetched and not acknowledged, or one past the last fetched, or -1. */
  synchronized long ackedPosition() {
    return unacked.isEmpty() ? nextFetched : unacked.first();
  }

  /** Poller, at the hand-over: the record at {@code offset} will never be received here. */
  synchronized void dropped(long offset) {
    unacked.remove(offset);
    firstDropped = Math.min(firstDropped, offset);
    if (unacked.isEmpty()) {
      notifyAll();
    }
  }

  /**
   * Poller, at the hand-over: waits until every record received under this assignment was
   * acknowledged, or {@code deadline} ({@link System#nanoTime()}) passed.
   *
   * @return {@code false} if the poller thread was interrupted meanwhile (it stops waiting)
   */
  synchronized boolean awaitAcks(long deadline) {
    while (!unacked.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return true;
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Poller, at the hand-over of an acknowledged receiver's assignment: ends it (later
   * acknowledgements do not count) and returns the position to commit.
   */
  synchronized long end() {
    ended = true;
    return Math.min(ackedPosition(), firstDropped);
  }

  /** Whether commits follow acknowledgements rather than receipts. */
  boolean acknowledged() {
    return unacked != null;
  }

  @Override
  public String toString() {
    return partition + "[received<" + received.get() + ", sent<" + nextSent + "]";
  }
}
