/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import org.jspecify.annotations.Nullable;

/**
 * A sender that does not keep its channel open: Tokio's {@code WeakSender}. It cannot send; it can
 * become a {@link SenderHandle} again ({@link #upgrade()}) while at least one sending handle of the
 * channel is open. Made by {@link SenderHandle#downgrade()}; for a component that should send only
 * while the channel's owners still do (a cache that refreshes itself through the channel, a
 * monitor), without being one of the owners that keep it alive.
 *
 * @param <E> the type of elements
 */
public final class WeakSender<E> {
  static {
    Engines.register(WeakSender.class, w -> ((WeakSender<?>) w).channel);
  }

  private final BufferedChannel<E> channel;

  WeakSender(BufferedChannel<E> channel) {
    this.channel = channel;
  }

  /**
   * A new sending handle, counted as an owner, if another sending handle of the channel is open
   * now; otherwise {@code null}. A handle it returns keeps the channel open until it is closed, as
   * any other does.
   *
   * @return the handle, or {@code null} if no sending handle is open (the channel's sending handles
   *     ended, or none was ever made)
   */
  public @Nullable SenderHandle<E> upgrade() {
    return SenderHandle.upgrade(channel);
  }

  /**
   * How many sending handles of the channel are open now.
   *
   * @return the count; 0 once they ended
   */
  public int senderCount() {
    return channel.handles().open(true);
  }

  /**
   * Whether {@code other} is a face of the same channel.
   *
   * @param other any object
   * @return {@code true} if both are faces of one channel
   */
  public boolean sameChannel(@Nullable Object other) {
    return Engines.sameEngine(channel, other);
  }

  @Override
  public String toString() {
    return "WeakSender[" + channel + "]";
  }
}
