/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines;

import dev.sluice.channels.internal.BufferedChannel;
import kotlin.Unit;
import kotlin.coroutines.CoroutineContext;
import kotlin.jvm.functions.Function1;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.selects.SelectInstance;
import org.jspecify.annotations.Nullable;

/**
 * What a kotlinx select does with what a clause was handed when the select's coroutine turns out
 * cancelled before it could use it: an {@code onReceive} or {@code onReceiveCatching} clause gives
 * its element back to the channel ({@link BufferedChannel#giveBack}); an {@code onReserve} clause
 * gives its place back ({@link BufferedChannel#releasePermit}).
 *
 * <p>kotlinx calls this action with one argument up to 1.8 and with three from 1.9 on; it is both.
 *
 * @param <E> the element type
 */
final class CancellationAction<E>
    implements Function1<Throwable, Unit>, Function3<Throwable, Object, CoroutineContext, Unit> {
  private final BufferedChannel<E> engine;
  private final @Nullable E element;
  private final boolean releasePlace;

  private CancellationAction(BufferedChannel<E> engine, @Nullable E element, boolean releasePlace) {
    this.engine = engine;
    this.element = element;
    this.releasePlace = releasePlace;
  }

  /**
   * The clause's {@code onCancellationConstructor}: makes the action for the internal result a
   * select was handed; one that does nothing when that result is not an element (the channel was
   * closed).
   *
   * @param engine the channel
   * @param closedToken the internal result that stands for "closed"
   * @return the constructor, as kotlinx's raw {@code Function3}
   */
  @SuppressWarnings({"rawtypes", "unchecked"}) // the internal result is one of the channel's Es
  static <E> Function3 giveBackConstructor(BufferedChannel<E> engine, Object closedToken) {
    return (Function3<SelectInstance<?>, Object, Object, Object>)
        (select, param, internalResult) ->
            new CancellationAction<>(
                engine, internalResult == closedToken ? null : (E) internalResult, false);
  }

  /**
   * The {@code onCancellationConstructor} of an {@code onReserve} clause: makes the action that
   * gives back the place a won reserve holds; one that does nothing when the channel was closed.
   *
   * @param engine the channel
   * @param closedToken the internal result that stands for "closed"
   * @return the constructor, as kotlinx's raw {@code Function3}
   */
  @SuppressWarnings({"rawtypes", "unchecked"}) // see giveBackConstructor
  static <E> Function3 releaseConstructor(BufferedChannel<E> engine, Object closedToken) {
    return (Function3<SelectInstance<?>, Object, Object, Object>)
        (select, param, internalResult) ->
            new CancellationAction<>(engine, null, internalResult != closedToken);
  }

  @Override
  public Unit invoke(Throwable cause) {
    if (element != null) {
      engine.giveBack(element);
    }
    if (releasePlace) {
      engine.releasePermit();
    }
    return Unit.INSTANCE;
  }

  @Override
  public Unit invoke(Throwable cause, Object value, CoroutineContext context) {
    return invoke(cause);
  }
}
