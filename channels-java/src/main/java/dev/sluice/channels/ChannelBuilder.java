/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Channel} with a capacity, an overflow policy and an undelivered-element handler.
 *
 * <pre>{@code
 * Channel<String> latest = Channel.<String>builder()
 *     .capacity(1)
 *     .overflow(BufferOverflow.DROP_OLDEST)
 *     .onUndeliveredElement(dropped -> System.out.println("dropped " + dropped))
 *     .build();
 * }</pre>
 *
 * <p>A builder is not thread-safe; the channels it builds are.
 *
 * @param <E> the type of elements
 */
public final class ChannelBuilder<E> {
  /** Capacity for {@link #capacity(int)}: no buffer; see {@link Channel#rendezvous()}. */
  public static final int RENDEZVOUS = 0;

  /** Capacity for {@link #capacity(int)}: no bound; see {@link Channel#unbounded()}. */
  public static final int UNBOUNDED = Integer.MAX_VALUE;

  private int capacity = RENDEZVOUS;
  private BufferOverflow overflow = BufferOverflow.SUSPEND;
  private @Nullable Consumer<? super E> onUndeliveredElement;

  ChannelBuilder() {}

  /**
   * Sets the capacity: {@link #RENDEZVOUS} (the default), a bound of 1 or more, or {@link
   * #UNBOUNDED}.
   *
   * <p>A rendezvous channel with a dropping {@link #overflow overflow policy} cannot drop without a
   * buffer: it gets a buffer of one element, as kotlinx.coroutines does, and its {@link
   * Channel#capacity()} is 1. An unbounded channel never overflows, so its policy has no effect.
   *
   * @param capacity the capacity, 0 or more
   * @return this builder
   * @throws IllegalArgumentException if {@code capacity} is negative
   */
  public ChannelBuilder<E> capacity(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
    }
    this.capacity = capacity;
    return this;
  }

  /**
   * Sets what a send does when the buffer is full; {@link BufferOverflow#SUSPEND} by default.
   *
   * @param overflow the policy
   * @return this builder
   * @throws NullPointerException if {@code overflow} is null
   */
  public ChannelBuilder<E> overflow(BufferOverflow overflow) {
    this.overflow = Objects.requireNonNull(overflow, "overflow");
    return this;
  }

  /**
   * Sets the handler of elements that entered the channel and will never be received: those dropped
   * by the overflow policy, and those discarded by {@link Receiver#cancel()}.
   *
   * <p>The handler runs in the thread whose operation dropped the element, after the channel's
   * state change, never while the channel is locked. It should not throw: what it throws goes to
   * that thread's {@linkplain Thread.UncaughtExceptionHandler uncaught-exception handler}, and the
   * operation still reports its own outcome (a send that dropped an element was a send that took
   * effect, and must not look failed, or a retry would duplicate it). Elements of sends that failed
   * are not passed to it: they stay with their senders.
   *
   * @param handler receives each undelivered element once
   * @return this builder
   * @throws NullPointerException if {@code handler} is null
   */
  public ChannelBuilder<E> onUndeliveredElement(Consumer<? super E> handler) {
    this.onUndeliveredElement = Objects.requireNonNull(handler, "handler");
    return this;
  }

  /**
   * Builds a new, open, empty channel with these settings.
   *
   * @return the channel
   */
  public Channel<E> build() {
    int effective = capacity;
    if (capacity == RENDEZVOUS && overflow != BufferOverflow.SUSPEND) {
      effective = 1;
    }
    return new BufferedChannel<>(effective, overflow, onUndeliveredElement);
  }

  /**
   * Builds the channel and returns only its two first handles ({@link ChannelHandles}), so that the
   * handles alone own it: it closes for sending when the last sending handle closes, and is
   * cancelled when the last receiving handle does. Tokio's {@code mpsc::channel}.
   *
   * @return the first sending and receiving handles of a new channel
   */
  public ChannelHandles<E> buildHandles() {
    return ChannelHandles.of(build());
  }
}
