/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: a reader marks a version as seen only under its watch's lock, and a wait that marks
// nothing (interrupted, timed out, cancelled, withdrawn) leaves the change and its token for a
// later
// wait; once the reader or its watch is closed, a token stays in its signal so every wait learns
// it.
package dev.sluice.channels.internal;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.SelectClause;
import dev.sluice.channels.internal.Signal.Wakeups;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The state machine behind one {@code dev.sluice.channels.Watch.Reader}: the version it saw last,
 * whether it is closed, and its {@link Signal}. The public class delegates here; its javadoc is the
 * contract of each method, and explains how waiting works.
 *
 * <p>Implementation notes. {@link #seen} and {@link #closed}, and the signal's {@code pending}, are
 * guarded by the watch's lock. Under it, a set puts a token in the signal for a reader that has
 * none pending, and a mark takes it out. Every wait is a receive of the token through the signal's
 * faces, then a look under the lock ({@link #take()}).
 *
 * @param <E> the type of the value
 */
public final class ReaderCore<E> {
  private final WatchCore<E> watch;

  /** Its {@code pending}: whether a token was put in the signal since the last mark. */
  private final Signal signal = new Signal();

  /** The version this reader saw last. */
  private long seen;

  private boolean closed;

  ReaderCore(WatchCore<E> watch, long seen) {
    this.watch = watch;
    this.seen = seen;
  }

  /**
   * The channel of this reader's tokens, for a face that waits on it itself (the Kotlin face): a
   * wait receives a token, then looks again with {@link #tryChanged()}.
   *
   * @return the signal's channel
   */
  public BufferedChannel<Object> signal() {
    return signal.channel;
  }

  /** Puts a token in the signal unless one is pending; a wait it wakes goes to {@code woken}. */
  void signalLocked(Wakeups woken) {
    signal.raiseLocked(woken);
  }

  /**
   * Marks {@code v}, the current version, as seen, and takes the tokens out: nothing is left to
   * look at. Under the lock. Once the watch or this reader is closed, the closed state is always
   * left to look at, and a wait registered later (a select's included) must find a token to learn
   * it: then no token is taken out, and the caller, which may hold the one that woke it, puts one
   * back with {@link #keepToken()} after the unlock.
   *
   * @return whether the caller must call {@link #keepToken()}
   */
  private boolean markLocked(long v) {
    seen = v;
    if (watch.closed || closed) {
      return true;
    }
    if (signal.pending) {
      while (signal.channel.tryReceive() != null) {
        // drain: a token given back by a cancelled coroutine may have joined the set's
      }
      signal.pending = false;
    }
    return false;
  }

  /** Makes sure a token is in the signal (for the closed state); with no lock held. */
  private void keepToken() {
    watch.signalling(
        woken -> {
          signal.ensureLocked(woken);
          return null;
        });
  }

  /**
   * The current value, without marking it.
   *
   * @return the current value
   */
  public E get() {
    return watch.get();
  }

  /**
   * The current value, marked as seen.
   *
   * @return the current value
   */
  public E getAndMark() {
    E v;
    boolean restore;
    watch.lock.lock();
    try {
      v = watch.value;
      restore = markLocked(watch.version);
    } finally {
      watch.lock.unlock();
    }
    if (restore) {
      keepToken();
    }
    return v;
  }

  /**
   * Whether the watch holds a value this reader has not seen.
   *
   * @return {@code true} if a change is there
   * @throws ChannelClosedException if this reader is closed, or the watch is and nothing is unseen
   */
  public boolean hasChanged() {
    watch.lock.lock();
    try {
      if (closed) {
        throw new ChannelClosedException("reader is closed", null);
      }
      if (seen != watch.version) {
        return true;
      }
      if (watch.closed) {
        throw closedException();
      }
      return false;
    } finally {
      watch.lock.unlock();
    }
  }

  /**
   * The look of every wait, under the lock: takes a value this reader has not seen (marking it), or
   * reports the closed state (keeping its token for later waits), or finds nothing.
   *
   * @return the value, or {@code null} if there is none now
   * @throws ChannelClosedException if this reader is closed, or the watch is closed and this reader
   *     has seen its last value
   */
  public @Nullable E tryChanged() {
    E value = null;
    boolean restore;
    watch.lock.lock();
    try {
      if (!closed && seen != watch.version) {
        value = watch.value;
        restore = markLocked(watch.version);
      } else if (!closed && !watch.closed) {
        return null;
      } else {
        restore = true; // closed: this call may hold the token that told it so
      }
    } finally {
      watch.lock.unlock();
    }
    if (restore) {
      keepToken();
    }
    if (value == null) {
      throw closedException();
    }
    return value;
  }

  /**
   * Waits for a value this reader has not seen, marks it and returns it.
   *
   * @return the value
   * @throws InterruptedException if interrupted before or while waiting; nothing was marked
   * @throws ChannelClosedException as {@link #tryChanged()}
   */
  public E changed() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    while (true) {
      E v = tryChanged();
      if (v != null) {
        return v;
      }
      signal.channel.receive(); // the token: look again
    }
  }

  /**
   * Waits at most {@code timeout} for a value this reader has not seen, as {@link #changed()}.
   *
   * @param timeout how long to wait at most; clamped by {@link Deadline}
   * @return the value, or {@code null} if nothing changed in time (nothing was marked)
   * @throws InterruptedException if interrupted before or while waiting
   * @throws ChannelClosedException as {@link #tryChanged()}
   * @throws NullPointerException if {@code timeout} is null
   */
  public @Nullable E changed(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    return changedUntil(Deadline.after(Deadline.timeoutNanos(timeout)));
  }

  /**
   * {@link #changed(Duration)} against a deadline the caller made already (one deadline for several
   * waits); does not look at the interrupt status first.
   *
   * @param deadline from {@link Deadline#after}
   * @return the value, or {@code null} if nothing changed by the deadline (nothing was marked)
   * @throws InterruptedException if interrupted while waiting
   * @throws ChannelClosedException as {@link #tryChanged()}
   */
  public @Nullable E changedUntil(long deadline) throws InterruptedException {
    while (true) {
      E v = tryChanged();
      if (v != null) {
        return v;
      }
      if (Deadline.nanosLeft(deadline) == 0 || signal.channel.receiveUntil(deadline) == null) {
        return null;
      }
    }
  }

  /**
   * A future of the next value this reader has not seen, marked before the future completes.
   *
   * @return the future
   */
  public CompletableFuture<E> changedAsync() {
    AsyncChange op = new AsyncChange();
    op.await();
    return op.future();
  }

  /**
   * One {@link #changedAsync()}: the claim is decided under the watch's lock, before the mark, so a
   * withdrawal that wins marks nothing.
   */
  private final class AsyncChange extends AsyncClaim<E> {
    AsyncChange() {
      super(signal.channel);
    }

    /** Delivers a change or the closed state if there is one, or waits for a token. */
    void await() {
      if (!tryDeliver()) {
        awaitToken();
      }
    }

    @Override
    protected void tokenCame() {
      await(); // look again
    }

    @Override
    protected void tokenAfterWithdrawal() {
      giveBackToken();
    }

    /**
     * Completes the future with a change, if there is one, or with the closed exception, claiming
     * it under the lock before marking: a withdrawal that wins marks nothing, so a {@link
     * #tryChanged()} right after a successful cancel sees the change.
     *
     * @return whether this wait is done (completed, or withdrawn)
     */
    private boolean tryDeliver() {
      E value = null;
      boolean restore = false;
      boolean withdrawn = false;
      watch.lock.lock();
      try {
        if (!closed && seen != watch.version) {
          if (claim()) {
            value = watch.value;
            restore = markLocked(watch.version);
          } else {
            withdrawn = true;
          }
        } else if (!closed && !watch.closed) {
          return false;
        } else {
          restore = true; // closed: this call may hold the token that told it so
          withdrawn = !claim();
        }
      } finally {
        watch.lock.unlock();
      }
      if (restore) {
        keepToken();
      }
      if (withdrawn) {
        giveBackToken(); // a token this look may hold is for the change it did not mark
      } else if (value == null) {
        fail(closedException());
      } else {
        settle(value);
      }
      return true;
    }
  }

  /** Puts back a token that a wait took and did not act on, so that the change is seen later. */
  private void giveBackToken() {
    watch.signalling(
        woken -> {
          if (signal.pending) {
            signal.ensureLocked(woken);
          }
          return null;
        });
  }

  /**
   * A select clause chosen when a change is there: it marks it, then applies {@code then}.
   *
   * @param then computes the select's result from the value
   * @param <R> the select's result type
   * @return the clause
   * @throws NullPointerException if {@code then} is null
   */
  public <R> SelectClause<R> onChanged(Function<? super E, ? extends R> then) {
    Objects.requireNonNull(then, "then");
    return signal.channel.onReceive(
        token -> {
          E v = tryChanged();
          // None only if another wait on this reader marked the change first (see the class
          // comment of Watch.Reader): this select still saw it, and gets the current value.
          return then.apply(v != null ? v : get());
        });
  }

  /** Unsubscribes: the watch stops signalling this reader, and its waits fail from now on. */
  public void close() {
    watch.signalling(
        woken -> {
          if (!closed) {
            closed = true;
            watch.members.remove(this);
            signalLocked(woken);
          }
          return null;
        });
  }

  /**
   * A snapshot for debugging: the version seen against the watch's, pending, closed.
   *
   * @return a description of this reader's state
   */
  @Override
  public String toString() {
    watch.lock.lock();
    try {
      return "Watch.Reader[seen "
          + seen
          + " of "
          + watch.version
          + (signal.pending ? ", pending" : "")
          + (closed ? ", closed" : "")
          + ", signal "
          + signal.channel
          + "]";
    } finally {
      watch.lock.unlock();
    }
  }

  private ChannelClosedException closedException() {
    return new ChannelClosedException(closed ? "reader is closed" : "watch is closed", null);
  }
}
