/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import org.jspecify.annotations.Nullable;

/**
 * What a broadcast subscriber's look returns, instead of an element, when the subscriber fell
 * behind: how many elements it missed, and (for a face that reports the lag and goes on) the oldest
 * element still held, which the same look took. Internal: no user can make one, so an element is
 * never mistaken for it.
 */
public final class Lag {
  /** How many elements the subscriber missed; at least one. */
  public final long missed;

  /** The element taken after the gap, or {@code null} if the look took none. */
  public final @Nullable Object next;

  /**
   * Creates the report of a gap.
   *
   * @param missed how many elements were missed
   * @param next the element taken after them, or {@code null}
   */
  public Lag(long missed, @Nullable Object next) {
    this.missed = missed;
    this.next = next;
  }

  @Override
  public String toString() {
    return "Lag[" + missed + (next == null ? "" : ", then " + next) + "]";
  }
}
