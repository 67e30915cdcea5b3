package dev.sluice.bench;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A value that one thread waits on for a change, in an {@link AtomicReference}, with {@link
 * LockSupport#park} and {@link LockSupport#unpark}: the floor of {@link WatchWakeup}, the least a
 * holder that wakes a waiting reader can do. Not a general tool: one waiting thread at a time, and
 * "changed" means another object than the one the waiter last saw (identity).
 *
 * <p>The waiter spins up to {@code spins} times, re-reading the value, then announces itself in
 * {@link #waiter} and parks until the value changes.
 */
final class ParkingCell {
  /*
   * No lost wake-up: the setter writes the value and then reads waiter; the waiter writes waiter
   * and then reads the value. All four accesses are volatile, so they fall in one total order, and
   * in it either the waiter's announcement comes before the setter's read (the setter unparks it)
   * or the setter's write comes before the waiter's read (the waiter sees the change and does not
   * park). An unpark that comes before the park leaves a permit, and the park returns at once.
   *
   * A permit can be left over: the waiter announced itself, then saw the change on its re-read and
   * returned, while the setter read the announcement and unparked it anyway. Its next park then
   * returns at once, finds no change, and parks again: one more turn of the loop, never a missed
   * change.
   */

  private final AtomicReference<Object> value;

  /** The thread that waits (or is about to park) for a change; {@code null} when none does. */
  private volatile Thread waiter;

  private final int spins;

  /**
   * @param initial the first value
   * @param spins how many times a waiter re-reads the value before it parks; 0 for none
   */
  ParkingCell(Object initial, int spins) {
    this.value = new AtomicReference<>(initial);
    this.spins = spins;
  }

  /** Replaces the value, and wakes the waiter if one has announced itself. */
  void set(Object v) {
    value.set(v); // volatile store, before the read of waiter (see the notes above)
    Thread w = waiter; // volatile load: sees any announcement made before the store
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /**
   * Waits until the value is another object than {@code seen}, and returns it. One thread at a
   * time.
   *
   * @throws InterruptedException if the thread is interrupted while it is parked
   */
  Object awaitChange(Object seen) throws InterruptedException {
    Object v;
    for (int i = spins; i > 0; i--) {
      if ((v = value.get()) != seen) {
        return v;
      }
      Thread.onSpinWait();
    }
    waiter = Thread.currentThread(); // volatile store: the announcement, before the re-read
    try {
      while ((v = value.get()) == seen) { // volatile load: the set, or the setter sees us
        LockSupport.park(this);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
      return v;
    } finally {
      waiter = null;
    }
  }
}
