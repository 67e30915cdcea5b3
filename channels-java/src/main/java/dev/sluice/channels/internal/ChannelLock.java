package dev.sluice.channels.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of one channel: a {@link ReentrantLock} that spins briefly before it queues and parks.
 *
 * <p>A channel holds its lock for a few dozen nanoseconds (a ring operation and a {@code cas} or two).
 * A plain {@code ReentrantLock} parks a thread that finds it taken after very little spinning, and
 * the unpark that follows costs microseconds: on a channel that two threads use all the time, that
 * turns every collision into a context switch. Spinning on {@link #tryLock()} for about as long as a
 * critical section lasts avoids it; after that the thread queues as usual, so a preempted lock holder
 * costs only the spin. No spinning on a single CPU, where the holder cannot run while we spin.
 */
final class ChannelLock extends ReentrantLock {
  private static final long serialVersionUID = 1L;

  /**
   * How many {@code onSpinWait}s to try before queueing: the system property {@code
   * sluice.lockSpins}, 256 by default. On the 2-core bench machine, {@code ThroughputBounded} at
   * capacity 16 and {@code ThroughputRendezvous} were measured at 16, 64, 256 and 1024: 16 left
   * SPSC at 1.8 and MPMC at 1.0 elements/us, 256 gave 2.6 and 2.6 (1.9 and 1.7 without a buffer),
   * and 1024 gained nothing.
   */
  private static final int SPINS =
      Runtime.getRuntime().availableProcessors() > 1
          ? Integer.getInteger("sluice.lockSpins", 256)
          : 0;

  @Override
  public void lock() {
    if (tryLock()) {
      return;
    }
    for (int i = Spinning.forCurrentThread(SPINS); i > 0; i--) {
      Thread.onSpinWait();
      if (!isLocked() && tryLock()) {
        return;
      }
    }
    super.lock();
  }
}
