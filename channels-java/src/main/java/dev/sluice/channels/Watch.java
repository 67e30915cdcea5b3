/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: a thin face. Every member delegates to the watch's state machine in
// dev.sluice.channels.internal (WatchCore, ReaderCore), which keeps the watch's invariants; this
// file holds the public contract, its javadoc, and no state of its own.
package dev.sluice.channels;

import dev.sluice.channels.internal.Deadline;
import dev.sluice.channels.internal.Engines;
import dev.sluice.channels.internal.ReaderCore;
import dev.sluice.channels.internal.WatchCore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
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
 * {@code changed} once more, and then every {@code changed} fails with {@link
 * ChannelClosedException} instead of waiting; readers waiting when the watch closes are released
 * so.
 *
 * <p>Values are never {@code null}. Sets, updates and marks are atomic and totally ordered: a
 * reader never sees a value older than one it saw before. Actions in a thread before it sets a
 * value happen-before the actions of a reader after it read that value. No method holds a lock
 * while it waits or runs user code, except {@link #update}, whose function runs under the watch's
 * lock, and {@link #setIfChanged}, whose {@code equals} does (keep both short, and do not call the
 * watch from them). Readers woken by a set are resumed after the watch's lock is released:
 * callbacks of their futures and selects never run under it.
 *
 * @param <E> the type of the value, never {@code null}
 */
public final class Watch<E> {
  /** The state machine: value, version, readers, close. */
  private final WatchCore<E> core;

  private Watch(WatchCore<E> core) {
    this.core = core;
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
    return new Watch<>(new WatchCore<>(initial));
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
    core.set(value);
  }

  /**
   * Replaces the value and returns the one it replaced, in one step: no other set comes between the
   * two. Every reader sees the change, as after {@link #set}.
   *
   * @param value the new value
   * @return the value it replaced
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code value} is null
   */
  public E getAndSet(E value) {
    return core.getAndSet(value);
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
    return core.setIfChanged(value);
  }

  /**
   * Replaces the value with {@code f} applied to it, atomically: no other set comes between the
   * read and the write. {@code f} runs under the watch's lock, in the calling thread: it must be
   * short and must not use this watch. If it throws, nothing changes.
   *
   * @param f computes the new value from the current one; it must not return {@code null}
   * @return the new value
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code f} is null or returns null
   */
  public E update(UnaryOperator<E> f) {
    return core.update(f);
  }

  /**
   * The current value (the last one set, or the initial one), whether or not the watch is closed.
   * Takes no lock.
   *
   * @return the current value
   */
  public E get() {
    return core.get(); // a volatile read: as cheap as a field, for readers that poll
  }

  /**
   * Closes the watch: sets fail from now on, and readers, once they have seen the last value, fail
   * instead of waiting. Readers waiting now are released.
   *
   * @return {@code true} if this call closed the watch, {@code false} if it was closed before
   */
  public boolean close() {
    return core.close();
  }

  /**
   * Whether the watch is closed.
   *
   * @return {@code true} once {@link #close()} was called
   */
  public boolean isClosed() {
    return core.isClosed();
  }

  /**
   * How many readers are subscribed and not closed.
   *
   * @return the number of readers
   */
  public int readerCount() {
    return core.readerCount();
  }

  /**
   * A new reader, which has seen the current value: its first {@code changed} waits for the next
   * set. Call {@link Reader#getAndMark()} to read the current value first. Close readers that are
   * no longer used: the watch signals every open one on each set.
   *
   * @return a new reader
   */
  public Reader<E> subscribe() {
    return new Reader<>(core.subscribe());
  }

  /**
   * A snapshot for debugging: whether the watch is closed, its version (how many values were set)
   * and its reader count. It takes the watch's lock for a moment; its format may change.
   *
   * @return a description of this watch's state
   */
  @Override
  public String toString() {
    return core.toString();
  }

  /**
   * One reader of a {@link Watch}: it reads the current value, and waits for values it has not
   * seen.
   *
   * <h2>How waiting works</h2>
   *
   * Each reader owns a one-element channel, its <em>signal</em>. Under the watch's lock, a set puts
   * a token there for a reader that has none pending, and a mark takes it out: so a token is there
   * (or in the hands of a wait it woke) while the reader has something to look at, a value it has
   * not seen or the closed watch. Every wait is a receive of the token through the channel's faces,
   * with their guarantees: a wait that is interrupted, times out, or is cancelled took no token, or
   * gives it back, and marks nothing. A wait that got the token looks again, under the lock.
   *
   * <p>A reader is meant for one thread or coroutine at a time, like an iterator. Two waits on one
   * reader at once see each change once between them, not once each; and a coroutine cancelled in a
   * wait should be joined before the reader is used elsewhere.
   *
   * @param <E> the type of the value
   */
  public static final class Reader<E> implements AutoCloseable {
    static {
      Engines.registerReaderCores(r -> ((Reader<?>) r).core);
    }

    /** The state machine: seen version, closed, signal. */
    private final ReaderCore<E> core;

    Reader(ReaderCore<E> core) {
      this.core = core;
    }

    /**
     * The current value, without marking it as seen.
     *
     * @return the current value
     */
    public E get() {
      return core.get();
    }

    /**
     * The current value, marked as seen: {@code changed} waits for a newer one from now on.
     *
     * @return the current value
     */
    public E getAndMark() {
      return core.getAndMark();
    }

    /**
     * Whether the watch holds a value this reader has not seen.
     *
     * @return {@code true} if {@code changed} would return at once with a value
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and this
     *     reader has seen its last value
     */
    public boolean hasChanged() {
      return core.hasChanged();
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
      return core.tryChanged();
    }

    /**
     * Waits until the watch holds a value this reader has not seen, marks it as seen, and returns
     * it. Several sets since the last mark are seen as one: the latest value.
     *
     * @return the value, newer than every value this reader saw before
     * @throws InterruptedException if the thread was interrupted before or while waiting; nothing
     *     was marked
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and this
     *     reader has seen its last value
     */
    public E changed() throws InterruptedException {
      return core.changed();
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
      return core.changed(timeout);
    }

    /**
     * A future of the next value this reader has not seen, as {@link #changed()}: completed at once
     * if there is one, or exceptionally with {@link ChannelClosedException} as {@code changed}
     * throws it. The value is marked as seen before the future completes, so its dependents may
     * wait for the next change at once.
     *
     * <p>Cancelling the future, or completing it from outside ({@code orTimeout}, {@code
     * complete}), withdraws the wait first, and reports success only if nothing was marked: the
     * change stays this reader's to see, at once. A cancel that reports failure came too late, and
     * the future completes with the value it marked. Dependents run in the completing thread (often
     * the setter's), never under the watch's lock; one that blocks holds up that set's wake-ups of
     * other readers.
     *
     * @return a future of the changed value
     */
    public CompletableFuture<E> changedAsync() {
      return core.changedAsync();
    }

    /**
     * Waits until the value satisfies {@code condition}, and returns it, marked as seen (Tokio's
     * {@code wait_for}). The current value is tested first, so a value that satisfies it already
     * returns at once; after that, each change this reader sees is tested as {@link #changed()}
     * returns it. Several sets between two looks are seen as one, the latest: a value that
     * satisfied the condition and was replaced before this reader looked is not seen.
     *
     * <p>{@code condition} runs in the calling thread, outside the watch's lock; what it throws
     * comes out of this call, with the value it was testing marked as seen.
     *
     * @param condition what the value must satisfy
     * @return the first value seen that satisfies it
     * @throws InterruptedException if the thread was interrupted before or while waiting
     * @throws ChannelClosedException if this reader is closed, or the watch is closed and no value
     *     it holds satisfies the condition
     * @throws NullPointerException if {@code condition} is null
     */
    public E waitFor(Predicate<? super E> condition) throws InterruptedException {
      Objects.requireNonNull(condition, "condition");
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      for (E value = core.getAndMark(); ; value = core.changed()) {
        if (condition.test(value)) {
          return value;
        }
      }
    }

    /**
     * Waits at most {@code timeout} for a value that satisfies {@code condition}, as {@link
     * #waitFor(Predicate)}. A zero or negative timeout only tests the value there is.
     *
     * @param condition what the value must satisfy
     * @param timeout how long to wait at most
     * @return the first value seen that satisfies it, or {@code null} if none came in time (values
     *     seen meanwhile stay marked as seen)
     * @throws InterruptedException if the thread was interrupted before or while waiting
     * @throws ChannelClosedException as {@link #waitFor(Predicate)}
     * @throws NullPointerException if {@code condition} or {@code timeout} is null
     */
    public @Nullable E waitFor(Predicate<? super E> condition, Duration timeout)
        throws InterruptedException {
      Objects.requireNonNull(condition, "condition");
      long deadline =
          Deadline.after(Deadline.timeoutNanos(Objects.requireNonNull(timeout, "timeout")));
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      E value = core.getAndMark();
      while (!condition.test(value)) {
        value = core.changedUntil(deadline);
        if (value == null) {
          return null;
        }
      }
      return value;
    }

    /**
     * A future of the first value that satisfies {@code condition}, as {@link #waitFor(Predicate)}:
     * completed at once if the current value does, exceptionally with what {@code condition}
     * throws, or with {@link ChannelClosedException} as {@code waitFor} throws it. {@code
     * condition} runs in the thread that completes each wait, often the setter's.
     *
     * <p>Cancelling the future, or completing it from outside, withdraws the wait it is in, as
     * {@link #changedAsync()} describes; values tested before stay marked as seen.
     *
     * @param condition what the value must satisfy
     * @return a future of the value
     * @throws NullPointerException if {@code condition} is null
     */
    public CompletableFuture<E> waitForAsync(Predicate<? super E> condition) {
      Objects.requireNonNull(condition, "condition");
      CompletableFuture<E> result = new CompletableFuture<>();
      AtomicReference<CompletableFuture<E>> waiting = new AtomicReference<>();
      result.whenComplete(
          (v, failure) -> {
            CompletableFuture<E> w = waiting.get();
            if (w != null) {
              w.cancel(false);
            }
          });
      try {
        E value = core.getAndMark();
        if (condition.test(value)) {
          result.complete(value);
        } else {
          waitNext(condition, result, waiting);
        }
      } catch (Throwable failure) {
        result.completeExceptionally(failure);
      }
      return result;
    }

    /** One more wait of {@link #waitForAsync}, until {@code result} is done. */
    private void waitNext(
        Predicate<? super E> condition,
        CompletableFuture<E> result,
        AtomicReference<CompletableFuture<E>> waiting) {
      CompletableFuture<E> next = core.changedAsync();
      waiting.set(next);
      if (result.isDone()) {
        next.cancel(false); // withdrawn before this wait was published
        return;
      }
      next.whenComplete(
          (value, failure) -> {
            if (failure != null) {
              result.completeExceptionally(unwrap(failure));
              return;
            }
            try {
              if (condition.test(value)) {
                result.complete(value);
              } else if (!result.isDone()) {
                waitNext(condition, result, waiting);
              }
            } catch (Throwable thrown) {
              result.completeExceptionally(thrown);
            }
          });
    }

    private static Throwable unwrap(Throwable failure) {
      return failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause()
          : failure;
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
      return core.onChanged(then);
    }

    /**
     * Unsubscribes: the watch stops signalling this reader, and its waits, from now on and those
     * waiting now, fail with {@link ChannelClosedException}. Reading the current value still works.
     */
    @Override
    public void close() {
      core.close();
    }

    /**
     * A snapshot for debugging: the version this reader has seen against the watch's, and whether
     * the reader is closed. It takes the watch's lock for a moment; its format may change.
     *
     * @return a description of this reader's state
     */
    @Override
    public String toString() {
      return core.toString();
    }
  }
}
