/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.SelectClause;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What waits for a channel's close from outside its engine: the futures of {@code
 * SenderHandle.closed()} and the {@code onClosed} select clauses. Made on demand, and fired once,
 * after the close's unlock. Keeps one invariant: once fired, the future is complete, and the signal
 * channel holds the one token, which every clause that takes it puts back before anything else runs
 * (so every select waiting on a close, then or later, sees it).
 */
public final class CloseSignals {
  /** The token in {@link #signal} once the channel closed. */
  private static final Object TOKEN =
      new Object() {
        @Override
        public String toString() {
          return "CLOSED";
        }
      };

  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  /** A channel of one place, holding the token once fired; its receive is the select clause. */
  private final BufferedChannel<Object> signal =
      new BufferedChannel<>(1, BufferOverflow.SUSPEND, null);

  /** Fires the signals: after the channel closed, with no lock held. */
  void fire() {
    closed.complete(null);
    signal.trySend(TOKEN);
  }

  /**
   * A future completed once the channel closed: a copy, so that completing or cancelling it touches
   * nothing else.
   *
   * @return the future
   */
  public CompletableFuture<Void> future() {
    return closed.copy();
  }

  /**
   * A select clause chosen once the channel closed.
   *
   * @param then the select's result then
   * @param <R> the result type
   * @return the clause
   */
  public <R> SelectClause<R> clause(Supplier<? extends R> then) {
    return signal.onReceive(
        token -> {
          signal.trySend(token); // put back first: the next select sees the close too
          return then.get();
        });
  }

  /**
   * The channel the token waits in, for a face that builds its own clause over it (Kotlin's
   * select), which must put the token back as {@link #clause} does.
   *
   * @return the signal channel
   */
  public BufferedChannel<Object> signal() {
    return signal;
  }
}
