/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: tokens are sent and pending is changed only under the kind's lock, and the waits a
// token wakes are resumed only after that lock is released (signalling): no user code runs under
// it.
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * How the kinds that keep their own state (a {@link WatchCore}'s readers, a {@link BroadcastCore}'s
 * subscribers) wait through every face: each reader owns a signal, an engine channel bounded to one
 * element that carries a token meaning "look again". A wait is a receive of the token through the
 * engine's faces, which keep their promises under interruption, timeouts and cancellation; then a
 * look at the kind's state, under the kind's lock (ADR 0004).
 *
 * <p>Tokens are sent under the kind's lock, with {@link BufferedChannel#trySendDeferred}: waits a
 * token wakes are resumed by {@link #signalling} after the unlock, so no user code runs under it.
 * {@link #pending} is the kind's to interpret: for a watch reader, a token was sent since its last
 * mark; for a broadcast subscriber, the one token exists.
 */
final class Signal {
  /** What a signal carries. */
  static final Object TOKEN = new Object();

  /** The channel of tokens. Its waits are the reader's waits. */
  final BufferedChannel<Object> channel = new BufferedChannel<>(1, BufferOverflow.SUSPEND, null);

  /** Guarded by the kind's lock. */
  boolean pending;

  /** Sends a token unless one is pending; under the kind's lock. */
  void raiseLocked(Wakeups woken) {
    if (!pending) {
      pending = true;
      sendLocked(woken);
    }
  }

  /** Makes sure a token is in the channel, or handed to a wait in {@code woken}; under the lock. */
  void ensureLocked(Wakeups woken) {
    pending = true;
    if (channel.isEmpty()) {
      sendLocked(woken);
    }
  }

  /**
   * Sends a token; a wait it claims goes to {@code woken}. FULL only if a token came back from a
   * cancelled wait meanwhile: one is enough. If a kotlinx select waits here and the caller is not
   * in a claim frame, the token is sent again inside one by {@link #signalling}.
   */
  void sendLocked(Wakeups woken) {
    if (channel.trySendDeferred(TOKEN, woken) == Outcome.NEEDS_FRAME) {
      woken.retry.add(this);
    }
  }

  /**
   * Runs {@code body} under {@code lock}; then, with the lock released, resumes the waits it woke.
   * The whole runs in a claim frame, so that a kotlinx select woken here also resumes after the
   * unlock.
   */
  static <T> T signalling(ReentrantLock lock, Function<Wakeups, T> body) {
    return Engines.inClaimFrame(
        () -> {
          Wakeups woken = new Wakeups();
          T result;
          lock.lock();
          try {
            result = body.apply(woken);
          } finally {
            lock.unlock();
            BufferedChannel.resumeAll(woken);
          }
          if (!woken.retry.isEmpty()) {
            // A kotlinx select waits on these signals, and this step began before the Kotlin face
            // installed its claim frame (the first kotlinx select in this JVM): send their tokens
            // again, now inside one.
            signalling(
                lock,
                again -> {
                  for (Signal s : woken.retry) {
                    s.ensureLocked(again);
                  }
                  return null;
                });
          }
          return result;
        });
  }

  /**
   * The waits that one locked step woke, to resume after the unlock; and the signals whose token
   * could not be sent outside a claim frame.
   */
  static final class Wakeups extends ArrayList<Waiter<?>> {
    private static final long serialVersionUID = 1L;

    final List<Signal> retry = new ArrayList<>(0);
  }
}
