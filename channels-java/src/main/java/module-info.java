/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * Sluice channels: one queue for blocking threads, {@link java.util.concurrent.CompletableFuture}s
 * and (through {@code dev.sluice.coroutines}) Kotlin coroutines.
 *
 * <p>The public API is {@link dev.sluice.channels}. The engine in {@code
 * dev.sluice.channels.internal} is exported only to the Kotlin face, which registers its own
 * waiters in it.
 */
module dev.sluice.channels {
  requires static org.jspecify;

  exports dev.sluice.channels;
  exports dev.sluice.channels.internal to
      dev.sluice.coroutines;
}
