/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import dev.sluice.channels.internal.Engines;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Flow.Publisher} over a receiver that {@link ChannelFlows#publisher} returns: each
 * subscription is a {@link ReceiverSubscription} competing with the others (and with every other
 * receiver of the channel) for the channel's elements. Package-private: the public face is {@link
 * ChannelFlows}. Of the engine it needs only {@link Engines#of} and {@link
 * BufferedChannel#giveBack}, to hand back an element taken for a subscription that was cancelled
 * before it was signalled.
 *
 * @param <E> the element type
 */
final class ReceiverPublisher<E> implements Flow.Publisher<E> {
  private final Receiver<E> receiver;
  private final BufferedChannel<E> engine;
  private final @Nullable Executor executor;

  /**
   * Makes a publisher over {@code receiver}.
   *
   * @param receiver a Sluice channel or oneshot
   * @param executor where signals run, or {@code null} for the thread that makes them possible
   * @throws IllegalArgumentException if {@code receiver} is not one of Sluice's channels
   */
  @SuppressWarnings("unchecked") // the engine of a Receiver<E> holds Es
  ReceiverPublisher(Receiver<E> receiver, @Nullable Executor executor) {
    this.receiver = Objects.requireNonNull(receiver, "receiver");
    BufferedChannel<?> found = Engines.of(receiver);
    if (found == null) {
      throw new IllegalArgumentException(
          "not a Sluice channel or oneshot: " + receiver.getClass().getName());
    }
    this.engine = (BufferedChannel<E>) found;
    this.executor = executor;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super E> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber"); // rule 1.9
    new ReceiverSubscription<>(receiver, engine, executor, subscriber).start();
  }

  @Override
  public String toString() {
    return "ChannelFlows.publisher(" + receiver + ")";
  }
}
