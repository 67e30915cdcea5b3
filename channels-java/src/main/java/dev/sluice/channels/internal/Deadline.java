/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: a deadline never wraps. Every timeout is clamped to [0, FAR] nanoseconds before it is
// added to System.nanoTime(), so deadline - System.nanoTime() is the true time left, not a wrapped
// one, from the moment the deadline is made until FAR nanoseconds (146 years) after it passed.
package dev.sluice.channels.internal;

import java.time.Duration;

/**
 * The timeouts and deadlines of every timed operation: the one place where a {@link Duration}
 * becomes nanoseconds, and where a deadline is made and read.
 *
 * <p>A {@code Duration} spans far more than a {@code long} of nanoseconds, and {@link
 * System#nanoTime()} may be any {@code long}, so neither the conversion nor the sum is safe as it
 * stands: {@code toNanos()} throws past about 292 years either way, and {@code nanoTime() +
 * Long.MIN_VALUE}, the naive clamp of a hugely negative timeout, wraps into a deadline in the far
 * future: a timeout that is long over would wait forever. Here a timeout is saturated instead:
 *
 * <ul>
 *   <li>zero or negative, however negative: {@code 0}, over at once. A timed operation given it
 *       behaves as its try form, though it still throws on an interrupt it finds;
 *   <li>positive: its nanoseconds, but at most {@link #FAR} (146 years), a deadline no caller
 *       outlives and whose difference with {@code nanoTime()} stays in range.
 * </ul>
 *
 * <p>The sum {@code nanoTime() + timeout} may still overflow, as {@code nanoTime()}'s origin is
 * arbitrary; that is harmless, because a deadline is read only as the difference {@code deadline -
 * nanoTime()} (through {@link #nanosLeft(long)}), which two's-complement arithmetic gets right.
 * <b>Never compare a deadline with {@code <}</b>: that is the comparison a wrapped sum breaks. (The
 * spin loops in {@link BufferedChannel} read a deadline the same way, as {@code deadline -
 * System.nanoTime() <= 0}.)
 */
public final class Deadline {
  /**
   * The longest timeout, in nanoseconds: {@code Long.MAX_VALUE / 2}, 146 years. Half the range
   * leaves the other half for time that passes after a deadline is made, so {@code deadline -
   * nanoTime()} cannot wrap however late it is read, short of another 146 years.
   */
  static final long FAR = Long.MAX_VALUE / 2;

  /** The whole seconds of {@link #FAR}: a timeout of more seconds is far, whatever its nanos. */
  private static final long FAR_SECONDS = FAR / 1_000_000_000L;

  /** Not made: the class is its static methods. */
  private Deadline() {}

  /**
   * The nanoseconds of {@code timeout}, saturated: {@code 0} for a zero or negative timeout
   * (however negative), {@link #FAR} for one longer than that, its exact nanoseconds otherwise.
   * Never throws on a huge timeout, unlike {@link Duration#toNanos()}.
   *
   * @param timeout how long an operation may wait
   * @return the timeout in nanoseconds, in {@code [0, FAR]}; {@code 0} means it is over already
   * @throws NullPointerException if {@code timeout} is null
   */
  public static long timeoutNanos(Duration timeout) {
    if (timeout.isNegative()) {
      return 0L; // however negative: over already, and no nanos to overflow
    }
    if (timeout.getSeconds() > FAR_SECONDS) {
      return FAR; // toNanos() might overflow: no need to ask it
    }
    return Math.min(timeout.toNanos(), FAR); // fits: at most FAR_SECONDS s and 999 999 999 ns
  }

  /**
   * The deadline {@code timeoutNanos} from now, on the {@link System#nanoTime()} clock. Read it
   * only through {@link #nanosLeft(long)}.
   *
   * @param timeoutNanos a timeout from {@link #timeoutNanos(Duration)}, in {@code [0, FAR]}
   * @return the deadline; its sum with {@code nanoTime()} may have overflowed, harmlessly
   */
  public static long after(long timeoutNanos) {
    return after(timeoutNanos, System.nanoTime());
  }

  /**
   * {@link #after(long)} on a given reading of the clock: the arithmetic alone, for tests.
   *
   * @param timeoutNanos a timeout in {@code [0, FAR]}
   * @param now a reading of {@link System#nanoTime()}
   * @return {@code now + timeoutNanos}, overflowed if it must
   */
  static long after(long timeoutNanos, long now) {
    assert timeoutNanos >= 0 && timeoutNanos <= FAR : "unsaturated timeout " + timeoutNanos;
    return now + timeoutNanos; // may overflow: read only as a difference (nanosLeft)
  }

  /**
   * The nanoseconds left until {@code deadline}, never negative: {@code 0} once it passed.
   *
   * @param deadline a deadline from {@link #after(long)}
   * @return the time left in nanoseconds, in {@code [0, FAR]}; {@code 0} means the deadline passed
   */
  public static long nanosLeft(long deadline) {
    return nanosLeft(deadline, System.nanoTime());
  }

  /**
   * {@link #nanosLeft(long)} on a given reading of the clock: the arithmetic alone, for tests.
   *
   * @param deadline a deadline from {@link #after(long, long)}
   * @param now a reading of {@link System#nanoTime()}, no earlier than the deadline's
   * @return the time left in nanoseconds, in {@code [0, FAR]}
   */
  static long nanosLeft(long deadline, long now) {
    return Math.max(0L, deadline - now); // a difference, never a compare: right across overflow
  }
}
