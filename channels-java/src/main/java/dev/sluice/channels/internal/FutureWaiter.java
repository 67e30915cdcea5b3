/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import org.jspecify.annotations.Nullable;

/**
 * The waiter behind {@code sendAsync} and {@code receiveAsync}: claiming it completes its future.
 *
 * @param <E> the channel's element type
 * @param <T> the future's type: {@code Void} for a send, {@code E} for a receive
 */
final class FutureWaiter<E, T> extends SoloWaiter<E> {
  final WaiterFuture<T> future = new WaiterFuture<>(this::withdraw);
  private final boolean send;

  FutureWaiter(BufferedChannel<E> channel, @Nullable E item, boolean send) {
    super(channel, item);
    this.send = send;
  }

  @Override
  @SuppressWarnings("unchecked") // a receive's future is a CompletableFuture<E>, a send's <Void>
  protected void resume() {
    if (closed) {
      future.fail(send ? channel.closedForSend() : channel.closedForReceive());
    } else {
      future.settle(send ? null : (T) item);
    }
  }
}
