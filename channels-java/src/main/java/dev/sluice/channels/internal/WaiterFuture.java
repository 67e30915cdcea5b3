/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The future handed out by {@code sendAsync}, {@code receiveAsync} and {@code selectAsync}:
 * completing it from outside (cancel, {@code orTimeout}, {@code complete}, {@code
 * completeExceptionally}) first withdraws the operation behind it, and reports a change only if the
 * withdrawal won.
 *
 * <p>That is what makes {@code cancel(...) == true} mean "the operation did not happen": the
 * withdrawal and the engine's claim race on one {@code cas}, and the loser of that race does not
 * touch the future. The engine completes it through {@link #settle} and {@link #fail} after its
 * claim.
 *
 * <p>Dependent futures ({@code thenApply} and so on) are plain {@link CompletableFuture}s. Public
 * for the other kinds of {@code dev.sluice.channels} ({@code Broadcast}), whose futures claim the
 * same way.
 *
 * @param <T> the result type
 */
public final class WaiterFuture<T> extends CompletableFuture<T> {
  /** Withdraws the operation; {@code true} if it will never happen. */
  private final BooleanSupplier withdraw;

  /**
   * A future whose outside completions first call {@code withdraw}.
   *
   * @param withdraw withdraws the operation; {@code true} if it will never happen
   */
  public WaiterFuture(BooleanSupplier withdraw) {
    this.withdraw = withdraw;
  }

  /** Completes the future after the engine's claim. */
  public void settle(T value) {
    super.complete(value);
  }

  /** Completes the future exceptionally after the engine's claim. */
  public void fail(Throwable failure) {
    super.completeExceptionally(failure);
  }

  /**
   * Withdraws the operation, then cancels the future.
   *
   * @return {@code true} if the operation was withdrawn and the future cancelled; {@code false} if
   *     the operation already happened (or failed), and the future completes with its outcome
   */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (withdraw.getAsBoolean()) {
      return super.cancel(mayInterruptIfRunning);
    }
    return isCancelled(); // cancelled before: true, as CompletableFuture answers
  }

  /** Withdraws the operation, then completes the future with {@code value}. */
  @Override
  public boolean complete(T value) {
    return withdraw.getAsBoolean() && super.complete(value);
  }

  /**
   * Withdraws the operation, then completes the future with {@code failure} (as orTimeout does).
   */
  @Override
  public boolean completeExceptionally(Throwable failure) {
    return withdraw.getAsBoolean() && super.completeExceptionally(failure);
  }

  /**
   * Completes the future from {@code executor} as {@link #complete} does: withdrawing first. The
   * one-argument form delegates here (the JDK's own would bypass the withdrawal).
   */
  @Override
  public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
    Objects.requireNonNull(supplier, "supplier");
    Objects.requireNonNull(executor, "executor");
    executor.execute(
        () -> {
          T value;
          try {
            value = supplier.get();
          } catch (Throwable failure) {
            completeExceptionally(failure);
            return;
          }
          complete(value);
        });
    return this;
  }

  /**
   * Not supported: forcing a result could contradict what the channel did.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void obtrudeValue(T value) {
    throw new UnsupportedOperationException("a channel operation's future cannot be obtruded");
  }

  /**
   * Not supported: forcing a result could contradict what the channel did.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void obtrudeException(Throwable failure) {
    throw new UnsupportedOperationException("a channel operation's future cannot be obtruded");
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
