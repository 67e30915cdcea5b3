/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.Permit;
import org.jspecify.annotations.Nullable;

/**
 * The waiter of a reserve that waits in a future ({@code reserveAsync}): a send of a {@link
 * ReserveRequest}, completed with a permit once a claim reserved its place. The future's
 * cancellation withdraws it; one that lost to the claim completes with the permit all the same,
 * which the caller then holds (and must send or release), as the future's javadoc says.
 *
 * @param <E> the channel's element type
 */
final class PermitWaiter<E> extends SoloWaiter<E> {
  final WaiterFuture<Permit<E>> future = new WaiterFuture<>(this::withdraw);

  PermitWaiter(BufferedChannel<E> channel, @Nullable E request) {
    super(channel, request);
  }

  @Override
  protected void resume() {
    if (closed) {
      future.fail(channel.closedForSend());
    } else {
      future.settle(channel.grantedPermit());
    }
  }
}
