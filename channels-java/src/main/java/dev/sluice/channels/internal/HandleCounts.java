/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * How many handles own each end of a channel ({@code SenderHandle}s, {@code ReceiverHandle}s), and
 * whether each end has ended. Keeps one invariant: an end ends exactly once, when its count drops
 * from 1 to 0, and no handle is counted on an end that ended. So the channel is closed (or
 * cancelled) once, by the thread whose release ended its end, and a handle made at the same moment
 * was either counted first, and keeps the channel open, or is refused.
 *
 * <p>One word holds both ends, each a count and an "ended" bit:
 *
 * <pre>
 *   bit 63        senders ended
 *   bits 32..62   sending handles open
 *   bit 31        receivers ended
 *   bits 0..30    receiving handles open
 * </pre>
 */
public final class HandleCounts {
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(HandleCounts.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final long COUNT = 0x7FFF_FFFFL;
  private static final long RECEIVERS_ENDED = 1L << 31;
  private static final long SENDERS_ENDED = 1L << 63;

  @SuppressWarnings("unused") // through STATE
  private volatile long state;

  private static int shift(boolean senders) {
    return senders ? 32 : 0;
  }

  private static long endedBit(boolean senders) {
    return senders ? SENDERS_ENDED : RECEIVERS_ENDED;
  }

  /**
   * Counts a new handle of one end, unless that end ended.
   *
   * @param senders which end: {@code true} for sending handles
   * @param onlyIfHeld count it only if another handle of that end is open (a weak sender's upgrade)
   * @return {@code true} if counted
   * @throws IllegalStateException if 2^31 - 1 handles of that end are open
   */
  public boolean acquire(boolean senders, boolean onlyIfHeld) {
    int shift = shift(senders);
    long ended = endedBit(senders);
    while (true) {
      long s = (long) STATE.getVolatile(this);
      long count = (s >>> shift) & COUNT;
      if ((s & ended) != 0 || (onlyIfHeld && count == 0)) {
        return false;
      }
      if (count == COUNT) {
        throw new IllegalStateException("too many open handles");
      }
      if (STATE.compareAndSet(this, s, s + (1L << shift))) { // LP: counted
        return true;
      }
    }
  }

  /**
   * Uncounts a handle of one end; the release of the last one ends the end.
   *
   * @param senders which end
   * @return {@code true} if this release ended the end: the caller closes (or cancels) the channel
   */
  public boolean release(boolean senders) {
    int shift = shift(senders);
    long ended = endedBit(senders);
    while (true) {
      long s = (long) STATE.getVolatile(this);
      long count = (s >>> shift) & COUNT;
      assert count > 0 && (s & ended) == 0 : "a release without a handle";
      long next = s - (1L << shift);
      if (count == 1) {
        next |= ended;
      }
      if (STATE.compareAndSet(this, s, next)) { // LP: uncounted, and the end ended if last
        return count == 1;
      }
    }
  }

  /**
   * Whether an end has ended: its last handle was closed.
   *
   * @param senders which end
   * @return {@code true} once it ended
   */
  public boolean ended(boolean senders) {
    return ((long) STATE.getVolatile(this) & endedBit(senders)) != 0;
  }

  /**
   * How many handles of an end are open now.
   *
   * @param senders which end
   * @return the count
   */
  public int open(boolean senders) {
    return (int) (((long) STATE.getVolatile(this) >>> shift(senders)) & COUNT);
  }
}
