/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import org.jspecify.annotations.Nullable;

/**
 * A multi-producer, multi-consumer FIFO channel: a {@link Sender} and a {@link Receiver} over one
 * queue that blocking threads, {@link java.util.concurrent.CompletableFuture}s, {@link Select} and
 * Kotlin coroutines share.
 *
 * <p>Three shapes, by capacity:
 *
 * <ul>
 *   <li>{@link #rendezvous()}: capacity 0; a send waits until a receiver takes the element.
 *   <li>{@link #bounded(int)}: holds up to {@code capacity} elements; sends wait while it is full.
 *   <li>{@link #unbounded()}: sends never wait; memory grows with the backlog and is given back
 *       once it drains.
 * </ul>
 *
 * {@link #builder()} adds an {@link BufferOverflow overflow policy} and an undelivered-element
 * handler.
 *
 * <p>Waiting senders and waiting receivers are served first come, first served, whatever face they
 * wait through.
 *
 * @param <E> the type of elements, never {@code null}
 */
public interface Channel<E> extends Sender<E>, Receiver<E> {

  /**
   * Creates a channel without a buffer: every send waits for a receiver, and every receive for a
   * sender.
   *
   * @param <E> the type of elements
   * @return a new rendezvous channel
   */
  static <E> Channel<E> rendezvous() {
    return new BufferedChannel<>(0, BufferOverflow.SUSPEND, null);
  }

  /**
   * Creates a channel that buffers up to {@code capacity} elements (0 for a rendezvous channel,
   * {@link ChannelBuilder#UNBOUNDED} for no bound), owned by its handles alone: see {@link
   * ChannelBuilder#buildHandles()}.
   *
   * @param capacity 0, a bound of at least 1, or {@link ChannelBuilder#UNBOUNDED}
   * @param <E> the type of elements
   * @return the first sending and receiving handles of a new channel
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  static <E> ChannelHandles<E> handles(int capacity) {
    return Channel.<E>builder().capacity(capacity).buildHandles();
  }

  /**
   * Creates a channel that buffers up to {@code capacity} elements; sends wait while it is full.
   *
   * @param capacity the buffer's size, at least 1
   * @param <E> the type of elements
   * @return a new bounded channel
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  static <E> Channel<E> bounded(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    return new BufferedChannel<>(capacity, BufferOverflow.SUSPEND, null);
  }

  /**
   * Creates a channel whose buffer has no bound: sends never wait (until memory runs out).
   *
   * @param <E> the type of elements
   * @return a new unbounded channel
   */
  static <E> Channel<E> unbounded() {
    return new BufferedChannel<>(Integer.MAX_VALUE, BufferOverflow.SUSPEND, null);
  }

  /**
   * Starts building a channel with a capacity, an overflow policy and an undelivered-element
   * handler.
   *
   * @param <E> the type of elements
   * @return a new builder, set to a rendezvous channel that suspends
   */
  static <E> ChannelBuilder<E> builder() {
    return new ChannelBuilder<>();
  }

  /**
   * The most elements this channel buffers: 0 for a rendezvous channel, {@link Integer#MAX_VALUE}
   * for an unbounded one.
   *
   * @return the capacity
   */
  int capacity();

  /**
   * A new sending handle of this channel: an owner of its sending end. Once handles were made, the
   * channel closes for sending when the last of them closes (an explicit {@link #close()} still
   * closes it at once). Use one per producer, in a try-with-resources block.
   *
   * @return the handle
   * @throws ChannelClosedException if this channel's sending handles ended: the last one was closed
   *     before this call
   */
  default SenderHandle<E> newSender() {
    return SenderHandle.openOrThrow(this);
  }

  /**
   * A new receiving handle of this channel: an owner of its receiving end. Once handles were made,
   * the channel is cancelled when the last of them closes.
   *
   * @return the handle
   * @throws ChannelClosedException if this channel's receiving handles ended
   */
  default ReceiverHandle<E> newReceiver() {
    return ReceiverHandle.openOrThrow(this);
  }

  /**
   * Whether {@code other} is this same channel, or a view of it: its Kotlin coroutine view ({@code
   * asCoroutineChannel()} and its kin), or another Java object over the same queue. Views are new
   * objects, so {@code ==} and {@code equals} tell them apart; this does not.
   *
   * @param other any object, {@code null} included
   * @return {@code true} if both are faces of one channel
   */
  @Override
  default boolean sameChannel(@Nullable Object other) {
    return Engines.sameEngine(this, other);
  }
}
