/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Channels that Java threads, {@link java.util.concurrent.CompletableFuture}-based code and Kotlin
 * coroutines share.
 *
 * <p>Start at {@link dev.sluice.channels.Channel}: {@link
 * dev.sluice.channels.Channel#bounded(int)}, {@link dev.sluice.channels.Channel#unbounded()} and
 * {@link dev.sluice.channels.Channel#rendezvous()} make multi-producer multi-consumer channels;
 * {@link dev.sluice.channels.Select} waits on several channels at once.
 *
 * <p>Every type in this package rejects {@code null} where it is not marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.channels;

import org.jspecify.annotations.NullMarked;
