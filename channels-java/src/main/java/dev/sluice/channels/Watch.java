/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.Signal.Wakeups;
import dev.sluice.channels.internal.Deadline;
import dev.sluice.channels.internal.Engines;
import dev.sluice.channels.internal.WaiterFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Holds the latest value, starting from an initial one: senders replace it, readers read it at any
 * time and wait for it to change. Configuration, status and progress are typical contents: what
 * matters is the newest value, not every value in between.
 *
 * <p>Each reader ({@link #subscribe()}) remembers the last value it <em>marked as seen</em>. {@link
 * Reader#changed()} waits until the watch holds a value the reader has not seen, then marks it and
 * returns it: several changes between two reads are seen as one, the latest. A reader waits through
 * every face: blocking, timed, {@link Reader#changedAsync()}, a {@link Select} clause ({@link
 * Reader#onChanged}), and from Kotlin a suspending call and a {@code Flow} ({@code
 * dev.sluice.coroutines}).
 *
 * <p>{@link #close()} ends the watch: sets fail from then on with {@link ChannelClosedException};
 * readers still see the last value ({@link #get()}), a reader that has not seen it gets it from
 * {@code changed} once more, and then every {@code changed} fails with {@link ChannelClosedException}
 * instead of waiting; readers waiting when the watch closes are released so.
 *
 * <p>Values are never {@code null}. Sets, updates and marks are atomic and totally ordered: a reader
 * never sees a value older than one it saw before. Actions in a thread before it sets a value
 * happen-before the actions of a reader after it read that value. No method holds a lock while it
 * waits or runs user code, except {@link #update}, whose function runs under the watch's lock, and
 * {@link #setIfChanged}, whose {@code equals} does (keep both short, and do not call the watch from
 * them). Readers woken by a set are resumed after the watch's lock is released: callbacks of their
 * futures and selects never run under it.
 *
 * @param <E> the type of the value, never {@code null}
 */
public final class Watch<E> {
  static {
    Engines.register(Reader.class, r -> ((Reader<?>) r).signal.channel);
  }

  /** Guards every field below, and each reader's {@code seen}, {@code pending} and {@code closed}. */
  private final ReentrantLock lock = new ReentrantLock();

  /** Written under the lock; read without it by {@link #get()}, which needs no more than the latest. */
  private volatile E value;

  /** How many times the value was set; the initial value is version 0. */
  private long version;

  private boolean closed;

  private final List<Reader<E>> readers = new ArrayList<>();

  private Watch(E initial) {
    this.value = initial;
  }

  /**
   * Creates a watch holding {@code initial}.
   *
   * @param initial the first value
   * @param <E> the type of the value
   * @return a new, open watch
   * @throws NullPointerException if {@code initial} is null
   */
  public static <E> Watch<E> create(E initial) {
    return new Watch<>(Objects.requireNonNull(initial, "initial"));
  }

  // ---------------------------------------------------------------------------------------------
  // Senders.

  /**
   * Replaces the value. Every reader will see the change, even if the new value equals the old one
   * (use {@link #setIfChanged} to skip those).
   *
   * @param value the new value
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code value} is null
   */
  public void set(E value) {
    Objects.requireNonNull(value, "value");
    signalling(
        woken -> {
          checkOpen();
          publishLocked(value, woken);
          return null;
        });
  }

  /**
   * Replaces the value if the new one does not {@linkplain Object#equals equal} the current one; if
   * it does, nothing changes and no reader is woken. {@code equals} runs under the watch's lock.
   *
   * @param value the new value
   * @return {@code true} if the value was replaced
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code value} is null
   */
  public boolean setIfChanged(E value) {
    Objects.requireNonNull(value, "value");
    return signalling(
        woken -> {
          checkOpen();
          if (value.equals(this.value)) {
            return false;
          }
          publishLocked(value, woken);
          return true;
        });
  }

  /**
   * Replaces the value with {@code f} applied to it, atomically: no other set comes between the read
   * and the write. {@code f} runs under the watch's lock, in the calling thread: it must be short and
   * must not use this watch. If it throws, nothing changes.
   *
   * @param f computes the new value from the current one; it must not return {@code null}
   * @return the new value
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code f} is null or returns null
   */
  public E update(UnaryOperator<E> f) {
    Objects.requireNonNull(f, "f");
    return signalling(
        woken -> {
          checkOpen();
          E next = Objects.requireNonNull(f.apply(value), "the update returned null");
          publishLocked(next, woken);
          return next;
        });
  }

  /**
   * The current value (the last one set, or the initial one), whether or not the watch is closed.
   * Takes no lock.
   *
   * @return the current value
   */
  public E get() {
    return value; // a volatile read: as cheap as a field, for readers that poll
  }

  /**
   * Closes the watch: sets fail from now on, and readers, once they have seen the last value, fail
   * instead of waiting. Readers waiting now are released.
   *
   * @return {@code true} if this call closed the watch, {@code false} if it was closed before
   */
  public boolean close() {
    return signalling(
        woken -> {
          if (closed) {
            return false;
          }
          closed = true;
          for (Reader<E> r : readers) {
            r.signalLocked(woken); // wakes it: it finds the watch closed
          }
          return true;
        });
  }

  /**
   * Whether the watch is closed.
   *
   * @return {@code true} once {@link #close()} was called
   */
  public boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many readers are subscribed and not closed.
   *
   * @return the number of readers
   */
  public int readerCount() {
    lock.lock();
    try {
      return readers.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * A new reader, which has seen the current value: its first {@code changed} waits for the next
   * set. Call {@link Reader#getAndMark()} to read the current value first. Close readers that are no
   * longer used: the watch signals every open one on each set.
   *
   * @return a new reader
   */
  public Reader<E> subscribe() {
    lock.lock();
    try {
      Reader<E> r = new Reader<>(this, version);
      if (closed) {
        r.signalLocked(new Wakeups()); // the closed state's token; nobody waits on r yet
      } else {
        readers.add(r);
      }
      return r;
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new ChannelClosedException("watch is closed", null);
    }
  }

  private void publishLocked(E next, Wakeups woken) {
    value = next;
    version++;
    for (Reader<E> r : readers) {
      r.signalLocked(woken);
    }
  }

  /** Runs {@code body} under the lock, and resumes the waits it woke after the unlock. */
  private <T> T signalling(Function<Wakeups, T> body) {
    return Signal.signalling(lock, body);
  }

  /**
   * A snapshot for debugging: whether the watch is closed, its version (how many values were set)
   * and its reader count. It takes the watch's lock for a moment; its format may change.
   *
   * @return a description of this watch's state
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "Watch[" + (closed ? "closed, " : "") + "version " + version + ", " + readers.size()
          + " readers]";
    } finally {
      lock.unlock();
    }
  }

  /**
   * One reader of a {@link Watch}: it reads the current value, and waits for values it has not seen.
   *
   * <h2>How waiting works</h2>
   *
   * Each reader owns a one-element channel, its <em>signal</em>. Under the watch's lock, a set puts a
   * token there for a reader that has none pending, and a mark takes it out: so a token is there (or
   * in the hands of a wait it woke) while the reader has something to look at, a value it has not
   * seen or the closed watch. Every wait is a receive of the token through the channel's faces,
   * with their guarantees: a wait that is interrupted, times out, or is cancelled took no token, or
   * gives it back, and marks nothing. A wait that got the token looks again, under the lock.
   *
   * <p>A reader is meant for one thread or coroutine at a time, like an iterator. Two waits on one
   * reader at once see each change once between them, not once each; and a coroutine cancelled in
   * a wait should be joined before the reader is used elsewhere.
   *
   * @param <E> the type of the value
   */
  public static final class Reader<E> implements AutoCloseable {
    private final Watch<E> watch;
    /** Its {@code pending}: whether a token was put in the signal since the last mark. */
    private final Signal signal = new Signal();

    /** The version this reader saw last. */
    private long seen;

    private boolean closed;

    Reader(Watch<E> watch, long seen) {
      this.watch = watch;
      this.seen = seen;
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
            ensureTokenLocked(woken);
            return null;
          });
    }

    /** Makes sure a token is in the signal, or handed to a wait in {@code woken}. Under the lock. */
    private void ensureTokenLocked(Wakeups woken) {
      signal.ensureLocked(woken);
    }

    /**
     * The current value, without marking it as seen.
     *
     * @return the current value
     */
    public E get() {
      return watch.get();
    }

    /**
     * The current value, marked as seen: {@code changed} waits for a newer one from now on.
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
     * @return {@code true} if {@code changed} would return at once with a value
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and this
     *     reader has seen its last value
     */
    public boolean hasChanged() {
      watch.lock.lock();
      try {
        checkReaderOpen();
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
     * The value, marked as seen, if the watch holds one this reader has not seen; never waits.
     *
     * @return the value newer than every value this reader saw before, or {@code null} if there is
     *     none now
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and this
     *     reader has seen its last value
     */
    public @Nullable E tryChanged() {
      return take();
    }

    /**
     * The look of every wait, under the lock: takes a value this reader has not seen (marking it),
     * or reports the closed state (keeping its token for later waits), or finds nothing.
     *
     * @return the value, or {@code null} if there is none now
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and this
     *     reader has seen its last value
     */
    private @Nullable E take() {
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
     * Waits until the watch holds a value this reader has not seen, marks it as seen, and returns it.
     * Several sets since the last mark are seen as one: the latest value.
     *
     * @return the value, newer than every value this reader saw before
     * @throws InterruptedException if the thread was interrupted before or while waiting; nothing was
     *     marked
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and this
     *     reader has seen its last value
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
     * @param timeout how long to wait at most
     * @return the value, or {@code null} if nothing changed in time (nothing was marked)
     * @throws InterruptedException if the thread was interrupted before or while waiting
     * @throws ChannelClosedException as {@link #changed()}
     * @throws NullPointerException if {@code timeout} is null
     */
    public @Nullable E changed(Duration timeout) throws InterruptedException {
      Objects.requireNonNull(timeout, "timeout");
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      long deadline = Deadline.after(Deadline.timeoutNanos(timeout));
      while (true) {
        E v = tryChanged();
        if (v != null) {
          return v;
        }
        long left = Deadline.nanosLeft(deadline);
        if (left == 0 || signal.channel.receive(Duration.ofNanos(left)) == null) {
          return null;
        }
      }
    }

    /**
     * A future of the next value this reader has not seen, as {@link #changed()}: completed at once
     * if there is one, or exceptionally with {@link ChannelClosedException} as {@code changed}
     * throws it. The value is marked as seen before the future completes, so its dependents may
     * wait for the next change at once.
     *
     * <p>Cancelling the future, or completing it from outside ({@code orTimeout}, {@code complete}),
     * withdraws the wait first, and reports success only if nothing was marked: the change stays
     * this reader's to see, at once. A cancel that reports failure came too late, and the future
     * completes with the value it marked. Dependents run in the completing thread (often the
     * setter's), never under the watch's lock; one that blocks holds up that set's wake-ups of
     * other readers.
     *
     * @return a future of the changed value
     */
    public CompletableFuture<E> changedAsync() {
      AsyncChange op = new AsyncChange();
      awaitAsync(op);
      return op.result;
    }

    /**
     * One {@link #changedAsync()}: its future, and the claim that decides, under the watch's lock,
     * between marking a change for it and its withdrawal (cancel, {@code orTimeout}, an outside
     * {@code complete}), which then reports success only if nothing was marked.
     */
    private final class AsyncChange {
      private static final int OPEN = 0;
      private static final int CLAIMED = 1;
      private static final int WITHDRAWN = 2;

      final AtomicInteger state = new AtomicInteger(OPEN);
      final WaiterFuture<E> result = new WaiterFuture<>(this::withdraw);

      /** The wait for a token now under way. */
      volatile @Nullable CompletableFuture<Object> token;

      /** Withdraws the wait; {@code true} if nothing was or will be marked for it. */
      private boolean withdraw() {
        if (state.compareAndSet(OPEN, WITHDRAWN)) {
          CompletableFuture<Object> t = token;
          if (t != null) {
            t.cancel(false); // if the token came first, its callback puts it back
          }
          return true;
        }
        return state.get() == WITHDRAWN;
      }
    }

    private void awaitAsync(AsyncChange op) {
      if (tryDeliver(op)) {
        return;
      }
      CompletableFuture<Object> token = signal.channel.receiveAsync();
      op.token = token;
      if (op.state.get() == AsyncChange.WITHDRAWN) {
        token.cancel(false); // withdrawn before this wait was published
      }
      token.whenComplete(
          (t, e) -> {
            if (e != null) {
              return; // the wait was withdrawn: no token taken
            }
            if (op.state.get() != AsyncChange.OPEN) {
              giveBackToken(); // withdrawn after the token came
              return;
            }
            awaitAsync(op); // look again
          });
    }

    /**
     * Completes {@code op}'s future with a change, if there is one, or with the closed exception,
     * claiming it under the lock before marking: a withdrawal that wins marks nothing, so a
     * {@link #tryChanged()} right after a successful cancel sees the change.
     *
     * @return whether {@code op} is done (completed, or withdrawn)
     */
    private boolean tryDeliver(AsyncChange op) {
      E value = null;
      boolean restore = false;
      boolean withdrawn = false;
      watch.lock.lock();
      try {
        if (!closed && seen != watch.version) {
          if (op.state.compareAndSet(AsyncChange.OPEN, AsyncChange.CLAIMED)) {
            value = watch.value;
            restore = markLocked(watch.version);
          } else {
            withdrawn = true;
          }
        } else if (!closed && !watch.closed) {
          return false;
        } else {
          restore = true; // closed: this call may hold the token that told it so
          withdrawn = !op.state.compareAndSet(AsyncChange.OPEN, AsyncChange.CLAIMED);
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
        op.result.fail(closedException());
      } else {
        op.result.settle(value);
      }
      return true;
    }

    /** Puts back a token that a wait took and did not act on, so that the change is seen later. */
    private void giveBackToken() {
      watch.signalling(
          woken -> {
            if (signal.pending) {
              ensureTokenLocked(woken);
            }
            return null;
          });
    }

    /**
     * A {@link Select} clause that is chosen when the watch holds a value this reader has not seen:
     * it marks the value, then returns the result of {@code then}, which runs outside the watch's
     * lock. If the select chooses another clause, nothing is marked. If this reader is closed, or
     * the watch is closed and this reader has seen its last value, choosing this clause makes the
     * select fail with {@link ChannelClosedException}.
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
            // comment): this select still saw it, and gets the current value.
            return then.apply(v != null ? v : get());
          });
    }

    /**
     * Unsubscribes: the watch stops signalling this reader, and its waits, from now on and those
     * waiting now, fail with {@link ChannelClosedException}. Reading the current value still works.
     */
    @Override
    public void close() {
      watch.signalling(
          woken -> {
            if (!closed) {
              closed = true;
              watch.readers.remove(this);
              signalLocked(woken);
            }
            return null;
          });
    }

    /**
     * A snapshot for debugging: the version this reader has seen against the watch's, and whether
     * the reader is closed. It takes the watch's lock for a moment; its format may change.
     *
     * @return a description of this reader's state
     */
    @Override
    public String toString() {
      watch.lock.lock();
      try {
        return "Watch.Reader[seen " + seen + " of " + watch.version + (signal.pending ? ", pending" : "")
            + (closed ? ", closed" : "") + ", signal " + signal.channel + "]";
      } finally {
        watch.lock.unlock();
      }
    }

    private void checkReaderOpen() {
      if (closed) {
        throw new ChannelClosedException("reader is closed", null);
      }
    }

    private ChannelClosedException closedException() {
      return new ChannelClosedException(closed ? "reader is closed" : "watch is closed", null);
    }
  }
}
