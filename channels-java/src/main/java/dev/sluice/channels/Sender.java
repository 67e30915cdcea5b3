/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.Engines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The sending side of a channel.
 *
 * <p>Every send either takes effect exactly once or has no effect at all: an element whose send
 * returned normally (or whose future completed normally, or whose select clause was chosen) will be
 * received exactly once, or handed to the channel's undelivered-element handler. An element whose
 * send failed, timed out, was interrupted or was cancelled stays with the caller.
 *
 * <h2>Waiting and interruption</h2>
 *
 * {@link #send(Object)} and {@link #send(Object, Duration)} wait while the channel is full (for a
 * rendezvous channel: until a receiver takes the element). They park the calling thread with {@link
 * java.util.concurrent.locks.LockSupport}, never inside a {@code synchronized} block, so virtual
 * threads do not pin. A thread that is interrupted on entry, or while it waits, gets an {@link
 * InterruptedException} and its element was not sent; if a receiver took the element at the same
 * moment, the send returns normally instead and the thread's interrupt status is set again.
 *
 * <h2>Closed channel</h2>
 *
 * After {@link #close()} every send fails with {@link ChannelClosedException}, and so do sends that
 * were waiting when the channel closed; none of them sent its element.
 *
 * <h2>Memory visibility</h2>
 *
 * Actions in a thread before it sends an element happen-before the actions that follow the receipt
 * of that element in another thread.
 *
 * @param <E> the type of elements, never {@code null}
 */
public interface Sender<E> {

  /**
   * Sends an element, waiting while the channel is full.
   *
   * @param element the element to send
   * @throws InterruptedException if the thread was interrupted before or while waiting; the element
   *     was not sent
   * @throws ChannelClosedException if the channel is closed, or closes while this send waits; the
   *     element was not sent
   * @throws NullPointerException if {@code element} is null
   */
  void send(E element) throws InterruptedException;

  /**
   * Sends every element of {@code elements}, in their order, waiting while the channel is full, as
   * {@link #send(Object)} does for each.
   *
   * <p>It stops early in three ways, and says how many were sent: an interrupt throws {@link
   * InterruptedSendException}, whose {@link InterruptedSendException#sent()} counts them; a close
   * part-way returns the count (a close before the first element throws {@link
   * ChannelClosedException}); a {@code null} element throws {@link NullPointerException} naming the
   * count. Either way the first elements were sent, in order, and none after them. The elements of
   * one call are not sent in one step: other senders' elements may come between them. While the
   * buffer has room, runs of up to 64 go in with one step each, so the iterator may have been read
   * up to 63 elements past the last one sent when the call stops early.
   *
   * @param elements the elements to send
   * @return how many were sent: all of them, unless the channel closed part-way
   * @throws InterruptedSendException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel was closed before the first element was sent
   * @throws NullPointerException if {@code elements} or one of its elements is null
   */
  int sendAll(Iterable<? extends E> elements) throws InterruptedException;

  /**
   * Sends an element, waiting at most {@code timeout} while the channel is full.
   *
   * <p>A zero or negative timeout does not wait: the call behaves as {@link #trySend}.
   *
   * @param element the element to send
   * @param timeout how long to wait at most
   * @return {@code true} if the element was sent, {@code false} if the timeout elapsed first (the
   *     element was not sent)
   * @throws InterruptedException if the thread was interrupted before or while waiting; the element
   *     was not sent
   * @throws ChannelClosedException if the channel is closed, or closes while this send waits
   * @throws NullPointerException if {@code element} or {@code timeout} is null
   */
  boolean send(E element, Duration timeout) throws InterruptedException;

  /**
   * Sends an element if the channel can take it now, without waiting.
   *
   * @param element the element to send
   * @return {@code true} if the element was sent, {@code false} if the channel is full right now
   *     (or, for a rendezvous channel, no receiver is waiting)
   * @throws ChannelClosedException if the channel is closed
   * @throws NullPointerException if {@code element} is null
   */
  boolean trySend(E element);

  /**
   * Sends an element without blocking the caller: the returned future completes when the channel
   * has taken the element.
   *
   * <p>The future completes exceptionally with {@link ChannelClosedException} if the channel is or
   * becomes closed before it takes the element. Cancelling the future ({@code cancel}, {@code
   * orTimeout}, {@code completeExceptionally}, {@code complete}) withdraws the send: when that call
   * reports that it changed the future, the element was not sent. When it reports no change, the
   * element was sent (or the send failed) and the future completes accordingly.
   *
   * <p>Dependent actions of the future run in the thread that completes it, as with every {@link
   * CompletableFuture}: often the receiving thread. They never run while the channel's internal
   * state is locked, so they may use the channel freely.
   *
   * @param element the element to send
   * @return a future that completes when the element was sent
   * @throws NullPointerException if {@code element} is null
   */
  CompletableFuture<Void> sendAsync(E element);

  /**
   * A {@link Select} clause that sends {@code element} when the channel can take it, then returns
   * the value of {@code then}.
   *
   * <p>If the select chooses another clause, this one had no effect: the element was not sent. If
   * the channel is closed, choosing this clause makes the select fail with {@link
   * ChannelClosedException}.
   *
   * @param element the element to send
   * @param then computes the select's result once the element was sent; it runs in the thread that
   *     completes the select
   * @param <R> the select's result type
   * @return the clause
   * @throws NullPointerException if an argument is null
   */
  <R> SelectClause<R> onSend(E element, Supplier<? extends R> then);

  /**
   * Reserves one place in the buffer, waiting while there is none, and returns the {@link Permit}
   * that holds it: its {@link Permit#send(Object)} then never waits and never fails for lack of
   * room. A reserve waits its turn with the sends: a place freed goes to the oldest waiting send or
   * reserve.
   *
   * <p>While a permit is held its place counts as taken: buffered elements plus held places never
   * exceed the capacity. On an unbounded channel a permit holds nothing back, and its send is a
   * plain send. A rendezvous channel has no buffer to hold a place in, and a dropping one never
   * waits for room: both refuse permits. So do senders that are not channels of this library's
   * making (this default).
   *
   * <p>Interrupts, as for {@link #send(Object)}: an interrupted reserve holds no place; one that
   * was granted a place at the same moment returns its permit, with the interrupt status set again.
   *
   * @return the permit; send with it, or release it (<b>a permit neither sent nor released is a
   *     leak</b>)
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed, or closes while this reserve waits
   * @throws UnsupportedOperationException on a rendezvous channel, a channel that drops on
   *     overflow, or a sender without permits
   */
  default Permit<E> reserve() throws InterruptedException {
    throw noPermits(this);
  }

  /**
   * Reserves one place, waiting at most {@code timeout} while there is none: {@link #reserve()}
   * with a bound. A zero or negative timeout does not wait, as {@link #tryReserve()}.
   *
   * @param timeout how long to wait at most
   * @return the permit, or {@code null} if the timeout elapsed first (then no place is held)
   * @throws InterruptedException if the thread was interrupted before or while waiting
   * @throws ChannelClosedException if the channel is closed, or closes while this reserve waits
   * @throws UnsupportedOperationException as for {@link #reserve()}
   * @throws NullPointerException if {@code timeout} is null
   */
  default @Nullable Permit<E> reserve(Duration timeout) throws InterruptedException {
    throw noPermits(this);
  }

  /**
   * Reserves one place if one is free now, without waiting; see {@link #reserve()}.
   *
   * @return the permit, or {@code null} if the buffer is full now (counting held places)
   * @throws ChannelClosedException if the channel is closed
   * @throws UnsupportedOperationException as for {@link #reserve()}
   */
  default @Nullable Permit<E> tryReserve() {
    throw noPermits(this);
  }

  /**
   * Reserves one place without blocking the caller: the future completes with the permit once a
   * place is held; see {@link #reserve()}.
   *
   * <p>Cancelling the future ({@code cancel}, {@code orTimeout}, {@code complete}, {@code
   * completeExceptionally}) withdraws the reserve: when that call reports that it changed the
   * future, no place is held. When it reports no change, the place was granted first and the future
   * holds the permit: send with it or release it. The future completes exceptionally with {@link
   * ChannelClosedException} if the channel is or becomes closed first.
   *
   * @return a future of the permit
   * @throws UnsupportedOperationException as for {@link #reserve()}
   */
  default CompletableFuture<Permit<E>> reserveAsync() {
    throw noPermits(this);
  }

  /**
   * A {@link Select} clause that reserves one place when one is free, then returns {@code then}
   * applied to the permit; see {@link #reserve()}. A select that chooses another clause holds no
   * place. If {@code then} throws, the permit is released and the select throws. If the channel is
   * closed, choosing this clause makes the select fail with {@link ChannelClosedException}.
   *
   * @param then computes the select's result from the permit (which it sends with, releases, or
   *     hands on); it runs in the thread that completes the select
   * @param <R> the select's result type
   * @return the clause
   * @throws UnsupportedOperationException as for {@link #reserve()}
   * @throws NullPointerException if {@code then} is null
   */
  default <R> SelectClause<R> onReserve(Function<? super Permit<E>, ? extends R> then) {
    throw noPermits(this);
  }

  /**
   * Reserves {@code n} places at once, waiting until all are free together, and returns one permit
   * per place (Tokio's {@code reserve_many}). It never holds some places while it waits for the
   * rest, so two such reserves never wait on each other. It is not strictly first in line: sends
   * and smaller reserves that find room go ahead of it while fewer than {@code n} places are free.
   * Otherwise as {@link #reserve()}.
   *
   * @param n how many places, from 1 to the capacity
   * @return {@code n} permits, each to be sent with or released
   * @throws InterruptedException if the thread was interrupted before or while waiting (no place is
   *     held)
   * @throws ChannelClosedException if the channel is closed, or closes while this reserve waits
   * @throws IllegalArgumentException if {@code n} is less than 1 or more than the capacity
   * @throws UnsupportedOperationException as for {@link #reserve()}
   */
  default List<Permit<E>> reserveMany(int n) throws InterruptedException {
    throw noPermits(this);
  }

  /**
   * Reserves {@code n} places at once if they are all free now, without waiting; see {@link
   * #reserveMany(int)}.
   *
   * @param n how many places, from 1 to the capacity
   * @return {@code n} permits, or {@code null} if fewer than {@code n} places are free now (then
   *     none is held)
   * @throws ChannelClosedException if the channel is closed
   * @throws IllegalArgumentException if {@code n} is less than 1 or more than the capacity
   * @throws UnsupportedOperationException as for {@link #reserve()}
   */
  default @Nullable List<Permit<E>> tryReserveMany(int n) {
    throw noPermits(this);
  }

  /**
   * Closes the channel for sending: sends fail from now on, sends that are waiting fail, and
   * receivers take what is buffered, then fail with a {@link ChannelClosedException} without a
   * cause.
   *
   * @return {@code true} if this call closed the channel, {@code false} if it was already closed
   */
  boolean close();

  /**
   * Closes the channel as {@link #close()} does, and makes {@code cause} the cause of the {@link
   * ChannelClosedException} that receivers get once the buffer is drained.
   *
   * @param cause why the channel closed
   * @return {@code true} if this call closed the channel, {@code false} if it was already closed
   *     (the earlier cause stays)
   * @throws NullPointerException if {@code cause} is null
   */
  boolean close(Throwable cause);

  /**
   * Whether the channel is closed for sending: {@link #close()} or {@link Receiver#cancel()} was
   * called. Once true, it stays true.
   *
   * @return {@code true} if sends fail
   */
  boolean isClosedForSend();

  /**
   * Whether {@code other} is this same channel, or a view of it: its Kotlin coroutine view ({@code
   * asCoroutineChannel()} and its kin), or another Java object over the same queue. Views are new
   * objects, so {@code ==} and {@code equals} tell them apart; this does not.
   *
   * @param other any object, {@code null} included
   * @return {@code true} if both are faces of one channel
   */
  default boolean sameChannel(@Nullable Object other) {
    return Engines.sameEngine(this, other);
  }

  private static UnsupportedOperationException noPermits(Sender<?> sender) {
    return new UnsupportedOperationException(
        sender.getClass().getName() + " does not hand out permits");
  }
}
