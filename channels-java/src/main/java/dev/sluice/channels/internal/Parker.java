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
   * How long a platform thread spins before it parks, in nanoseconds: the system property {@code
   * sluice.parkSpinNanos}, 20,000 (20 us) by default; none on a single CPU, where a spin only
   * delays the thread that would make the claim. ADR 0010 gives the measurements.
   *
   * <p>The bound is a time, not a count of {@code onSpinWait}s: one {@code onSpinWait} takes from a
   * few nanoseconds to over a hundred, depending on the processor, so a count is a different wait
   * on every machine. A spin pays while it is shorter than what a park costs the two threads: the
   * park, the unpark and the wake-up. That is a few microseconds on bare metal, and more in a
   * virtual machine: on the 2-core bench machine a park-and-unpark round trip of two threads took
   * 17.8 us, and a spin of 20 us took rendezvous throughput from 0.05 to 3.4 elements/us, where the
   * old count of 256 spins (3 us there) parked on nearly every hand-off. A thread whose wait is
   * long burns at most this much CPU before it sleeps.
   */
  static final long SPIN_NANOS =
      Runtime.getRuntime().availableProcessors() > 1
          ? Long.getLong("sluice.parkSpinNanos", 20_000L)
          : 0L;

  /** How many {@code onSpinWait}s pass between two readings of the clock during a spin. */
  private static final int SPINS_PER_CLOCK = 16;

  /** After how many equal readings in a row a spin gives up on the clock (see the spin). */
  private static final int STILL_CLOCK_READINGS = 8;

  /**
   * How long a virtual thread spins before it parks at a rendezvous ({@link
   * Parkable#spinsOnVirtualThread}): the system property {@code sluice.virtualParkSpins}, 128 by
   * default; none on a single CPU, where the counterpart cannot run while this thread spins. A
   * spinning virtual thread holds its carrier, so it spins only where the wait is about to end, and
   * briefly (128 spins are about 1.5 us on the bench machine, against a platform thread's 20).
   * Measured on the 2-core bench machine, idle, {@code SLUICE_VT}, 2 forks (docs/benchmarks.md): at
   * rendezvous 128 spins against none gave SPSC 1.68 against 1.17 elements/us, MPMC 1.54 against
   * 1.13, round trip 1.11 against 1.45 us; at capacity 1 they lost (SPSC 1.24 against 1.62, MPMC
   * 0.96 against 1.28), and at 16 SPSC too (5.36 against 7.56), so a buffered channel's virtual
   * threads park at once.
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
    if (Spinning.currentIsVirtual()) {
      for (int i = p.spinsOnVirtualThread() ? VIRTUAL_SPINS : 0; i > 0; i--) {
        if (!p.isPending()) {
          return CLAIMED;
        }
        Thread.onSpinWait();
      }
    } else if (SPIN_NANOS > 0 && spinUntilClaimed(p, timed, deadline)) {
      return CLAIMED;
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

  /**
   * Spins for at most {@link #SPIN_NANOS} (and no later than the deadline, if {@code timed}),
   * reading the clock once every {@link #SPINS_PER_CLOCK} spins.
   *
   * <p>The spin also ends when the clock stands still for {@link #STILL_CLOCK_READINGS} readings in
   * a row: a clock that does not move cannot bound it. No real clock does that across hundreds of
   * spins, but a model checker's does (Lincheck's {@code nanoTime()} returns a constant), and a
   * coarse one must not make the spin endless either.
   *
   * @return {@code true} if {@code p} was claimed during the spin
   */
  private static boolean spinUntilClaimed(Parkable p, boolean timed, long deadline) {
    long now = System.nanoTime();
    long end = now + SPIN_NANOS;
    if (timed && Deadline.nanosLeft(deadline) < SPIN_NANOS) {
      end = deadline;
    }
    int still = 0;
    while (true) {
      for (int i = SPINS_PER_CLOCK; i > 0; i--) {
        if (!p.isPending()) {
          return true;
        }
        Thread.onSpinWait();
      }
      long then = now;
      now = System.nanoTime();
      still = now == then ? still + 1 : 0;
      if (end - now <= 0 || still == STILL_CLOCK_READINGS) {
        return !p.isPending();
      }
    }
  }
}
