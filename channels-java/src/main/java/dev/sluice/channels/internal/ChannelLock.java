/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of one channel: a {@link ReentrantLock} that may spin briefly before it queues and
 * parks.
 *
 * <p>A channel holds its lock for a few dozen nanoseconds. A plain {@code ReentrantLock} parks a
 * thread that finds it taken after very little spinning, and the unpark that follows costs
 * microseconds. Whether that is bad depends on the channel:
 *
 * <ul>
 *   <li>With a small buffer (rendezvous, or up to {@link #SMALL_BUFFER} elements) threads hand
 *       elements to each other all the time, and a parked lock waiter delays every hand-off behind
 *       it. Spinning on {@link #tryLock()} roughly doubles throughput ({@code ThroughputBounded},
 *       capacity 16, SPSC, 2 cores: 0.77 elements/us without spinning, 2.2 with).
 *   <li>With a large buffer, producers and consumers rarely wait for each other, and a lock waiter
 *       that parks lets the other thread run a batch of operations alone, without the lock's cache
 *       line bouncing between cores on every operation. Spinning halves throughput there (capacity
 *       1024: 6.7 without, 3.2 with; unbounded: 8.4 without, 4.4 with).
 * </ul>
 *
 * The threshold between the two was not measured: 16 and 1024 were. No spinning on a single CPU or
 * on a virtual thread ({@link Spinning}).
 */
final class ChannelLock extends ReentrantLock {
  private static final long serialVersionUID = 1L;

  /** The largest capacity for which the lock spins; see the class comment. */
  static final int SMALL_BUFFER = 64;

  /**
   * How many {@code onSpinWait}s a small-buffer lock tries before queueing: the system property
   * {@code sluice.lockSpins}, 256 by default. Measured at capacity 16 with 16, 64, 256 and 1024: 16
   * gave SPSC 1.8 and MPMC 1.0 elements/us, 256 gave 2.6 and 2.6, and 1024 gained nothing.
   */
  private static final int SPINS =
      Runtime.getRuntime().availableProcessors() > 1
          ? Integer.getInteger("sluice.lockSpins", 256)
          : 0;

  private final int spins;

  /**
   * @param capacity the channel's capacity, which decides whether the lock spins
   */
  ChannelLock(int capacity) {
    this.spins = capacity <= SMALL_BUFFER ? SPINS : 0;
  }

  @Override
  public void lock() {
    lock(true);
  }

  /**
   * Takes the lock, spinning first only if {@code spin} (and the class comment's rules) allow.
   *
   * <p>A coroutine's operation passes {@code false}: with coroutines, one dispatcher thread that
   * finds the lock taken and parks leaves the other thread free to run every coroutine of the
   * exchange alone, while one that spins keeps the lock's line moving between the cores on every
   * operation. {@code CoroutineThroughput}, {@code Dispatchers.Default}, MPMC, 2 cores, 1 fork
   * (docs/benchmarks.md): rendezvous 2.0 elements/us spinning, 6.6 not; capacity 1 1.4 and 6.7;
   * capacity 16 3.8 and 16.9; SPSC and ping-pong the same within their errors.
   *
   * @param spin whether the caller may spin before it parks
   */
  void lock(boolean spin) {
    if (tryLock()) {
      return;
    }
    for (int i = spins == 0 || !spin ? 0 : Spinning.forCurrentThread(spins); i > 0; i--) {
      Thread.onSpinWait();
      if (!isLocked() && tryLock()) {
        return;
      }
    }
    super.lock();
  }
}
