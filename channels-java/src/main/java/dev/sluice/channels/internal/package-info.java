/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The engine behind {@link dev.sluice.channels.Channel}: not public API. Exported only to the
 * Kotlin face ({@code dev.sluice.coroutines}), which plugs its own {@link
 * dev.sluice.channels.internal.Waiter} into it. {@code docs/algorithm.md} explains the algorithm
 * and why it neither loses nor duplicates.
 *
 * <h2>Memory-access vocabulary</h2>
 *
 * Fields that are read or written without the channel lock are accessed through {@link
 * java.lang.invoke.VarHandle}s, and each access is named by its mode:
 *
 * <ul>
 *   <li>{@code lv}: volatile load.
 *   <li>{@code lp}: plain load.
 *   <li>{@code sv}: volatile store.
 *   <li>{@code so}: ordered (release) store.
 *   <li>{@code cas}: compare-and-set, volatile semantics.
 * </ul>
 *
 * Fields guarded by a channel's lock are plain, and say so where they are declared. Every lock
 * acquisition is a {@link java.util.concurrent.locks.ReentrantLock}: no {@code synchronized}
 * anywhere, so a waiting virtual thread never pins its carrier.
 *
 * <h2>Linearization points</h2>
 *
 * Each operation takes effect at one place, marked {@code // LP:} in the code: the claim of a
 * waiter ({@code cas} of its state) or a change of the buffer under the lock.
 */
@NullMarked
package dev.sluice.channels.internal;

import org.jspecify.annotations.NullMarked;
