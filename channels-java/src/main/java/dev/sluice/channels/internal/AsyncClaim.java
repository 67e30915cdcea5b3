/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: an asynchronous wait of a kind is decided once. Its state goes from OPEN to CLAIMED
// (the kind delivers to the future) or to WITHDRAWN (an outside completion of the future won, and
// nothing was or will be taken for it), never both and never back; a token that comes to a
// withdrawn wait is handed on, so no element or change is lost with it.
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * One {@code CompletableFuture} wait of a kind that waits on a {@link Signal} (a broadcast
 * subscriber's {@code receiveAsync}, a watch reader's {@code changedAsync}): its future, and the
 * claim that decides between delivering to it and its withdrawal (cancel, {@code orTimeout}, an
 * outside {@code complete}), which then reports success only if nothing was taken for it.
 *
 * <p>The wait receives the signal's token asynchronously ({@link #awaitToken}); when the token
 * comes, {@link #accept} calls {@link #tokenCame()} if the wait is still open, or {@link
 * #tokenAfterWithdrawal()} if it was withdrawn meanwhile, and the kind hands the token on. The kind
 * completes the future only after winning {@link #claim()}, through {@link #settle} or {@link
 * #fail}.
 *
 * <p>The class is the token's callback itself, so a wait allocates no callback of its own.
 *
 * @param <T> the future's result type
 */
public abstract class AsyncClaim<T> implements BiConsumer<@Nullable Object, @Nullable Throwable> {
  private static final int OPEN = 0;
  private static final int CLAIMED = 1;
  private static final int WITHDRAWN = 2;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(AsyncClaim.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** OPEN, CLAIMED or WITHDRAWN; moved only by {@code cas} from OPEN. */
  @SuppressWarnings("unused") // through STATE
  private volatile int state;

  private final WaiterFuture<T> result = new WaiterFuture<>(this::withdraw);

  /** The signal whose token this wait receives. */
  private final BufferedChannel<Object> signal;

  /** The wait for the token now under way. */
  private volatile @Nullable CompletableFuture<Object> token;

  /**
   * An open wait on {@code signal}.
   *
   * @param signal the channel of the kind's tokens
   */
  protected AsyncClaim(BufferedChannel<Object> signal) {
    this.signal = signal;
  }

  /**
   * The future handed to the caller.
   *
   * @return the future, which the kind completes after its claim
   */
  public final CompletableFuture<T> future() {
    return result;
  }

  /**
   * Waits for the signal's token asynchronously: {@link #accept} runs when it comes, or never if
   * the wait is withdrawn first.
   */
  protected final void awaitToken() {
    CompletableFuture<Object> t = signal.receiveAsync();
    token = t;
    if ((int) STATE.getVolatile(this) == WITHDRAWN) {
      t.cancel(false); // withdrawn before this wait was published
    }
    t.whenComplete(this);
  }

  /**
   * The token's callback: hands it to {@link #tokenCame()} or, once withdrawn, to {@link
   * #tokenAfterWithdrawal()}. A failure means the token's wait was cancelled: no token was taken.
   *
   * @param t the token, or {@code null} with a failure
   * @param failure why no token was taken, or {@code null}
   */
  @Override
  public final void accept(@Nullable Object t, @Nullable Throwable failure) {
    if (failure != null) {
      return; // the wait was withdrawn: no token taken
    }
    if ((int) STATE.getVolatile(this) != OPEN) {
      tokenAfterWithdrawal();
      return;
    }
    tokenCame();
  }

  /** Called with the token in hand while the wait is open (it may be withdrawn at any moment). */
  protected abstract void tokenCame();

  /** Called with a token that came after the wait was withdrawn: hand it on. */
  protected abstract void tokenAfterWithdrawal();

  /**
   * Claims the wait for a delivery: after {@code true}, only the kind completes the future.
   *
   * @return {@code true} if this call claimed it; {@code false} if it was withdrawn
   */
  protected final boolean claim() {
    return STATE.compareAndSet(this, OPEN, CLAIMED); // LP of a delivery: beats any withdrawal
  }

  /**
   * Completes the future with {@code value}; only after {@link #claim()} returned {@code true}.
   *
   * @param value the result
   */
  protected final void settle(T value) {
    result.settle(value);
  }

  /**
   * Completes the future with {@code failure}; only after {@link #claim()} returned {@code true}.
   *
   * @param failure the failure
   */
  protected final void fail(Throwable failure) {
    result.fail(failure);
  }

  /** Withdraws the wait; {@code true} if nothing was or will be delivered to it. */
  private boolean withdraw() {
    if (STATE.compareAndSet(this, OPEN, WITHDRAWN)) { // LP of a withdrawal: beats any claim
      CompletableFuture<Object> t = token;
      if (t != null) {
        t.cancel(false); // if the token came first, its callback hands it on
      }
      return true;
    }
    return (int) STATE.getVolatile(this) == WITHDRAWN;
  }
}
