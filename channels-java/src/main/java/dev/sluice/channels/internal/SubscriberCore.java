/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: exactly one token exists while a subscriber has something to receive (an element, a
// lag, or the closed state), in its signal or in the hands of one operation, and only that holder
// moves next or takes from givenBack: so each element is received once, and none is skipped
// unless a lag reports it.
package dev.sluice.channels.internal;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.LaggedException;
import dev.sluice.channels.SelectClause;
import dev.sluice.channels.internal.Signal.Wakeups;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The state machine behind one {@code dev.sluice.channels.Broadcast.Subscriber}: its position in
 * the ring, what futures gave back, whether it is closed, and its {@link Signal}. The public class
 * delegates here; its javadoc is the contract of each method, and explains how waiting works.
 *
 * <p>Implementation notes. An operation takes the token (receives it from the signal) before it
 * looks, and puts it back after its look if something is left ({@link #releaseLocked}); a send puts
 * one in if none exists. The look reads the ring without the lock when it can ({@link
 * #tryReadHeld}): only the token's holder moves {@link #next}. Everything else, {@link #givenBack}
 * and the closed states, is read under the broadcast's lock ({@link #nextLocked}).
 *
 * @param <E> the type of the elements
 */
public final class SubscriberCore<E> {
  /** A look's result: the broadcast is closed, and nothing is left to receive. */
  private static final Object CLOSED = new Object();

  /** A look's result: the subscriber is closed. */
  private static final Object UNSUBSCRIBED = new Object();

  /** A look's result: nothing to receive now (only if two threads use one subscriber at once). */
  private static final Object NOTHING = new Object();

  private final BroadcastCore<E> broadcast;

  /** Its {@code pending}: whether the one token exists. */
  final Signal signal = new Signal();

  /**
   * The sequence number of the next element to receive from the ring. Written only by the holder of
   * the token; read by others under the lock.
   */
  private volatile long next;

  private boolean closed;

  /**
   * Whether the look must take the lock: the subscriber is closed, or something was given back.
   * Written under the lock; read by the lock-free look.
   */
  private volatile boolean slow;

  /**
   * What futures took and could not deliver (they were cancelled first): elements and lags, to
   * receive before the ring. Null until needed.
   */
  private @Nullable ArrayDeque<Object> givenBack;

  SubscriberCore(BroadcastCore<E> broadcast, long next) {
    this.broadcast = broadcast;
    this.next = next;
  }

  /**
   * The broadcast this subscriber reads from.
   *
   * @return its core
   */
  public BroadcastCore<E> broadcast() {
    return broadcast;
  }

  /**
   * The channel of this subscriber's tokens, for a face that waits on it itself (the Kotlin face):
   * once it received a token, it calls {@link #look(boolean)}.
   *
   * @return the signal's channel
   */
  public BufferedChannel<Object> signal() {
    return signal.channel;
  }

  // ---------------------------------------------------------------------------------------------
  // The Java faces.

  /**
   * Waits for the next element and takes it.
   *
   * @return the next element
   * @throws InterruptedException if interrupted before or while waiting; nothing was received
   * @throws LaggedException if this subscriber fell behind
   * @throws ChannelClosedException if this subscriber, or the drained broadcast, is closed
   */
  public E receive() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    while (true) {
      signal.channel.receive(); // the token
      Object r = look(false, false);
      if (r != NOTHING) {
        return deliver(r);
      }
    }
  }

  /**
   * Waits at most {@code timeout} for the next element, as {@link #receive()}.
   *
   * @param timeout how long to wait at most; clamped by {@link Deadline}
   * @return the next element, or {@code null} if none came in time
   * @throws InterruptedException if interrupted before or while waiting
   * @throws LaggedException as {@link #receive()}
   * @throws ChannelClosedException as {@link #receive()}
   * @throws NullPointerException if {@code timeout} is null
   */
  public @Nullable E receive(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    long deadline = Deadline.after(Deadline.timeoutNanos(timeout));
    while (true) {
      // Once the deadline is over, the token's receive is a try.
      if (signal.channel.receiveUntil(deadline) == null) {
        return null;
      }
      Object r = look(false, false);
      if (r != NOTHING) {
        return deliver(r);
      }
    }
  }

  /**
   * The next element or the lag, if there is one now; never waits.
   *
   * @return an element, a {@link Lag} (without the element after the gap), or {@code null}
   * @throws ChannelClosedException if this subscriber, or the drained broadcast, is closed
   */
  public @Nullable Object tryReceive() {
    if (signal.channel.tryReceive() == null) {
      return null; // no token: nothing to receive (or another thread holds it)
    }
    Object r = look(false, false);
    return r == NOTHING ? null : r;
  }

  /**
   * A future of the next element or lag; a lag completes it normally.
   *
   * @param result turns what was received (an element, or a {@link Lag}) into the future's result
   * @param <R> the future's result type
   * @return the future
   */
  public <R> CompletableFuture<R> receiveAsync(Function<Object, R> result) {
    AsyncReceive<R> op = new AsyncReceive<>(result);
    op.awaitToken();
    return op.future();
  }

  /**
   * One {@link #receiveAsync}: the token stays in hand until the claim is decided, so that a
   * receive made after a successful withdrawal cannot overtake the element given back; it is handed
   * on before the future completes, so that the future's dependants may receive too.
   */
  private final class AsyncReceive<R> extends AsyncClaim<R> {
    private final Function<Object, R> result;

    AsyncReceive(Function<Object, R> result) {
      super(signal.channel);
      this.result = result;
    }

    @Override
    protected void tokenCame() {
      Object r;
      try {
        r = look(false, true);
      } catch (ChannelClosedException closedNow) {
        if (claim()) {
          fail(closedNow);
        }
        return;
      }
      if (r == NOTHING) {
        awaitToken();
      } else if (claim()) {
        release();
        settle(result.apply(r));
      } else {
        giveBack(r); // withdrawn meanwhile: it is this subscriber's to receive again
      }
    }

    @Override
    protected void tokenAfterWithdrawal() {
      release();
    }
  }

  /**
   * A select clause chosen when this subscriber has something to receive.
   *
   * @param then computes the select's result from the element
   * @param <R> the select's result type
   * @return the clause
   * @throws NullPointerException if {@code then} is null
   */
  public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
    Objects.requireNonNull(then, "then");
    return signal.channel.onReceive(
        token -> {
          Object r = look(false, false);
          if (r == NOTHING) {
            throw new IllegalStateException(
                "a subscriber used by several threads at once had nothing for its select");
          }
          return then.apply(deliver(r));
        });
  }

  /**
   * How many elements this subscriber can receive now without waiting.
   *
   * @return the number of elements, 0 if this subscriber is closed
   */
  public int size() {
    BroadcastCore<E> b = broadcast;
    b.lock.lock();
    try {
      if (closed) {
        return 0;
      }
      long n = b.tail - Math.max(next, b.tail - b.ring.length);
      if (givenBack != null) {
        for (Object g : givenBack) {
          n += g instanceof Lag ? 0 : 1;
        }
      }
      return (int) n;
    } finally {
      b.lock.unlock();
    }
  }

  /**
   * Whether this subscriber has nothing to receive now.
   *
   * @return {@code true} if a receive would wait (or, once closed, fail)
   */
  public boolean isEmpty() {
    broadcast.lock.lock();
    try {
      return closed || !hasNextLocked();
    } finally {
      broadcast.lock.unlock();
    }
  }

  /**
   * Whether receives fail now.
   *
   * @return {@code true} if a receive would throw {@link ChannelClosedException}
   */
  public boolean isClosedForReceive() {
    broadcast.lock.lock();
    try {
      return closed || (broadcast.closed && !hasNextLocked());
    } finally {
      broadcast.lock.unlock();
    }
  }

  /** Unsubscribes; its waits fail from now on. Closing twice does nothing. */
  public void close() {
    broadcast.signalling(
        woken -> {
          if (!closed) {
            closed = true;
            slow = true;
            givenBack = null;
            broadcast.members.remove(this);
            signal.raiseLocked(woken);
          }
          return null;
        });
  }

  /**
   * A snapshot for debugging: the next position against the broadcast's, closed, the signal.
   *
   * @return a description of this subscriber's state
   */
  @Override
  public String toString() {
    broadcast.lock.lock();
    try {
      return "Broadcast.Subscriber[next "
          + next
          + " of "
          + broadcast.tail
          + (closed ? ", closed" : "")
          + ", signal "
          + signal.channel
          + "]";
    } finally {
      broadcast.lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The look, with the token in hand.

  /**
   * The look of a face that took the token itself (the Kotlin face): takes what comes next, and
   * puts the token back if something is left.
   *
   * @param skipLag whether a lag also takes the element after the gap (into the {@link Lag})
   * @return an element, a {@link Lag}, or {@code null} for nothing (only if two callers use this
   *     subscriber at once)
   * @throws ChannelClosedException if nothing is left and this subscriber or the broadcast is
   *     closed
   */
  public @Nullable Object look(boolean skipLag) {
    Object r = look(skipLag, false);
    return r == NOTHING ? null : r;
  }

  /**
   * Takes what comes next, with the token in hand, and puts the token back if something is left;
   * with {@code keep}, a look that finds an element or a lag keeps the token, which the caller then
   * hands on with {@link #release()} or {@link #giveBack}.
   *
   * @return an element, a {@link Lag}, or {@link #NOTHING}
   * @throws ChannelClosedException if nothing is left and this subscriber or the broadcast is
   *     closed
   */
  private Object look(boolean skipLag, boolean keep) {
    if (!slow) {
      Object element = tryReadHeld(keep);
      if (element != null) {
        return element;
      }
    }
    Object r =
        broadcast.signalling(
            woken -> {
              Object out = nextLocked(skipLag);
              if (!keep || out == NOTHING || out == CLOSED || out == UNSUBSCRIBED) {
                releaseLocked(woken);
              }
              return out;
            });
    if (r == CLOSED || r == UNSUBSCRIBED) {
      throw new ChannelClosedException(
          r == CLOSED ? "broadcast is closed" : "subscriber is closed", null);
    }
    return r;
  }

  /**
   * The look's fast path, without the broadcast's lock: takes the next element if the ring holds it
   * and will not overwrite it while it is read, and hands the token on. Only the token's holder
   * moves {@link #next}, so nobody else takes the element.
   *
   * @param keep whether to keep the token instead of handing it on
   * @return the element, or {@code null} if the look needs the lock (nothing new, a lag, an element
   *     about to be overwritten)
   */
  private @Nullable Object tryReadHeld(boolean keep) {
    BroadcastCore<E> b = broadcast;
    int capacity = b.ring.length;
    long n = next;
    long t = b.tail;
    if (n >= t || t - n >= capacity) {
      return null; // nothing new, or a lag, or the oldest element held: the next send overwrites it
    }
    Object element = BroadcastCore.SLOT.getAcquire(b.ring, b.index(n));
    // The slot of n is overwritten by the send of n + capacity, which first sees the tail at
    // n + capacity: if the tail is still below that, the element read is n's.
    long after = b.tail;
    if (after - n >= capacity) {
      return null;
    }
    next = n + 1; // LP of a lock-free receive: only the token's holder writes next
    if (keep) {
      return element;
    }
    if (n + 1 < after) {
      signal.channel.trySend(Signal.TOKEN); // more to receive: the token goes back, no lock needed
    } else {
      release(); // perhaps the last: the lock decides between the token and a send under way
    }
    return element;
  }

  private Object nextLocked(boolean skipLag) {
    if (closed) {
      return UNSUBSCRIBED;
    }
    long missed = 0;
    while (givenBack != null && !givenBack.isEmpty()) {
      Object g = givenBack.pollFirst();
      slow = !givenBack.isEmpty();
      if (!(g instanceof Lag)) {
        return missed == 0 ? g : new Lag(missed, g);
      }
      if (!skipLag) {
        return g;
      }
      missed += ((Lag) g).missed;
    }
    BroadcastCore<E> b = broadcast;
    long oldest = b.tail - b.ring.length;
    if (next < oldest) {
      missed += oldest - next;
      next = oldest;
      if (!skipLag) {
        return new Lag(missed, null);
      }
    }
    if (next < b.tail) {
      Object element = b.ring[b.index(next)];
      next++;
      return missed == 0 ? element : new Lag(missed, element);
    }
    if (missed > 0) {
      return new Lag(missed, null); // a given-back lag, and nothing after it yet
    }
    return b.closed ? CLOSED : NOTHING;
  }

  /** Whether an element or a lag is left to receive; under the lock. */
  private boolean hasNextLocked() {
    return next < broadcast.tail || (givenBack != null && !givenBack.isEmpty());
  }

  /** Puts the token back if something is left to look at, or lets it go; under the lock. */
  private void releaseLocked(Wakeups woken) {
    if (closed || broadcast.closed || hasNextLocked()) {
      signal.sendLocked(woken);
    } else {
      signal.pending = false;
    }
  }

  /** Hands on a token held: taken and not looked with, or kept by a look. */
  private void release() {
    broadcast.signalling(
        woken -> {
          releaseLocked(woken);
          return null;
        });
  }

  /**
   * Returns what a future took, with the token kept, and could not deliver: it is received next.
   * Then hands the token on.
   */
  private void giveBack(Object taken) {
    broadcast.signalling(
        woken -> {
          if (!closed) {
            if (givenBack == null) {
              givenBack = new ArrayDeque<>(2);
            }
            givenBack.addFirst(taken);
            slow = true;
          }
          releaseLocked(woken);
          return null;
        });
  }

  @SuppressWarnings("unchecked")
  private E deliver(Object r) {
    if (r instanceof Lag) {
      throw new LaggedException(((Lag) r).missed);
    }
    return (E) r;
  }
}
