package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes a thread wait until its waiter is claimed: a short spin, then {@link LockSupport#park}.
 *
 * <p>The waiter announces that it is about to park ({@code parked}) before it checks its state a last
 * time; the claimer checks {@code parked} after its claim. Both are volatile accesses, so at least one
 * side sees the other: either the waiter sees the claim and does not park, or the claimer sees the
 * flag and unparks. A claimer that sees no flag skips the unpark, which matters because the spin
 * usually catches the claim and an unpark costs a system call.
 */
final class Parker {
  /**
   * Spins before the first park. On 2 cores a hand-off takes well under a microsecond when the
   * counterpart is running, and parking costs several: a few hundred {@code onSpinWait}s (tens of
   * nanoseconds each) cover the first case without burning much of the second. Tuned with the bench
   * module's ping-pong benchmark; only used when there is more than one CPU.
   */
  static final int SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 256 : 0;

  /** The outcome of {@link #await}: the awaited thing was claimed. */
  static final int CLAIMED = 0;

  /** The outcome of {@link #await}: the thread was interrupted (its interrupt status is cleared). */
  static final int INTERRUPTED = 1;

  /** The outcome of {@link #await}: the deadline passed. */
  static final int TIMED_OUT = 2;

  private static final VarHandle PARKED;

  static {
    try {
      PARKED = MethodHandles.lookup().findVarHandle(Parker.class, "parked", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The thread that waits. */
  private final Thread thread = Thread.currentThread();

  /** Set by the waiting thread before it parks. */
  @SuppressWarnings("unused") // accessed through PARKED
  private volatile boolean parked;

  /** Something a thread can wait for. */
  interface Awaited {
    /**
     * Whether the thing is still unclaimed.
     *
     * @return {@code true} while the thread must go on waiting
     */
    boolean isPending();
  }

  /**
   * Waits until {@code awaited} is claimed, the thread is interrupted, or the deadline passes.
   *
   * @param awaited what to wait for; its claimer calls {@link #unpark()}
   * @param timed whether {@code deadline} applies
   * @param deadline the {@link System#nanoTime()} at which to give up
   * @return {@link #CLAIMED}, {@link #INTERRUPTED} or {@link #TIMED_OUT}
   */
  int await(Awaited awaited, boolean timed, long deadline) {
    for (int i = 0; i < SPINS; i++) {
      if (!awaited.isPending()) {
        return CLAIMED;
      }
      Thread.onSpinWait();
    }
    PARKED.setVolatile(this, true); // sv: before the last check, see the class comment
    while (awaited.isPending()) {
      if (Thread.interrupted()) {
        return INTERRUPTED;
      }
      if (timed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return TIMED_OUT;
        }
        LockSupport.parkNanos(this, left);
      } else {
        LockSupport.park(this);
      }
    }
    return CLAIMED;
  }

  /** Wakes the waiting thread if it parks or is about to; called after the claim. */
  void unpark() {
    if ((boolean) PARKED.getVolatile(this)) { // lv: after the claim's cas
      LockSupport.unpark(thread);
    }
  }
}
