/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.coroutines;

import kotlin.Unit;
import kotlin.jvm.functions.Function3;
import kotlinx.coroutines.selects.SelectClause1;
import kotlinx.coroutines.selects.SelectClause2;
import kotlinx.coroutines.selects.SelectInstance;
import org.jspecify.annotations.Nullable;

/**
 * A kotlinx {@code select} clause of a Sluice channel's coroutine view: {@code onReceive} and
 * {@code onReceiveCatching} (as a {@link SelectClause1}), {@code onSend} (as a {@link
 * SelectClause2}).
 *
 * <p>This class is Java on purpose. kotlinx's clause interfaces are sealed Kotlin interfaces whose
 * implementations are internal to kotlinx: Kotlin code elsewhere may not implement them, but their
 * class files name no permitted subclasses, so a Java class may. The logic lives in Kotlin ({@code
 * SelectClauses.kt}); this class only carries it.
 *
 * @param <P> the clause's parameter: the element of an {@code onSend}, unused otherwise
 * @param <Q> the value the clause selects
 */
@SuppressWarnings("rawtypes") // see getOnCancellationConstructor
final class SluiceSelectClause<P, Q> implements SelectClause1<Q>, SelectClause2<P, Q> {
  private final Object clauseObject;
  private final Function3<Object, SelectInstance<?>, Object, Unit> regFunc;
  private final Function3<Object, Object, Object, Object> processResFunc;
  private final @Nullable Function3 onCancellationConstructor;

  SluiceSelectClause(
      Object clauseObject,
      Function3<Object, SelectInstance<?>, Object, Unit> regFunc,
      Function3<Object, Object, Object, Object> processResFunc,
      @Nullable Function3 onCancellationConstructor) {
    this.clauseObject = clauseObject;
    this.regFunc = regFunc;
    this.processResFunc = processResFunc;
    this.onCancellationConstructor = onCancellationConstructor;
  }

  @Override
  public Object getClauseObject() {
    return clauseObject;
  }

  @Override
  public Function3<Object, SelectInstance<?>, Object, Unit> getRegFunc() {
    return regFunc;
  }

  @Override
  public Function3<Object, Object, Object, Object> getProcessResFunc() {
    return processResFunc;
  }

  /**
   * The raw type covers both shapes kotlinx has given this function's result: a {@code (Throwable)
   * -> Unit} up to 1.8, a {@code (Throwable, Any?, CoroutineContext) -> Unit} from 1.9 on. The
   * actions returned ({@link CancellationAction}) are both.
   */
  @Override
  public @Nullable Function3 getOnCancellationConstructor() {
    return onCancellationConstructor;
  }
}
