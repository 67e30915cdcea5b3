/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A scope in which a claim may resume its waiter's code on the spot, and that code is held back
 * until the scope ends: what lets the engine claim waiters whose claim cannot be split from their
 * resumption.
 *
 * <p>The engine claims under the channel's lock and resumes after the unlock ({@link
 * Waiter#resume()}). A kotlinx.coroutines select cannot be claimed that way: its {@code trySelect}
 * both decides and resumes the select's coroutine, and a coroutine on a dispatcher that does not
 * dispatch ({@code Dispatchers.Unconfined}, an immediate one) would then run in the claiming
 * thread, inside the lock. The Kotlin face installs a frame ({@link #install}) that runs its body
 * inside kotlinx's unconfined event loop: resumptions made in the body are queued, and run when the
 * body has returned, after every unlock.
 *
 * <p>An operation that locks a channel with such waiters queued ({@link Waiter#resumesInClaim()})
 * unlocks again, before it changed anything, and starts over inside a frame ({@link #call}).
 */
public abstract class ClaimFrame {
  private static volatile @Nullable ClaimFrame installed;

  /**
   * How deeply the current thread is inside frames; an int[] so that entering allocates nothing.
   */
  private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

  /** For subclasses. */
  protected ClaimFrame() {}

  /**
   * Installs the frame of the face whose waiters need one (the Kotlin face's); the first
   * installation stays.
   *
   * @param frame the frame
   */
  public static void install(ClaimFrame frame) {
    if (installed == null) {
      installed = frame;
    }
  }

  /**
   * Runs {@code body} in this thread, before returning, in a scope that holds back the resumptions
   * made in it until the body has returned. Rethrows what the body throws.
   *
   * @param body the code to run
   */
  protected abstract void open(Runnable body);

  /** Whether a face installed a frame. */
  static boolean isInstalled() {
    return installed != null;
  }

  /** Whether the current thread is inside a frame. */
  static boolean inside() {
    return DEPTH.get()[0] > 0;
  }

  /** Runs {@code op} inside a frame and returns its result. */
  static <T> T call(Supplier<T> op) {
    Object[] result = new Object[1];
    Runnable body =
        () -> {
          int[] depth = DEPTH.get();
          depth[0]++;
          try {
            result[0] = op.get();
          } finally {
            depth[0]--;
          }
        };
    ClaimFrame frame = installed;
    if (frame == null) {
      // No face installed one: its waiters hold nothing back, and need no frame but the depth.
      body.run();
    } else {
      frame.open(body);
    }
    @SuppressWarnings("unchecked") // result[0] was set by op, a Supplier<T>
    T t = (T) result[0];
    return t;
  }
}
