/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.SelectClause;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A select clause as the engine sees it: which operation on which channel, and what to compute once
 * it happened. Immutable; one clause may serve several selects.
 *
 * @param <R> the select's result type
 */
public final class Clause<R> implements SelectClause<R> {
  /** The kinds of clause. */
  enum Kind {
    SEND,
    RECEIVE,
    TIMEOUT,
    OR_ELSE
  }

  final Kind kind;
  final @Nullable BufferedChannel<Object> channel;
  final @Nullable Object element;
  private final @Nullable Function<Object, ? extends R> onElement;
  private final @Nullable Supplier<? extends R> onDone;
  final long timeoutNanos; // a TIMEOUT clause's, from Deadline.timeoutNanos: in [0, FAR], 0 if over

  private Clause(
      Kind kind,
      @Nullable BufferedChannel<Object> channel,
      @Nullable Object element,
      @Nullable Function<Object, ? extends R> onElement,
      @Nullable Supplier<? extends R> onDone,
      long timeoutNanos) {
    this.kind = kind;
    this.channel = channel;
    this.element = element;
    this.onElement = onElement;
    this.onDone = onDone;
    this.timeoutNanos = timeoutNanos;
  }

  @SuppressWarnings("unchecked") // the clause keeps E only as Object; the channel holds Es
  static <E, R> Clause<R> send(BufferedChannel<E> channel, E element, Supplier<? extends R> then) {
    return new Clause<>(Kind.SEND, (BufferedChannel<Object>) channel, element, null, then, 0L);
  }

  @SuppressWarnings("unchecked") // as above: the function is only applied to the channel's Es
  static <E, R> Clause<R> receive(
      BufferedChannel<E> channel, Function<? super E, ? extends R> then) {
    return new Clause<>(
        Kind.RECEIVE,
        (BufferedChannel<Object>) channel,
        null,
        (Function<Object, ? extends R>) then,
        null,
        0L);
  }

  /**
   * A clause chosen when nothing else completed within {@code timeout}.
   *
   * @param timeout how long the select may wait
   * @param then the result on timeout
   * @param <R> the result type
   * @return the clause
   */
  public static <R> Clause<R> timeout(Duration timeout, Supplier<? extends R> then) {
    return new Clause<>(Kind.TIMEOUT, null, null, null, then, Deadline.timeoutNanos(timeout));
  }

  /**
   * A clause chosen when nothing else is ready at once.
   *
   * @param then the result then
   * @param <R> the result type
   * @return the clause
   */
  public static <R> Clause<R> orElse(Supplier<? extends R> then) {
    return new Clause<>(Kind.OR_ELSE, null, null, null, then, 0L);
  }

  /**
   * Computes the select's result once this clause's operation happened.
   *
   * @param item the received element, for a receive clause
   */
  R complete(@Nullable Object item) {
    if (kind == Kind.RECEIVE) {
      assert onElement != null && item != null;
      return onElement.apply(item);
    }
    assert onDone != null;
    return onDone.get();
  }

  @Override
  public String toString() {
    return "SelectClause[" + kind + (channel == null ? "" : " " + channel) + "]";
  }
}
