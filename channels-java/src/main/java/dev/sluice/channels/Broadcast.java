/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.Signal.Wakeups;
import dev.sluice.channels.internal.Deadline;
import dev.sluice.channels.internal.Engines;
import dev.sluice.channels.internal.Lag;
import dev.sluice.channels.internal.WaiterFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sends every element to every subscriber: each {@link Subscriber} receives, in order, every element
 * sent after it subscribed. Events, invalidations and log tails are typical contents: many readers
 * each need all of them.
 *
 * <p>The broadcast keeps the last {@link #capacity()} elements in a ring shared by all subscribers.
 * A send never waits for a slow subscriber: it overwrites the oldest element. A subscriber that fell
 * more than the capacity behind is told how many elements it missed, then goes on from the oldest
 * element still held: its blocking receive throws {@link LaggedException}; its {@link
 * Subscriber#tryReceive()} and {@link Subscriber#receiveAsync()} return a {@link Received} that says
 * so. A subscriber waits through every face: blocking, timed, try, {@code CompletableFuture}, a
 * {@link Select} clause ({@link Subscriber#onReceive}), and from Kotlin a kotlinx {@code
 * ReceiveChannel} and a {@code Flow} ({@code dev.sluice.coroutines}).
 *
 * <p>{@link #close()} ends the broadcast: sends fail from then on with {@link
 * ChannelClosedException}; each subscriber receives what it has not received yet, then fails with
 * {@link ChannelClosedException} instead of waiting. {@link Subscriber#close()} unsubscribes one
 * subscriber.
 *
 * <p>Elements are never {@code null}. Sends are atomic and totally ordered: every subscriber sees
 * them in the same order. Actions in a thread before it sends an element happen-before the actions
 * of a subscriber after it received that element. No method holds a lock while it waits or runs
 * user code; subscribers woken by a send are resumed after the broadcast's lock is released. The
 * ring keeps the last {@code capacity} elements reachable, received or not, until they are
 * overwritten or the broadcast is unreachable.
 *
 * @param <E> the type of the elements, never {@code null}
 */
public final class Broadcast<E> {
  /** A look's result: the broadcast is closed, and nothing is left to receive. */
  private static final Object CLOSED = new Object();

  /** A look's result: the subscriber is closed. */
  private static final Object UNSUBSCRIBED = new Object();

  /** A look's result: nothing to receive now (only if two threads use one subscriber at once). */
  private static final Object NOTHING = new Object();

  /** Release writes and acquire reads of the ring's slots, for the subscribers' lock-free reads. */
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  static {
    Engines.register(Subscriber.class, s -> ((Subscriber<?>) s).signal.channel);
    Engines.registerLook(Subscriber.class, (s, skipLag) -> ((Subscriber<?>) s).lookForFace(skipLag));
  }

  /**
   * Guards every field below, and each subscriber's state, except that a subscriber holding its
   * token reads the ring without it (see {@link Subscriber#look}).
   */
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * The element with sequence number {@code s} is at {@code ring[s % ring.length]}. Written under the
   * lock with release stores, before {@link #tail} moves past it.
   */
  private final Object[] ring;

  /**
   * The sequence number of the next send: the ring holds the elements before it, at most its length.
   * Written under the lock; read without it by subscribers.
   */
  private volatile long tail;

  private boolean closed;

  private final List<Subscriber<E>> subscribers = new ArrayList<>();

  private Broadcast(int capacity) {
    this.ring = new Object[capacity];
  }

  /**
   * Creates a broadcast that holds the last {@code capacity} elements for its subscribers.
   *
   * @param capacity how far a subscriber may fall behind before it misses elements; at least 1
   * @param <E> the type of the elements
   * @return a new, open broadcast with no subscribers
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public static <E> Broadcast<E> create(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    return new Broadcast<>(capacity);
  }

  /**
   * Sends {@code element} to every current subscriber, never waiting: if the ring is full, the
   * oldest element is overwritten, and subscribers that had not received it will learn that they
   * lagged. With no subscribers, nobody will receive it (a later subscriber starts after it).
   *
   * @param element the element
   * @return how many subscribers will receive it (unless they fall behind, or close first)
   * @throws ChannelClosedException if the broadcast is closed
   * @throws NullPointerException if {@code element} is null
   */
  public int send(E element) {
    Objects.requireNonNull(element, "element");
    return signalling(
        woken -> {
          if (closed) {
            throw new ChannelClosedException("broadcast is closed", null);
          }
          long t = tail;
          // A release store: a lock-free reader that sees the slot's new element also sees the
          // tail that tells it the slot's old element is gone (Subscriber.tryReadHeld).
          SLOT.setRelease(ring, index(t), element);
          tail = t + 1;
          for (Subscriber<E> s : subscribers) {
            s.signal.raiseLocked(woken);
          }
          return subscribers.size();
        });
  }

  /**
   * A new subscriber, which will receive every element sent from now on.
   *
   * @return a new subscriber; if the broadcast is closed, one that finds it closed
   */
  public Subscriber<E> subscribe() {
    return signalling(
        woken -> {
          Subscriber<E> s = new Subscriber<>(this, tail);
          if (closed) {
            s.signal.raiseLocked(woken); // the closed state's token; nobody waits on s yet
          } else {
            subscribers.add(s);
          }
          return s;
        });
  }

  /**
   * Closes the broadcast: sends fail from now on; subscribers receive what they have not received
   * yet, then fail instead of waiting. Subscribers waiting now are released.
   *
   * @return {@code true} if this call closed the broadcast, {@code false} if it was closed before
   */
  public boolean close() {
    return signalling(
        woken -> {
          if (closed) {
            return false;
          }
          closed = true;
          for (Subscriber<E> s : subscribers) {
            s.signal.raiseLocked(woken); // wakes it: it finds the broadcast closed
          }
          return true;
        });
  }

  /**
   * Whether the broadcast is closed.
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
   * How many subscribers are subscribed and not closed.
   *
   * @return the number of subscribers
   */
  public int subscriberCount() {
    lock.lock();
    try {
      return subscribers.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * How many elements the broadcast holds for its subscribers: a subscriber further behind than
   * this misses elements.
   *
   * @return the capacity given to {@link #create}
   */
  public int capacity() {
    return ring.length;
  }

  /**
   * A snapshot for debugging: whether the broadcast is closed, how many elements were sent, its
   * capacity and its subscriber count. It takes the broadcast's lock for a moment; its format may
   * change.
   *
   * @return a description of this broadcast's state
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "Broadcast[" + (closed ? "closed, " : "") + tail + " sent, capacity " + ring.length
          + ", " + subscribers.size() + " subscribers]";
    } finally {
      lock.unlock();
    }
  }

  private int index(long sequence) {
    return (int) (sequence % ring.length);
  }

  /** Runs {@code body} under the lock, and resumes the waits it woke after the unlock. */
  private <T> T signalling(Function<Wakeups, T> body) {
    return Signal.signalling(lock, body);
  }

  /**
   * What a subscriber received: an element, or the news that it fell behind and missed some. Made by
   * the faces that report a lag as a result ({@link Subscriber#tryReceive()}, {@link
   * Subscriber#receiveAsync()}).
   *
   * @param <E> the type of the elements
   */
  public static final class Received<E> {
    private final @Nullable E value;
    private final long missed;

    private Received(@Nullable E value, long missed) {
      this.value = value;
      this.missed = missed;
    }

    /**
     * Whether the subscriber fell behind: it missed {@link #missed()} elements, and its next receive
     * returns the oldest element still held. Then there is no value.
     *
     * @return {@code true} for a lag, {@code false} for an element
     */
    public boolean isLagged() {
      return missed > 0;
    }

    /**
     * How many elements the subscriber missed.
     *
     * @return at least 1 for a lag, 0 for an element
     */
    public long missed() {
      return missed;
    }

    /**
     * The element received.
     *
     * @return the element
     * @throws LaggedException if this is a lag, with its count
     */
    public E value() {
      if (value == null) {
        throw new LaggedException(missed);
      }
      return value;
    }

    /**
     * The element received, or {@code null} for a lag.
     *
     * @return the element, or {@code null}
     */
    public @Nullable E valueOrNull() {
      return value;
    }

    /**
     * Equal to another {@code Received} of an equal element, or of a lag of the same count.
     *
     * @param o the other object
     * @return whether they are equal
     */
    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Received
          && missed == ((Received<?>) o).missed
          && Objects.equals(value, ((Received<?>) o).value);
    }

    /**
     * A hash code consistent with {@link #equals}: the element's, or one made from the lag's count.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
      return value != null ? value.hashCode() : Long.hashCode(missed);
    }

    /**
     * The element, or the lag and its count, for debugging; the format may change.
     *
     * @return a description of this result
     */
    @Override
    public String toString() {
      return value != null ? "Received[" + value + "]" : "Received[lagged, missed " + missed + "]";
    }
  }

  /**
   * One subscriber of a {@link Broadcast}: it receives, in order, every element sent after it
   * subscribed, and is told when it fell behind and missed some.
   *
   * <h2>How waiting works</h2>
   *
   * Each subscriber owns a one-element channel, its <em>signal</em>, and exactly one token exists
   * while the subscriber has something to receive (an element, a lag to report, or the closed
   * state): in the signal, or in the hands of the operation that took it. An operation takes the
   * token before it looks, and puts it back after its look if something is left; a send puts one in
   * if none exists. So a receive is a receive of the token through the channel's faces, with their
   * guarantees: a receive that is interrupted, times out, loses a select or is cancelled took no
   * token, or gives it back, and received nothing; and one that got the token always finds
   * something.
   *
   * <p>A subscriber is meant for one thread or coroutine at a time, like an iterator; several may
   * share it (each element then goes to one of them), but only a receive that holds the token sees
   * an element, so a {@link #tryReceive()} may find nothing while another thread's receive is about
   * to take one.
   *
   * @param <E> the type of the elements
   */
  public static final class Subscriber<E> implements AutoCloseable {
    private final Broadcast<E> broadcast;

    /** Its {@code pending}: whether the one token exists. */
    private final Signal signal = new Signal();

    /**
     * The sequence number of the next element to receive from the ring. Written only by the
     * holder of the token; read by others under the lock.
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

    Subscriber(Broadcast<E> broadcast, long next) {
      this.broadcast = broadcast;
      this.next = next;
    }

    /**
     * Waits for the next element and takes it.
     *
     * @return the next element
     * @throws InterruptedException if the thread was interrupted before or while waiting; nothing was
     *     received
     * @throws LaggedException if this subscriber fell behind: the next receive returns the oldest
     *     element still held
     * @throws ChannelClosedException if this subscriber is closed, or the broadcast is closed and
     *     this subscriber received every element
     */
    public E receive() throws InterruptedException {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      while (true) {
        signal.channel.receive(); // the token
        Object r = look(false);
        if (r != NOTHING) {
          return deliver(r);
        }
      }
    }

    /**
     * Waits at most {@code timeout} for the next element, as {@link #receive()}.
     *
     * @param timeout how long to wait at most; zero or negative to take one only if there is one
     * @return the next element, or {@code null} if none came in time (nothing was received)
     * @throws InterruptedException if the thread was interrupted before or while waiting
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
        long left = Deadline.nanosLeft(deadline); // 0 once over: the token's receive is a try then
        if (signal.channel.receive(Duration.ofNanos(left)) == null) {
          return null;
        }
        Object r = look(false);
        if (r != NOTHING) {
          return deliver(r);
        }
      }
    }

    /**
     * The next element, or the lag, if there is one now; never waits.
     *
     * @return the next element or the lag, or {@code null} if there is nothing now
     * @throws ChannelClosedException if this subscriber is closed, or the broadcast is closed and
     *     this subscriber received every element
     */
    public @Nullable Received<E> tryReceive() {
      if (signal.channel.tryReceive() == null) {
        return null; // no token: nothing to receive (or another thread holds it)
      }
      Object r = look(false);
      return r == NOTHING ? null : received(r);
    }

    /**
     * A future of the next element or lag, as {@link #receive()}: completed at once if there is one,
     * or exceptionally with {@link ChannelClosedException} when {@code receive} would throw it. A
     * lag completes the future normally, with a {@link Received} that says so.
     *
     * <p>Cancelling the future, or completing it from outside ({@code orTimeout}, {@code complete}),
     * withdraws the receive first, and reports success only if nothing was received: the element
     * stays this subscriber's, and the next receive gets it, in order. A cancel that reports failure
     * came too late, and the future completes with what it received. Dependents run in the
     * completing thread (often the sender's), never under the broadcast's lock, and may receive from
     * this subscriber; one that blocks holds up that send's wake-ups of other subscribers.
     *
     * @return a future of what this subscriber receives next
     */
    public CompletableFuture<Received<E>> receiveAsync() {
      AsyncReceive op = new AsyncReceive();
      awaitAsync(op);
      return op.result;
    }

    /**
     * One {@link #receiveAsync()}: its future, and the claim that decides between delivering to it
     * and its withdrawal (cancel, {@code orTimeout}, an outside {@code complete}), which then
     * reports success only if nothing was taken for it.
     */
    private final class AsyncReceive {
      private static final int OPEN = 0;
      private static final int CLAIMED = 1;
      private static final int WITHDRAWN = 2;

      final AtomicInteger state = new AtomicInteger(OPEN);
      final WaiterFuture<Received<E>> result = new WaiterFuture<>(this::withdraw);

      /** The wait for the token now under way. */
      volatile @Nullable CompletableFuture<Object> token;

      /** Withdraws the receive; {@code true} if nothing was or will be delivered to it. */
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

    private void awaitAsync(AsyncReceive op) {
      CompletableFuture<Object> token = signal.channel.receiveAsync();
      op.token = token;
      if (op.state.get() == AsyncReceive.WITHDRAWN) {
        token.cancel(false); // withdrawn before this wait was published
      }
      token.whenComplete(
          (t, e) -> {
            if (e != null) {
              return; // the wait was withdrawn: no token taken
            }
            if (op.state.get() != AsyncReceive.OPEN) {
              release(); // withdrawn after the token came
              return;
            }
            // The token stays in hand until the claim is decided, so that a receive made after a
            // successful withdrawal cannot overtake the element given back; it is handed on before
            // the future completes, so that the future's dependants may receive too.
            Object r;
            try {
              r = look(false, true);
            } catch (ChannelClosedException closedNow) {
              if (op.state.compareAndSet(AsyncReceive.OPEN, AsyncReceive.CLAIMED)) {
                op.result.fail(closedNow);
              }
              return;
            }
            if (r == NOTHING) {
              awaitAsync(op);
            } else if (op.state.compareAndSet(AsyncReceive.OPEN, AsyncReceive.CLAIMED)) {
              release();
              op.result.settle(received(r));
            } else {
              giveBack(r); // withdrawn meanwhile: it is this subscriber's to receive again
            }
          });
    }

    /**
     * A {@link Select} clause chosen when this subscriber has something to receive: it takes the
     * next element and returns the result of {@code then}, which runs outside the broadcast's lock.
     * If the select chooses another clause, nothing is received. If this subscriber fell behind,
     * choosing this clause makes the select throw {@link LaggedException} (and the next receive
     * returns the oldest element held); if it is closed, or the broadcast is closed and this
     * subscriber received every element, {@link ChannelClosedException}.
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
            Object r = look(false);
            if (r == NOTHING) {
              throw new IllegalStateException(
                  "a subscriber used by several threads at once had nothing for its select");
            }
            return then.apply(deliver(r));
          });
    }

    /**
     * How many elements this subscriber can receive now without waiting: those sent since its last
     * receive and still held.
     *
     * @return the number of elements, 0 if this subscriber is closed
     */
    public int size() {
      broadcast.lock.lock();
      try {
        if (closed) {
          return 0;
        }
        long n = broadcast.tail - Math.max(next, broadcast.tail - broadcast.ring.length);
        if (givenBack != null) {
          for (Object g : givenBack) {
            n += g instanceof Lag ? 0 : 1;
          }
        }
        return (int) n;
      } finally {
        broadcast.lock.unlock();
      }
    }

    /**
     * Whether this subscriber has nothing to receive now: no element, and no lag to report.
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
     * Whether receives fail now: this subscriber is closed, or the broadcast is closed and this
     * subscriber received every element.
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

    /**
     * Unsubscribes: the broadcast stops keeping elements for this subscriber, and its receives, from
     * now on and those waiting now, fail with {@link ChannelClosedException}. Closing twice does
     * nothing.
     */
    @Override
    public void close() {
      broadcast.signalling(
          woken -> {
            if (!closed) {
              closed = true;
              slow = true;
              givenBack = null;
              broadcast.subscribers.remove(this);
              signal.raiseLocked(woken);
            }
            return null;
          });
    }

    /**
     * A snapshot for debugging: the position of the next element this subscriber will receive, the
     * broadcast's, and whether the subscriber is closed. It takes the broadcast's lock for a moment;
     * its format may change.
     *
     * @return a description of this subscriber's state
     */
    @Override
    public String toString() {
      broadcast.lock.lock();
      try {
        return "Broadcast.Subscriber[next " + next + " of " + broadcast.tail
            + (closed ? ", closed" : "") + ", signal " + signal.channel + "]";
      } finally {
        broadcast.lock.unlock();
      }
    }

    // -------------------------------------------------------------------------------------------
    // The look, with the token in hand.

    /**
     * Takes what comes next, with the token in hand, and puts the token back if something is left.
     *
     * @param skipLag whether a lag also takes the element after the gap (into a {@link Lag})
     * @return an element, a {@link Lag}, or {@link #NOTHING}
     * @throws ChannelClosedException if nothing is left and this subscriber or the broadcast is
     *     closed
     */
    private Object look(boolean skipLag) {
      return look(skipLag, false);
    }

    /**
     * The look; with {@code keep}, a look that finds an element or a lag keeps the token, which
     * the caller then hands on with {@link #release()} or {@link #giveBack}.
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
     * The look's fast path, without the broadcast's lock: takes the next element if the ring holds
     * it and will not overwrite it while it is read, and hands the token on. Only the token's
     * holder moves {@link #next}, so nobody else takes the element.
     *
     * @param keep whether to keep the token instead of handing it on
     * @return the element, or {@code null} if the look needs the lock (nothing new, a lag, an
     *     element about to be overwritten)
     */
    private @Nullable Object tryReadHeld(boolean keep) {
      Broadcast<E> b = broadcast;
      int capacity = b.ring.length;
      long n = next;
      long t = b.tail;
      if (n >= t || t - n >= capacity) {
        return null; // nothing new, or a lag, or the oldest element held: the next send overwrites it
      }
      Object element = SLOT.getAcquire(b.ring, b.index(n));
      // The slot of n is overwritten by the send of n + capacity, which first sees the tail at
      // n + capacity: if the tail is still below that, the element read is n's.
      long after = b.tail;
      if (after - n >= capacity) {
        return null;
      }
      next = n + 1;
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

    /** The look for the Kotlin face (through {@link Engines#look}); {@code null} for nothing. */
    private @Nullable Object lookForFace(boolean skipLag) {
      Object r = look(skipLag);
      return r == NOTHING ? null : r;
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
      Broadcast<E> b = broadcast;
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

    @SuppressWarnings("unchecked")
    private Received<E> received(Object r) {
      return r instanceof Lag ? new Received<>(null, ((Lag) r).missed) : new Received<>((E) r, 0);
    }
  }
}
