/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

/**
 * One alternative of a {@link Select}: an operation to attempt and what to compute once it
 * happened.
 *
 * <p>Clauses come from {@link Sender#onSend}, {@link Receiver#onReceive}, {@link Select#onTimeout}
 * and {@link Select#orElse}. <b>This interface is not for implementing</b>: {@code Select} rejects
 * clauses it did not make. A clause has no effect until a select runs it, and may be used by
 * several selects, one after another or at once.
 *
 * @param <R> the type of result the clause gives its select
 */
public interface SelectClause<R> {}
