/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.Clause;
import dev.sluice.channels.internal.Selector;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Waits on several channel operations at once and completes exactly one of them.
 *
 * <pre>{@code
 * String what = Select.select(
 *     orders.onReceive(order -> "order " + order),
 *     shutdown.onReceive(signal -> "shutting down"),
 *     Select.onTimeout(Duration.ofSeconds(1), () -> "idle"));
 * }</pre>
 *
 * <h2>Exactly one clause</h2>
 *
 * A select completes exactly one of its clauses. The others had no effect: an {@link Sender#onSend}
 * that was not chosen did not send, an {@link Receiver#onReceive} that was not chosen took no
 * element. The chosen clause's function runs after the operation, outside any lock, and its result
 * (or exception) is the select's.
 *
 * <h2>Order</h2>
 *
 * {@link #select} is biased: when several clauses are ready at once, the first in argument order is
 * chosen, as in kotlinx.coroutines. {@link #selectUnbiased} chooses among ready clauses from a
 * random starting point, so that a busy channel cannot starve the others. A clause that becomes
 * ready while the select waits is chosen first come, first served among all waiters of that
 * channel.
 *
 * <h2>Closed channels</h2>
 *
 * A closed channel is ready for its send clauses, and a closed, drained channel for its receive
 * clauses: choosing such a clause makes the select fail with {@link ChannelClosedException}, as the
 * plain operation would.
 *
 * <h2>Waiting and interruption</h2>
 *
 * The blocking forms park the thread (virtual threads do not pin). A thread interrupted on entry or
 * while waiting gets {@link InterruptedException} and no clause took effect; if a clause was chosen
 * at the same moment, the select returns its result instead and the interrupt status is set again.
 */
public final class Select {
  private Select() {}

  /**
   * Waits until one of the clauses can complete, completes it, and returns its result. Biased to
   * the first ready clause in argument order.
   *
   * @param clauses the alternatives; at least one
   * @param <R> the result type
   * @return the chosen clause's result
   * @throws InterruptedException if interrupted before or while waiting; no clause took effect
   * @throws ChannelClosedException if the chosen clause's channel is closed
   * @throws IllegalArgumentException if there is no clause, or one that {@code Select} did not make
   * @throws NullPointerException if a clause is null
   * @throws RuntimeException whatever the chosen clause's function threw
   */
  @SafeVarargs
  public static <R> R select(SelectClause<? extends R>... clauses) throws InterruptedException {
    return Selector.<R>select(clauses, false);
  }

  /**
   * Waits as {@link #select} does, but chooses among the clauses that are ready at once from a
   * random starting point rather than by argument order.
   *
   * @param clauses the alternatives; at least one
   * @param <R> the result type
   * @return the chosen clause's result
   * @throws InterruptedException if interrupted before or while waiting; no clause took effect
   * @throws ChannelClosedException if the chosen clause's channel is closed
   * @throws IllegalArgumentException if there is no clause, or one that {@code Select} did not make
   * @throws NullPointerException if a clause is null
   * @throws RuntimeException whatever the chosen clause's function threw
   */
  @SafeVarargs
  public static <R> R selectUnbiased(SelectClause<? extends R>... clauses)
      throws InterruptedException {
    return Selector.<R>select(clauses, true);
  }

  /**
   * Selects without blocking the caller: the returned future completes with the chosen clause's
   * result. Biased to the first ready clause in argument order.
   *
   * <p>The future completes exceptionally with {@link ChannelClosedException} if the chosen
   * clause's channel is closed, and with whatever the clause's function threw. Cancelling the
   * future ({@code cancel}, {@code orTimeout}, {@code completeExceptionally}, {@code complete})
   * withdraws the select: when that call reports that it changed the future, no clause took effect.
   *
   * <p>The chosen clause's function and the future's dependent actions run in the thread that
   * completed the select: often the thread of the operation on the other side; for {@link
   * #onTimeout}, a thread of {@link CompletableFuture#defaultExecutor()} (the common pool). Never
   * while a channel is locked.
   *
   * @param clauses the alternatives; at least one
   * @param <R> the result type
   * @return a future of the chosen clause's result
   * @throws IllegalArgumentException if there is no clause, or one that {@code Select} did not make
   * @throws NullPointerException if a clause is null
   */
  @SafeVarargs
  public static <R> CompletableFuture<R> selectAsync(SelectClause<? extends R>... clauses) {
    return Selector.<R>selectAsync(clauses, false);
  }

  /**
   * As {@link #selectAsync}, choosing among ready clauses from a random starting point.
   *
   * @param clauses the alternatives; at least one
   * @param <R> the result type
   * @return a future of the chosen clause's result
   * @throws IllegalArgumentException if there is no clause, or one that {@code Select} did not make
   * @throws NullPointerException if a clause is null
   */
  @SafeVarargs
  public static <R> CompletableFuture<R> selectUnbiasedAsync(SelectClause<? extends R>... clauses) {
    return Selector.<R>selectAsync(clauses, true);
  }

  /**
   * A clause chosen when no other clause completed within {@code timeout}. With several timeout
   * clauses the earliest counts. A zero or negative timeout is ready at once (after the other
   * clauses were tried).
   *
   * @param timeout how long the select waits at most
   * @param then computes the select's result on timeout
   * @param <R> the result type
   * @return the clause
   * @throws NullPointerException if an argument is null
   */
  public static <R> SelectClause<R> onTimeout(Duration timeout, Supplier<? extends R> then) {
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(then, "then");
    return Clause.timeout(timeout, then);
  }

  /**
   * A clause chosen when no other clause is ready right away: a select with it never waits.
   *
   * @param then computes the select's result when nothing was ready
   * @param <R> the result type
   * @return the clause
   * @throws NullPointerException if {@code then} is null
   */
  public static <R> SelectClause<R> orElse(Supplier<? extends R> then) {
    Objects.requireNonNull(then, "then");
    return Clause.orElse(then);
  }
}
