/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * Whether the current thread should spin before it parks, and for how long.
 *
 * <p>A platform thread spins: on a multi-core machine the counterpart is usually running, and a
 * park plus unpark costs an OS context switch. A virtual thread does not: while it spins it holds a
 * carrier that its counterpart (often another virtual thread) may be waiting for, and its park is a
 * cheap unmount. Measured on the 2-core bench machine ({@code ThroughputBounded}, capacity 16,
 * SPSC): spinning virtual threads moved 0.56 elements/us, against 4.8 for {@code
 * ArrayBlockingQueue} on virtual threads, which parks at once.
 *
 * <p>This module compiles for Java 17, which has no {@code Thread.isVirtual()}; it is looked up
 * once, and every thread is a platform thread where it does not exist.
 */
final class Spinning {
  private Spinning() {}

  private static final @Nullable MethodHandle IS_VIRTUAL = findIsVirtual();

  private static @Nullable MethodHandle findIsVirtual() {
    try {
      return MethodHandles.publicLookup()
          .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
    } catch (NoSuchMethodException | IllegalAccessException beforeJava21) {
      return null;
    }
  }

  /** Whether the current thread is a virtual thread. */
  static boolean currentIsVirtual() {
    MethodHandle isVirtual = IS_VIRTUAL;
    if (isVirtual == null) {
      return false;
    }
    try {
      return (boolean) isVirtual.invokeExact(Thread.currentThread());
    } catch (Throwable impossible) {
      throw new AssertionError(impossible);
    }
  }

  /**
   * How many spins the current thread should make: {@code spins} for a platform thread, none for a
   * virtual thread.
   */
  static int forCurrentThread(int spins) {
    return spins == 0 || currentIsVirtual() ? 0 : spins;
  }
}
