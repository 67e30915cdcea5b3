/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * Makes a thread wait for a claim: a short spin, then {@link LockSupport#park}.
 *
 * <p>Before it parks, the waiting thread announces it ({@link Parkable#announcePark()}) in a way
 * that its claimer is sure to see: either the announcement and the claim are one state word ({@link
 * SoloWaiter}), or both sides write their own volatile field and then read the other's (a select).
 * Either way, the waiter sees the claim and does not park, or the claimer sees the announcement and
 * unparks. A claimer that sees no announcement skips the unpark: the spin usually catches the
 * claim, and an unpark costs a system call.
 */
final class Parker {
  private Parker() {}

  /**
   * Spins before parking. On 2 cores a hand-off takes well under a microsecond when the counterpart
   * is running, and parking plus unparking costs several: a few hundred {@code onSpinWait}s (tens
   * of nanoseconds each) cover the first case without burning much of the second. The system
   * property {@code sluice.parkSpins}, 256 by default: on the 2-core bench machine 64 halved
   * rendezvous throughput ({@code ThroughputRendezvous} SPSC 0.74 against 1.99 elements/us) and
   * 1024 lowered it too (1.04). No spin on a single CPU, where it only delays the thread that would
   * make the claim.
   */
  static final int SPINS =
      Runtime.getRuntime().availableProcessors() > 1
          ? Integer.getInteger("sluice.parkSpins", 256)
          : 0;

  /**
   * How long a virtual thread spins before it parks at a rendezvous ({@link
   * Parkable#spinsOnVirtualThread}): the system property {@code sluice.virtualParkSpins}, 128 by
   * default; none on a single CPU, where the counterpart cannot run while this thread spins. A
   * spinning virtual thread holds its carrier, so it spins half as long as a platform thread, and
   * only where the wait is about to end. Measured on the 2-core bench machine, idle, {@code
   * SLUICE_VT}, 2 forks (docs/benchmarks.md): at rendezvous 128 spins against none gave SPSC 1.68
   * against 1.17 elements/us, MPMC 1.54 against 1.13, round trip 1.11 against 1.45 us; at capacity
   * 1 they lost (SPSC 1.24 against 1.62, MPMC 0.96 against 1.28), and at 16 SPSC too (5.36 against
   * 7.56), so a buffered channel's virtual threads park at once.
   */
  static final int VIRTUAL_SPINS =
      Runtime.getRuntime().availableProcessors() > 1
          ? Integer.getInteger("sluice.virtualParkSpins", 128)
          : 0;

  /** The outcome of {@link #await}: the awaited thing was claimed. */
  static final int CLAIMED = 0;

  /**
   * The outcome of {@link #await}: the thread was interrupted (its interrupt status is cleared).
   */
  static final int INTERRUPTED = 1;

  /** The outcome of {@link #await}: the deadline passed. */
  static final int TIMED_OUT = 2;

  /** Something a thread can park on until it is claimed. */
  interface Parkable {
    /**
     * Whether it is still unclaimed.
     *
     * @return {@code true} while the thread must go on waiting
     */
    boolean isPending();

    /**
     * Announces that the thread is about to park, so that the claimer will unpark it.
     *
     * @return {@code false} if it was claimed already (then the thread must not park)
     */
    boolean announcePark();

    /**
     * Whether a virtual thread should spin ({@link #VIRTUAL_SPINS}) before it parks on this: only
     * where its counterpart is about to come, as at a rendezvous.
     *
     * @return {@code true} to spin on a virtual thread; {@code false} (the default) to park at once
     */
    default boolean spinsOnVirtualThread() {
      return false;
    }
  }

  /**
   * Waits until {@code p} is claimed, the thread is interrupted, or the deadline passes. Called by
   * the thread that will be unparked.
   *
   * @param timed whether {@code deadline} applies
   * @param deadline the {@link System#nanoTime()} at which to give up, made by {@link
   *     Deadline#after(long)}
   * @return {@link #CLAIMED}, {@link #INTERRUPTED} or {@link #TIMED_OUT}
   */
  static int await(Parkable p, boolean timed, long deadline) {
    int spins = SPINS;
    if (Spinning.currentIsVirtual()) {
      spins = p.spinsOnVirtualThread() ? VIRTUAL_SPINS : 0;
    }
    for (int i = spins; i > 0; i--) {
      if (!p.isPending()) {
        return CLAIMED;
      }
      Thread.onSpinWait();
    }
    if (!p.announcePark()) {
      return CLAIMED;
    }
    while (p.isPending()) {
      if (Thread.interrupted()) {
        return INTERRUPTED;
      }
      if (timed) {
        long left = Deadline.nanosLeft(deadline);
        if (left == 0) {
          return TIMED_OUT;
        }
        LockSupport.parkNanos(p, left);
      } else {
        LockSupport.park(p);
      }
    }
    return CLAIMED;
  }
}
