/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: a thin face. Every member delegates to the broadcast's state machine in
// dev.sluice.channels.internal (BroadcastCore, SubscriberCore), which keeps the broadcast's
// invariants; this file holds the public contract, its javadoc, and no state of its own but
// Received, the value a receive hands out.
package dev.sluice.channels;

import dev.sluice.channels.internal.BroadcastCore;
import dev.sluice.channels.internal.Engines;
import dev.sluice.channels.internal.Lag;
import dev.sluice.channels.internal.SubscriberCore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Sends every element to every subscriber: each {@link Subscriber} receives, in order, every
 * element sent after it subscribed. Events, invalidations and log tails are typical contents: many
 * readers each need all of them.
 *
 * <p>The broadcast keeps the last {@link #capacity()} elements in a ring shared by all subscribers.
 * A send never waits for a slow subscriber: it overwrites the oldest element. A subscriber that
 * fell more than the capacity behind is told how many elements it missed, then goes on from the
 * oldest element still held: its blocking receive throws {@link LaggedException}; its {@link
 * Subscriber#tryReceive()} and {@link Subscriber#receiveAsync()} return a {@link Received} that
 * says so. A subscriber waits through every face: blocking, timed, try, {@code CompletableFuture},
 * a {@link Select} clause ({@link Subscriber#onReceive}), and from Kotlin a kotlinx {@code
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
  /** The state machine: ring, tail, subscribers, close. */
  private final BroadcastCore<E> core;

  private Broadcast(BroadcastCore<E> core) {
    this.core = core;
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
    return new Broadcast<>(new BroadcastCore<>(capacity));
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
    return core.send(element);
  }

  /**
   * A new subscriber, which will receive every element sent from now on.
   *
   * @return a new subscriber; if the broadcast is closed, one that finds it closed
   */
  public Subscriber<E> subscribe() {
    return new Subscriber<>(core.subscribe());
  }

  /**
   * Closes the broadcast: sends fail from now on; subscribers receive what they have not received
   * yet, then fail instead of waiting. Subscribers waiting now are released.
   *
   * @return {@code true} if this call closed the broadcast, {@code false} if it was closed before
   */
  public boolean close() {
    return core.close();
  }

  /**
   * Whether the broadcast is closed.
   *
   * @return {@code true} once {@link #close()} was called
   */
  public boolean isClosed() {
    return core.isClosed();
  }

  /**
   * How many subscribers are subscribed and not closed.
   *
   * @return the number of subscribers
   */
  public int subscriberCount() {
    return core.subscriberCount();
  }

  /**
   * How many elements the broadcast holds for its subscribers: a subscriber further behind than
   * this misses elements.
   *
   * @return the capacity given to {@link #create}
   */
  public int capacity() {
    return core.capacity();
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
    return core.toString();
  }

  /**
   * What a subscriber received: an element, or the news that it fell behind and missed some. Made
   * by the faces that report a lag as a result ({@link Subscriber#tryReceive()}, {@link
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

    /** What a subscriber's core received, an element or a {@link Lag}, as a result. */
    @SuppressWarnings("unchecked")
    private static <E> Received<E> of(Object r) {
      return r instanceof Lag ? new Received<>(null, ((Lag) r).missed) : new Received<>((E) r, 0);
    }

    /**
     * Whether the subscriber fell behind: it missed {@link #missed()} elements, and its next
     * receive returns the oldest element still held. Then there is no value.
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
    static {
      Engines.registerSubscriberCores(s -> ((Subscriber<?>) s).core);
    }

    /** The state machine: position, given-back elements, closed, signal. */
    private final SubscriberCore<E> core;

    Subscriber(SubscriberCore<E> core) {
      this.core = core;
    }

    /**
     * A new subscriber of the same broadcast, which will receive every element sent from now on, as
     * one from {@link Broadcast#subscribe()} does: it starts at the sender's position, not at this
     * subscriber's, and does not share this one's state. Works whatever this subscriber's state,
     * closed included (Tokio's {@code resubscribe}).
     *
     * @return a new subscriber; if the broadcast is closed, one that finds it closed
     */
    public Subscriber<E> resubscribe() {
      return new Subscriber<>(core.broadcast().subscribe());
    }

    /**
     * Waits for the next element and takes it.
     *
     * @return the next element
     * @throws InterruptedException if the thread was interrupted before or while waiting; nothing
     *     was received
     * @throws LaggedException if this subscriber fell behind: the next receive returns the oldest
     *     element still held
     * @throws ChannelClosedException if this subscriber is closed, or the broadcast is closed and
     *     this subscriber received every element
     */
    public E receive() throws InterruptedException {
      return core.receive();
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
      return core.receive(timeout);
    }

    /**
     * The next element, or the lag, if there is one now; never waits.
     *
     * @return the next element or the lag, or {@code null} if there is nothing now
     * @throws ChannelClosedException if this subscriber is closed, or the broadcast is closed and
     *     this subscriber received every element
     */
    public @Nullable Received<E> tryReceive() {
      Object r = core.tryReceive();
      return r == null ? null : Received.of(r);
    }

    /**
     * A future of the next element or lag, as {@link #receive()}: completed at once if there is
     * one, or exceptionally with {@link ChannelClosedException} when {@code receive} would throw
     * it. A lag completes the future normally, with a {@link Received} that says so.
     *
     * <p>Cancelling the future, or completing it from outside ({@code orTimeout}, {@code
     * complete}), withdraws the receive first, and reports success only if nothing was received:
     * the element stays this subscriber's, and the next receive gets it, in order. A cancel that
     * reports failure came too late, and the future completes with what it received. Dependents run
     * in the completing thread (often the sender's), never under the broadcast's lock, and may
     * receive from this subscriber; one that blocks holds up that send's wake-ups of other
     * subscribers.
     *
     * @return a future of what this subscriber receives next
     */
    public CompletableFuture<Received<E>> receiveAsync() {
      return core.receiveAsync(Received::of);
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
      return core.onReceive(then);
    }

    /**
     * How many elements this subscriber can receive now without waiting: those sent since its last
     * receive and still held.
     *
     * @return the number of elements, 0 if this subscriber is closed
     */
    public int size() {
      return core.size();
    }

    /**
     * Whether this subscriber has nothing to receive now: no element, and no lag to report.
     *
     * @return {@code true} if a receive would wait (or, once closed, fail)
     */
    public boolean isEmpty() {
      return core.isEmpty();
    }

    /**
     * Whether receives fail now: this subscriber is closed, or the broadcast is closed and this
     * subscriber received every element.
     *
     * @return {@code true} if a receive would throw {@link ChannelClosedException}
     */
    public boolean isClosedForReceive() {
      return core.isClosedForReceive();
    }

    /**
     * Unsubscribes: the broadcast stops keeping elements for this subscriber, and its receives,
     * from now on and those waiting now, fail with {@link ChannelClosedException}. Closing twice
     * does nothing.
     */
    @Override
    public void close() {
      core.close();
    }

    /**
     * A snapshot for debugging: the position of the next element this subscriber will receive, the
     * broadcast's, and whether the subscriber is closed. It takes the broadcast's lock for a
     * moment; its format may change.
     *
     * @return a description of this subscriber's state
     */
    @Override
    public String toString() {
      return core.toString();
    }
  }
}
