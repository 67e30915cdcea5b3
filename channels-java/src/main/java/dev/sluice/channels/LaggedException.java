/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

/**
 * Thrown to a {@link Broadcast} subscriber that fell so far behind that elements it had not
 * received were overwritten: {@link #missed()} says how many. The subscriber is still open, and its
 * next receive returns the oldest element the broadcast still holds.
 *
 * <p>Thrown by the blocking faces ({@link Broadcast.Subscriber#receive()}, a {@link Select} over
 * {@link Broadcast.Subscriber#onReceive}) and, unless told to skip lags, by the Kotlin views. The
 * other faces report a lag as a result: {@link Broadcast.Received#isLagged()}.
 *
 * <p>A lag is an expected event for a slow subscriber, not a bug to trace: the exception records no
 * stack trace, so that reporting it does not slow the subscriber further.
 */
public class LaggedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How many elements the subscriber missed: at least one. */
  private final long missed;

  /**
   * Creates the exception for a gap of {@code missed} elements.
   *
   * @param missed how many elements the subscriber missed; at least one
   * @throws IllegalArgumentException if {@code missed} is less than one
   */
  public LaggedException(long missed) {
    super(
        "subscriber lagged behind: missed " + missed + " element" + (missed == 1 ? "" : "s"),
        null,
        false,
        false);
    if (missed < 1) {
      throw new IllegalArgumentException("missed must be at least 1: " + missed);
    }
    this.missed = missed;
  }

  /**
   * How many elements the subscriber missed.
   *
   * @return at least one
   */
  public long missed() {
    return missed;
  }
}
