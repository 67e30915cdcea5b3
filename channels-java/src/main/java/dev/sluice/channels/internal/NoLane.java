/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

/**
 * The lane of a rendezvous channel: no slot at all, so every send and receive takes the channel's
 * lock and meets its counterpart in the waiter queues.
 *
 * @param <E> the element type
 */
final class NoLane<E> extends Lane<E> {
  NoLane() {
    super(true, true);
  }

  @Override
  int offer(E e, boolean locked) {
    return locked ? FULL : BLOCKED_SEND;
  }

  @Override
  Object poll(boolean locked) {
    if (!locked) {
      return BLOCKED;
    }
    return isClosed() ? CLOSED_EMPTY : EMPTY;
  }

  /** Nothing to shut: {@code SLOW} already sends every operation to the lock. */
  @Override
  void shutForWait(boolean send) {}

  /** Nothing to match: no operation reads the flags past {@code SLOW}. */
  @Override
  void matchQueues(boolean anyWaiters, boolean receivesLocked) {}

  @Override
  long slots() {
    return 0;
  }

  /** Nothing to hold: a rendezvous channel refuses permits. */
  @Override
  long bound() {
    return 0;
  }
}
