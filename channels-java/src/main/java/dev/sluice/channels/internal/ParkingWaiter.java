/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * The waiter of a thread blocked in {@code send} or {@code receive}: claiming it unparks the thread
 * (if it got as far as parking).
 *
 * @param <E> the channel's element type
 */
final class ParkingWaiter<E> extends SoloWaiter<E> implements Parker.Parkable {
  private final Thread thread = Thread.currentThread();

  ParkingWaiter(BufferedChannel<E> channel, @Nullable E item) {
    super(channel, item);
  }

  /**
   * Waits (in the thread that made this waiter) until the waiter is claimed, or withdraws it on
   * interrupt or timeout.
   *
   * @return {@link Parker#CLAIMED}, {@link Parker#INTERRUPTED} or {@link Parker#TIMED_OUT}; after
   *     either of the last two the waiter was withdrawn, unless it was claimed first, and then the
   *     result is {@code CLAIMED} (with the interrupt status set again after an interrupt)
   */
  int await(boolean timed, long deadline) {
    int outcome = Parker.await(this, timed, deadline);
    if (outcome == Parker.CLAIMED || withdraw()) {
      return outcome;
    }
    // Claimed just before the withdrawal: the operation happened, so report it, and keep the
    // interrupt for the caller to see.
    if (outcome == Parker.INTERRUPTED) {
      Thread.currentThread().interrupt();
    }
    return Parker.CLAIMED;
  }

  @Override
  public boolean isPending() {
    return isWaiting();
  }

  @Override
  public boolean announcePark() {
    return markParked();
  }

  /**
   * A rendezvous: the counterpart usually comes within the spin (see {@link Parker#VIRTUAL_SPINS}).
   */
  @Override
  public boolean spinsOnVirtualThread() {
    return channel.capacity() == 0;
  }

  @Override
  protected void resume() {
    if (unparkOnResume) {
      LockSupport.unpark(thread);
    }
  }
}
