/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The future that the Kafka faces hand out, whose withdrawal is decided by one earlier stage.
 *
 * <p>Invariant: a caller's {@code cancel}, {@code complete} or {@code completeExceptionally} (and
 * so {@code orTimeout}) changes this future only if it first withdrew the stage (the local
 * channel's receive, or the sender's wait for room): then the operation did not happen. Once the
 * stage has happened, such calls report {@code false} and the future completes with the operation's
 * outcome, which only {@link #settle} and {@link #fail} deliver.
 */
final class StagedFuture<T> extends CompletableFuture<T> {
  /* The stage is set once, right after construction, before the future is handed out. Withdrawal
   * cancels the stage: CompletableFuture.cancel is the claim, so it succeeds for exactly one of the
   * withdrawal and the stage's own completion. */
  private volatile @Nullable CompletableFuture<?> stage;

  /** Makes {@code stage} the step whose cancellation withdraws this future's operation. */
  void stage(CompletableFuture<?> stage) {
    this.stage = stage;
  }

  /** Completes with the operation's result; not a withdrawal. */
  boolean settle(T value) {
    return super.complete(value);
  }

  /** Completes with the operation's failure; not a withdrawal. */
  boolean fail(Throwable failure) {
    return super.completeExceptionally(unwrap(failure));
  }

  /** Whether {@code failure} is the stage's cancellation by a withdrawal (nothing to deliver). */
  static boolean isWithdrawal(CompletableFuture<?> stage, Throwable failure) {
    return stage.isCancelled() && unwrap(failure) instanceof CancellationException;
  }

  /** The failure a dependent stage saw, without {@code CompletableFuture}'s wrappers. */
  static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private boolean withdraw() {
    CompletableFuture<?> s = stage;
    return s != null && !isDone() && s.cancel(false);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return withdraw() && super.cancel(mayInterruptIfRunning);
  }

  @Override
  public boolean complete(T value) {
    return withdraw() && super.complete(value);
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    if (ex == null) {
      throw new NullPointerException("ex");
    }
    return withdraw() && super.completeExceptionally(ex);
  }
}
