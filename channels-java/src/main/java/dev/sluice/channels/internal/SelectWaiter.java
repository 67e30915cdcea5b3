/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import org.jspecify.annotations.Nullable;

/**
 * The waiter of one channel clause of a waiting select. Claiming it claims the whole select: the
 * {@code cas} is on the select's state, so at most one of a select's waiters is ever claimed.
 *
 * @param <E> the channel's element type
 */
final class SelectWaiter<E> extends Waiter<E> {
  final SelectInstance<?> select;

  /** The index of this waiter's clause among the select's clauses. */
  final int index;

  SelectWaiter(BufferedChannel<E> channel, @Nullable E item, SelectInstance<?> select, int index) {
    super(channel, item);
    this.select = select;
    this.index = index;
  }

  @Override
  protected boolean tryClaim() {
    return select.tryClaim(this); // LP: of the select, when this clause wins
  }

  @Override
  protected void resume() {
    select.resume();
  }
}
