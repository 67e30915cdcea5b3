/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;

/**
 * The waiting side of the jcstress tests: a {@link SoloWaiter} whose {@link #resume()} only records
 * that it ran and what the claim told it, so that an arbiter can tell how often the engine resumed
 * it and whether it was told to unpark. No thread parks on it.
 *
 * @param <E> the element type
 */
final class RecordingWaiter<E> extends SoloWaiter<E> {
  /** How many times the engine resumed this waiter; read by the arbiter, after the actors. */
  int resumes;

  /** {@link #unparkOnResume} as {@link #resume()} found it: whether the claim came from PARKED. */
  boolean toldToUnpark;

  RecordingWaiter(BufferedChannel<E> channel, E item) {
    super(channel, item);
  }

  /**
   * A rendezvous channel: no lane, so every send meets a waiting receive (or nobody), which waits
   * in the hand-off slot while it is the only one: claims of it are made without the lock.
   */
  static <E> BufferedChannel<E> rendezvous() {
    return new BufferedChannel<>(0, BufferOverflow.SUSPEND, null);
  }

  /**
   * A channel of capacity 1: a receive that finds it empty is queued under the lock, and the lane's
   * flags send every send to the lock, where it claims that receive.
   */
  static <E> BufferedChannel<E> oneSlot() {
    return new BufferedChannel<>(1, BufferOverflow.SUSPEND, null);
  }

  /**
   * A receive queued in {@code channel}, as a receive that found it empty leaves its waiter:
   * through the engine's own entry point.
   */
  static <E> RecordingWaiter<E> queuedReceive(BufferedChannel<E> channel) {
    RecordingWaiter<E> w = new RecordingWaiter<>(channel, null);
    int outcome = channel.receiveOrEnqueue(w);
    if (outcome != Outcome.QUEUED) {
      throw new IllegalStateException("the receive was not queued: " + Outcome.name(outcome));
    }
    return w;
  }

  @Override
  protected void resume() {
    resumes++;
    toldToUnpark = unparkOnResume;
  }
}
