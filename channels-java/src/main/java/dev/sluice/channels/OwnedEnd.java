/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * What a sending and a receiving handle share: the count of their end (made race-free by {@code
 * HandleCounts}) and their own open/closing/closed state. Keeps one invariant: a handle is released
 * once, by its first close, and a close returns only once that release took effect (the channel
 * closed or cancelled, if it was the end's last handle); only a close re-entered by the closing
 * thread itself (from a handler the close runs) returns at once.
 *
 * @param <E> the type of elements
 */
abstract class OwnedEnd<E> {
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(OwnedEnd.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int OPEN = 0;
  private static final int CLOSING = 1;
  private static final int CLOSED = 2;

  final BufferedChannel<E> channel;

  /** Which end: {@code true} for a sending handle. */
  private final boolean senders;

  /** {@link #OPEN}, {@link #CLOSING} (the first close is at work) or {@link #CLOSED}. */
  @SuppressWarnings("unused") // through STATE
  private volatile int state;

  /** The thread of the first close, so that a close it calls again (from a handler) returns. */
  private volatile @Nullable Thread closer;

  OwnedEnd(BufferedChannel<E> channel, boolean senders) {
    this.channel = channel;
    this.senders = senders;
  }

  /**
   * Counts a new handle of one end of {@code channel}.
   *
   * @return the channel's engine, to make the handle of
   * @throws ChannelClosedException if that end ended, once the channel's close (or cancel) is
   *     visible, so that the refusal and {@code isClosedForSend}/{@code isClosedForReceive} agree
   */
  static <E> BufferedChannel<E> acquire(Object channel, boolean senders) {
    BufferedChannel<E> engine = engineOf(channel);
    if (!engine.handles().acquire(senders, false)) {
      while (!(senders ? engine.isClosedForSend() : engine.isClosedForReceive())) {
        Thread.onSpinWait(); // the last handle's close is closing (or cancelling) it now
      }
      throw new ChannelClosedException(
          "every " + (senders ? "sending" : "receiving") + " handle of this channel was closed",
          null);
    }
    return engine;
  }

  @SuppressWarnings("unchecked") // a channel's engine holds its elements
  static <E> BufferedChannel<E> engineOf(Object channel) {
    BufferedChannel<?> engine = Engines.of(channel);
    if (engine == null) {
      throw new IllegalArgumentException("not a Sluice channel: " + channel.getClass().getName());
    }
    return (BufferedChannel<E>) engine;
  }

  /** The channel, for a use of this handle; refuses once the handle is closed. */
  final BufferedChannel<E> open() {
    if (state != OPEN) {
      throw new IllegalStateException(
          "this " + (senders ? "sending" : "receiving") + " handle was closed");
    }
    return channel;
  }

  /** Whether this handle's close began. */
  final boolean released() {
    return state != OPEN;
  }

  /**
   * Closes this handle: uncounts it, and if it was its end's last, runs {@link #ended}.
   *
   * @param cause the close cause for {@link #ended}, or {@code null}
   * @return {@code true} if this call closed it
   */
  final boolean release(@Nullable Throwable cause) {
    if (!STATE.compareAndSet(this, OPEN, CLOSING)) {
      if (closer != Thread.currentThread()) {
        while (state != CLOSED) {
          Thread.onSpinWait(); // a close at the same moment: return once its effect is there
        }
      }
      return false;
    }
    closer = Thread.currentThread();
    try {
      if (channel.handles().release(senders)) {
        ended(cause);
      }
    } finally {
      closer = null;
      state = CLOSED;
    }
    return true;
  }

  /**
   * Ends the channel's end, after its last handle was released: closes the channel (senders) or
   * cancels it (receivers).
   *
   * @param cause the close cause, or {@code null}
   */
  abstract void ended(@Nullable Throwable cause);

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + (state == OPEN ? "open" : "closed")
        + ", "
        + channel
        + "]";
  }
}
