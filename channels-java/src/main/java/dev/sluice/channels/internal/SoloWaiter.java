/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A waiter that stands alone, not one clause of a select: its own state decides between claim and
 * withdrawal.
 *
 * <pre>
 *   WAITING --cas by the waiting thread, before it parks-----> PARKED
 *   WAITING or PARKED --cas by a claimer (under the lock)----> CLAIMED    the operation happened
 *   WAITING or PARKED --cas by the waiting side (no lock)----> WITHDRAWN  it never will
 * </pre>
 *
 * Exactly one of the last two {@code cas} succeeds, which is the whole exactly-once argument for a
 * single operation: a withdrawn waiter is never claimed, and a claimed one cannot be withdrawn. A
 * claim from {@code PARKED} tells the claimer to unpark the thread; from {@code WAITING} the thread
 * is still spinning and needs no unpark.
 *
 * @param <E> the channel's element type
 */
public abstract class SoloWaiter<E> extends Waiter<E> {
  /** Waiting; a thread that waits on it is still spinning (or it is not a thread's waiter). */
  private static final int WAITING = 0;

  /** Waiting, and the waiting thread parks: the claimer must unpark it. */
  private static final int PARKED = 1;

  private static final int CLAIMED = 2;
  private static final int WITHDRAWN = 3;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SoloWaiter.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;

  /**
   * Set by a claim from {@code PARKED}; read by the same (claiming) thread in {@link #resume()}, so
   * a plain field is enough.
   */
  boolean unparkOnResume;

  /**
   * Creates a waiting waiter.
   *
   * @param channel the channel whose queue the waiter joins
   * @param item the element of a send, or {@code null} for a receive
   */
  /** A send's waiter carries its element from the start; a receive's has none. */
  private final int side;

  protected SoloWaiter(BufferedChannel<E> channel, @Nullable E item) {
    super(channel, item);
    this.side = item != null ? SENDS : RECEIVES;
  }

  @Override
  protected final int slotSide() {
    return side;
  }

  @Override
  protected final boolean tryClaim() {
    while (true) {
      int s = state; // lv
      if (s > PARKED) {
        return false;
      }
      // LP: of the operation, for a claim that transfers an element.
      if (STATE.compareAndSet(this, s, CLAIMED)) { // cas: publishes item/closed to the waiter
        unparkOnResume = s == PARKED;
        return true;
      }
    }
  }

  /**
   * Withdraws the operation and unlinks the waiter from its channel's queue.
   *
   * @return {@code true} if the operation will never happen; {@code false} if it was claimed first,
   *     and the claimer will {@link #resume()} it
   */
  public final boolean withdraw() {
    while (true) {
      int s = state; // lv
      if (s > PARKED) {
        return false; // claimed (or withdrawn before)
      }
      if (STATE.compareAndSet(this, s, WITHDRAWN)) { // cas: wins over every later claim
        channel.unlink(this);
        return true;
      }
    }
  }

  /**
   * Whether the waiter still waits: neither claimed nor withdrawn.
   *
   * @return {@code true} while waiting
   */
  public final boolean isWaiting() {
    return state <= PARKED; // lv
  }

  /** Moves {@code WAITING} to {@code PARKED}; {@code false} if the waiter was claimed first. */
  final boolean markParked() {
    return STATE.compareAndSet(this, WAITING, PARKED); // cas: the claimer will see PARKED
  }
}
