/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * One assignment of a partition to a receiver: from the rebalance that gave it to the one that took
 * it away. A partition assigned again later gets a new {@code Assignment}, so that what happens to
 * records of the old one cannot touch the new one.
 *
 * <p>Invariant: the position the poller commits for this assignment never passes a record that is
 * not done. A record is done when a caller's receive returned it (after the take from the local
 * channel stood: a record handed to a coroutine that was cancelled and gave it back is not), or,
 * for a receiver of {@link Delivery deliveries}, when a caller acknowledged it; a record the poller
 * dropped at the hand-over is not done either. So {@link #position()} is the lowest offset fetched
 * and not done (or one past the last fetched, if every one is). Once the assignment {@link #end
 * ended}, acknowledgements no longer count, and say so.
 */
final class Assignment {
  final TopicPartition partition;

  /* Whether records are done when acknowledged (true) or when received (false). */
  private final boolean acknowledged;

  /*
   * The offsets fetched under this assignment and not done, nor dropped. Guarded by this, as are
   * `ended`, `nextFetched` and `firstDropped`: the poller adds and drops, callers remove.
   */
  private final TreeSet<Long> undone = new TreeSet<>();
  private boolean ended;
  private long nextFetched = -1;
  private long firstDropped = Long.MAX_VALUE;

  /* Poller thread only: the last position committed (or being committed), or -1. */
  long committed = -1;

  Assignment(TopicPartition partition, boolean acknowledged) {
    this.partition = partition;
    this.acknowledged = acknowledged;
  }

  /** Poller: the record at {@code offset} was fetched; until it is done, commits stop at it. */
  synchronized void fetched(long offset) {
    undone.add(offset);
    nextFetched = offset + 1;
  }

  /**
   * Poller: the record at {@code offset} was fetched and passed over (a tombstone the receiver
   * skips): done at once, so commits pass it once the records before it are done.
   */
  synchronized void skipped(long offset) {
    nextFetched = offset + 1;
  }

  /**
   * A caller's receive returned the record at {@code offset}: done, unless acknowledgements rule.
   */
  void received(long offset) {
    if (!acknowledged) {
      done(offset);
    }
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
    done(offset);
    return true;
  }

  private synchronized void done(long offset) {
    if (undone.remove(offset) && undone.isEmpty()) {
      notifyAll(); // a hand-over may be waiting for the last one
    }
  }

  /** The lowest offset fetched and not done, or one past the last fetched, or -1. */
  synchronized long position() {
    return undone.isEmpty() ? nextFetched : undone.first();
  }

  /** Whether every record fetched under this assignment is done or dropped. */
  synchronized boolean allDone() {
    return undone.isEmpty();
  }

  /** Poller, at the hand-over: the record at {@code offset} will never be received here. */
  synchronized void dropped(long offset) {
    undone.remove(offset);
    firstDropped = Math.min(firstDropped, offset);
    if (undone.isEmpty()) {
      notifyAll();
    }
  }

  /**
   * Poller, at the hand-over: waits until every record is done or dropped, or {@code deadline}
   * ({@link System#nanoTime()}) passed.
   *
   * @return {@code false} if the poller thread was interrupted meanwhile (it stops waiting)
   */
  synchronized boolean awaitDone(long deadline) {
    while (!undone.isEmpty()) {
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
   * Poller, at the hand-over: ends this assignment (later acknowledgements do not count) and
   * returns the position to commit: the lowest record not done, or dropped.
   */
  synchronized long end() {
    ended = true;
    return Math.min(position(), firstDropped);
  }

  @Override
  public synchronized String toString() {
    return partition
        + "[undone "
        + undone.size()
        + (undone.isEmpty() ? "" : " from " + undone.first())
        + ", fetched<"
        + nextFetched
        + (firstDropped == Long.MAX_VALUE ? "" : ", dropped from " + firstDropped)
        + (ended ? ", ended" : "")
        + "]";
  }
}
