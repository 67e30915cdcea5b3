/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: every open member (a broadcast's subscriber, a watch's reader) is in members, and
// every change that a member must learn of (a send, a new value, the close) raises the signal of
// each one before the lock is released; a member made on a closed kind starts with its signal
// raised, so that its first wait finds the kind closed.
package dev.sluice.channels.internal;

import dev.sluice.channels.internal.Signal.Wakeups;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * What a broadcast and a watch share: one lock, the closed flag, and the open members, each with a
 * signal of its own that every change raises. The waits a raise wakes are resumed after the unlock
 * ({@link #signalling}).
 *
 * @param <M> the member type
 */
abstract class SignalledKind<M> {
  /** Guards {@link #closed}, {@link #members} and the kind's own state. */
  final ReentrantLock lock = new ReentrantLock();

  /** Set once, by {@link #close()}; guarded by {@link #lock}. */
  boolean closed;

  /** The open members; guarded by {@link #lock}. */
  final List<M> members = new ArrayList<>();

  /** Raises {@code member}'s signal, adding the waits it wakes to {@code woken}. Under the lock. */
  abstract void raiseLocked(M member, Wakeups woken);

  /** Raises the signal of every open member. Under the lock. */
  final void raiseAllLocked(Wakeups woken) {
    for (M m : members) {
      raiseLocked(m, woken);
    }
  }

  /**
   * Makes {@code member} one of the open members; on a closed kind, raises its signal instead, so
   * that it finds the kind closed. Under the lock.
   */
  final void joinLocked(M member, Wakeups woken) {
    if (closed) {
      raiseLocked(member, woken); // the closed state's token; nobody waits on the member yet
    } else {
      members.add(member);
    }
  }

  /**
   * Closes the kind, and signals every member so that it finds it closed.
   *
   * @return {@code true} if this call closed it, {@code false} if it was closed before
   */
  public final boolean close() {
    return signalling(
        woken -> {
          if (closed) {
            return false;
          }
          closed = true;
          raiseAllLocked(woken);
          return true;
        });
  }

  /**
   * Whether the kind is closed.
   *
   * @return {@code true} once {@link #close()} was called
   */
  public final boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** How many members are open. */
  final int memberCount() {
    lock.lock();
    try {
      return members.size();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code body} under the lock, and resumes the waits it woke after the unlock. */
  final <T> T signalling(Function<Wakeups, T> body) {
    return Signal.signalling(lock, body);
  }
}
