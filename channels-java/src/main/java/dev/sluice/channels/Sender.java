/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.Engines;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
   * one call are not sent in one step: other senders' elements may come between them.
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
}
