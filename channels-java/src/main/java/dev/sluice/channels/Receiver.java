/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.Engines;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The receiving side of a channel.
 *
 * <p>Elements are received in the order in which their sends took effect, and each element is
 * received by exactly one receiver. A receive that fails, times out, is interrupted or cancelled
 * took no element.
 *
 * <h2>Waiting and interruption</h2>
 *
 * {@link #receive()} and {@link #receive(Duration)} wait while the channel is empty, parking the
 * thread with {@link java.util.concurrent.locks.LockSupport} (virtual threads do not pin). A thread
 * interrupted on entry or while it waits gets {@link InterruptedException} and took no element; if
 * an element was handed to it at the same moment, the receive returns that element instead and the
 * thread's interrupt status is set again, so the element is never lost.
 *
 * <h2>Closed channel</h2>
 *
 * A closed channel still gives out what it buffered. Once it is closed and drained, receives fail
 * with {@link ChannelClosedException}, whose cause is the one given to {@link
 * Sender#close(Throwable)}.
 *
 * <h2>Memory visibility</h2>
 *
 * Actions in a thread before it sends an element happen-before the actions that follow the receipt
 * of that element in another thread.
 *
 * @param <E> the type of elements, never {@code null}
 */
public interface Receiver<E> extends Iterable<E> {

  /**
   * Receives an element, waiting while the channel is empty.
   *
   * @return the element
   * @throws InterruptedException if the thread was interrupted before or while waiting; no element
   *     was taken
   * @throws ChannelClosedException if the channel is closed and drained
   */
  E receive() throws InterruptedException;

  /**
   * Receives an element, waiting at most {@code timeout} while the channel is empty.
   *
   * <p>A zero or negative timeout does not wait: the call behaves as {@link #tryReceive}.
   *
   * @param timeout how long to wait at most
   * @return the element, or {@code null} if the timeout elapsed first (no element was taken)
   * @throws InterruptedException if the thread was interrupted before or while waiting; no element
   *     was taken
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws NullPointerException if {@code timeout} is null
   */
  @Nullable E receive(Duration timeout) throws InterruptedException;

  /**
   * Receives an element if one is there now, without waiting.
   *
   * @return the element, or {@code null} if the channel is empty right now
   * @throws ChannelClosedException if the channel is closed and drained
   */
  @Nullable E tryReceive();

  /**
   * Receives an element without blocking the caller: the returned future completes with the next
   * element.
   *
   * <p>The future completes exceptionally with {@link ChannelClosedException} once the channel is
   * closed and drained. Cancelling the future ({@code cancel}, {@code orTimeout}, {@code
   * completeExceptionally}, {@code complete}) withdraws the receive: when that call reports that it
   * changed the future, no element was taken. When it reports no change, an element was already
   * handed to this future, and the future completes with it.
   *
   * <p>Dependent actions of the future run in the thread that completes it, as with every {@link
   * CompletableFuture}: often the sending thread. They never run while the channel's internal state
   * is locked, so they may use the channel freely.
   *
   * @return a future of the next element
   */
  CompletableFuture<E> receiveAsync();

  /**
   * Receives a batch: waits while the channel is empty, then takes up to {@code max} elements and
   * adds them to {@code into}, oldest first.
   *
   * <p>A batch is the channel's oldest elements, taken in one step: no other receive gets an
   * element between two of them. When the call had to wait, the first element is the one its wait
   * was handed, and the rest are taken in one step right after it. On an unbounded channel one step
   * takes at most 1,024 elements, and a larger {@code max} goes on in further steps while elements
   * are there.
   *
   * <p>An interrupt only ends the wait for the first element, and the call then took nothing. If
   * {@code into} refuses an element (its {@code add} throws), that element and the rest of the
   * batch are given back to the channel, in order, ahead of everything else (to receives waiting
   * then, oldest first), and the exception propagates; the elements added before it stay in {@code
   * into}. Nothing is lost either way.
   *
   * @param into where the elements go; not this channel's own view
   * @param max the most to take, at least 1
   * @return how many were added, at least 1
   * @throws InterruptedException if the thread was interrupted before or while waiting; no element
   *     was taken
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  int receiveMany(Collection<? super E> into, int max) throws InterruptedException;

  /**
   * Receives a batch as {@link #receiveMany(Collection, int)} does, waiting at most {@code timeout}
   * for the first element. A zero or negative timeout does not wait: the call behaves as {@link
   * #tryReceiveMany}.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @param timeout how long to wait at most for the first element
   * @return how many were added; 0 if the timeout elapsed first (nothing was taken)
   * @throws InterruptedException if the thread was interrupted before or while waiting; no element
   *     was taken
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} or {@code timeout} is null
   */
  int receiveMany(Collection<? super E> into, int max, Duration timeout)
      throws InterruptedException;

  /**
   * Takes up to {@code max} of the elements that are there now, in one step as {@link
   * #receiveMany(Collection, int)} does, without waiting, and adds them to {@code into}.
   *
   * @param into where the elements go
   * @param max the most to take, at least 1
   * @return how many were added; 0 if the channel is empty right now
   * @throws ChannelClosedException if the channel is closed and drained
   * @throws IllegalArgumentException if {@code max} is less than 1
   * @throws NullPointerException if {@code into} is null
   */
  int tryReceiveMany(Collection<? super E> into, int max);

  /**
   * Receives a batch without blocking the caller: the returned future completes with a list of one
   * to {@code max} elements, oldest first, taken as {@link #receiveMany(Collection, int)} takes
   * them.
   *
   * <p>The future completes exceptionally with {@link ChannelClosedException} once the channel is
   * closed and drained. Cancelling it, or completing it by any other means, withdraws the receive:
   * when that call reports that it changed the future, no element was kept by it (a batch already
   * taken for it goes back to the channel, ahead of everything else). Dependent actions run as for
   * {@link #receiveAsync()}.
   *
   * @param max the most to take, at least 1
   * @return a future of the batch, never empty
   * @throws IllegalArgumentException if {@code max} is less than 1
   */
  CompletableFuture<List<E>> receiveManyAsync(int max);

  /**
   * A {@link Select} clause that receives an element when one is there, and returns {@code
   * then.apply(element)}.
   *
   * <p>If the select chooses another clause, this one took no element. If the channel is closed and
   * drained, choosing this clause makes the select fail with {@link ChannelClosedException}.
   *
   * @param then computes the select's result from the element; it runs in the thread that completes
   *     the select
   * @param <R> the select's result type
   * @return the clause
   * @throws NullPointerException if {@code then} is null
   */
  <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then);

  /**
   * Closes the channel and discards what it buffered: every buffered element goes to the channel's
   * undelivered-element handler, waiting senders and receivers fail, and later sends and receives
   * fail with a {@link ChannelClosedException} whose cause is a {@link CancellationException} (or
   * the cause the channel was already closed with).
   *
   * <p>Calling it again, or after {@link Sender#close()}, still discards whatever is buffered. The
   * handler runs in this thread after the channel's state changed; what it throws goes to this
   * thread's uncaught-exception handler, and every discarded element still reaches it.
   */
  void cancel();

  /**
   * Whether the channel is closed and drained: receives fail from now on. Once true, it stays true.
   *
   * @return {@code true} if the channel is closed and holds no element
   */
  boolean isClosedForReceive();

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

  /**
   * Whether the channel holds no element right now. A rendezvous channel is always empty.
   *
   * @return {@code true} if {@link #size()} is 0
   */
  boolean isEmpty();

  /**
   * The number of elements buffered right now; a snapshot that may be stale by the time it is used.
   * Elements of senders that are waiting are not counted.
   *
   * @return the number of buffered elements
   */
  int size();

  /**
   * An iterator that receives elements until the channel is closed and drained.
   *
   * <p>{@link Iterator#hasNext()} waits for an element (the element is taken from the channel then,
   * and returned by the next {@link Iterator#next()}). It returns {@code false} once the channel is
   * closed and drained without a cause; if it was closed with a cause, it throws {@link
   * ChannelClosedException} with that cause. If the thread is interrupted while {@code hasNext}
   * waits, it throws {@link CancellationException} and the interrupt status stays set; no element
   * was taken. {@link Iterator#remove()} is not supported.
   *
   * @return a receiving iterator
   */
  @Override
  Iterator<E> iterator();

  /**
   * A sequential, ordered stream of the elements received from this channel; it ends once the
   * channel is closed and drained. It waits as {@link #iterator()} does, and fails as it does.
   *
   * @return a stream of received elements
   */
  Stream<E> stream();
}
