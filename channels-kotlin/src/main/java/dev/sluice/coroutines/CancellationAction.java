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
 * What a kotlinx select does with an element it was handed by an {@code onReceive} or {@code
 * onReceiveCatching} clause when the select's coroutine turns out cancelled before it could use it:
 * give the element back to the channel ({@link BufferedChannel#giveBack}).
 *
 * <p>kotlinx calls this action with one argument up to 1.8 and with three from 1.9 on; it is both.
 *
 * @param <E> the element type
 */
final class CancellationAction<E>
    implements Function1<Throwable, Unit>, Function3<Throwable, Object, CoroutineContext, Unit> {
  private final BufferedChannel<E> engine;
  private final @Nullable E element;

  private CancellationAction(BufferedChannel<E> engine, @Nullable E element) {
    this.engine = engine;
    this.element = element;
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
                engine, internalResult == closedToken ? null : (E) internalResult);
  }

  @Override
  public Unit invoke(Throwable cause) {
    if (element != null) {
      engine.giveBack(element);
    }
    return Unit.INSTANCE;
  }

  @Override
  public Unit invoke(Throwable cause, Object value, CoroutineContext context) {
    return invoke(cause);
  }
}
