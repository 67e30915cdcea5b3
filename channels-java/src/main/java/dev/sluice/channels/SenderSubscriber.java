/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Flow.Subscriber} that {@link ChannelFlows#subscriber} returns: it sends what it
 * receives into a {@link Sender}, in order, and asks its publisher only for what the channel can
 * take. Package-private: the public face is {@link ChannelFlows}. It needs nothing of the engine;
 * it sends through the {@link Sender} interface alone.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 * Work is serialized by a counter, as in ReceiverSubscription: the signals (onNext and the rest)
 * and the completions of a waiting sendAsync, which come from receiving threads, each add to
 * wip; the caller that moves it from 0 runs the drain loop, which alone sends, requests and
 * cancels (so calls on the subscription are serial, rule 2.7).
 *
 * Written by the signals, read by the drain loop:
 *   upstream    the subscription, set once by the first onSubscribe
 *   held        elements received and not yet sent, in order
 *   terminated  onComplete or onError came (written after the last onNext's offer to held)
 *   error       the onError cause
 *
 * Owned by the drain loop:
 *   inHand      requested from upstream and not yet taken by the channel: arriving, held, or in
 *               the send in flight. New requests keep it at most limit() (see requestMore)
 *   sending     the sendAsync future in flight, at most one, so elements keep their order
 *   finished    the sender was closed by this subscriber, or found closed: nothing more is sent
 * </pre>
 *
 * @param <E> the element type
 */
final class SenderSubscriber<E> implements Flow.Subscriber<E> {
  private final Sender<E> sender;
  private final int batch;
  private final boolean closeWhenDone;
  private final @Nullable Consumer<? super E> onUnsent;

  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicReference<Flow.@Nullable Subscription> upstream = new AtomicReference<>();
  private final ConcurrentLinkedQueue<E> held = new ConcurrentLinkedQueue<>();
  private volatile boolean terminated;
  private volatile @Nullable Throwable error;

  // Owned by the drain loop.
  private long inHand;
  private @Nullable CompletableFuture<Void> sending;
  private @Nullable E sendingElement;
  private boolean finished;

  /**
   * Makes a subscriber that sends into {@code sender}.
   *
   * @param sender where elements go
   * @param batch the most elements requested and not yet taken by the channel, at least 1
   * @param closeWhenDone whether {@code onComplete} and {@code onError} close the sender
   * @param onUnsent receives the elements that could not be sent because the channel closed, or
   *     {@code null} to drop them
   * @throws IllegalArgumentException if {@code batch} is less than 1
   */
  SenderSubscriber(
      Sender<E> sender, int batch, boolean closeWhenDone, @Nullable Consumer<? super E> onUnsent) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
    this.sender = Objects.requireNonNull(sender, "sender");
    this.batch = batch;
    this.closeWhenDone = closeWhenDone;
    this.onUnsent = onUnsent;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    Objects.requireNonNull(subscription, "subscription"); // rule 2.13
    if (!upstream.compareAndSet(null, subscription)) {
      subscription.cancel(); // rule 2.5: one subscription only
      return;
    }
    signal();
  }

  @Override
  public void onNext(E element) {
    Objects.requireNonNull(element, "element"); // rule 2.13
    held.offer(element);
    signal();
  }

  @Override
  public void onError(Throwable failure) {
    Objects.requireNonNull(failure, "failure"); // rule 2.13
    error = failure;
    terminated = true; // sv: publishes error
    signal();
  }

  @Override
  public void onComplete() {
    terminated = true;
    signal();
  }

  @Override
  public String toString() {
    return "ChannelFlows.subscriber(" + sender + ")";
  }

  private void signal() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    while (true) {
      step();
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** One pass of the drain loop; see the implementation notes. */
  private void step() {
    Flow.Subscription s = upstream.get();
    if (s == null) {
      return; // an onNext before onSubscribe breaks rule 1.9; it waits in held until then
    }
    while (!finished) {
      CompletableFuture<Void> f = sending;
      if (f != null) {
        if (!f.isDone()) {
          return; // its completion signals
        }
        E element = sendingElement;
        sending = null;
        sendingElement = null;
        if (f.isCompletedExceptionally()) {
          unsent(element);
          closedUnderneath(s);
          break;
        }
        inHand--;
      }
      E element = held.poll();
      if (element == null) {
        break;
      }
      CompletableFuture<Void> next;
      try {
        if (sender.trySend(element)) {
          inHand--;
          continue;
        }
        // Full: wait for room without blocking anyone. Later elements stay held behind this one.
        next = sender.sendAsync(element);
      } catch (RuntimeException refused) {
        // A closed channel; or a Sender of another kind failing: the same for this subscriber,
        // which must not throw from onNext (rule 2.13).
        if (!(refused instanceof ChannelClosedException)) {
          ChannelFlows.reportUncaught(refused);
        }
        unsent(element);
        closedUnderneath(s);
        break;
      }
      sendingElement = element;
      sending = next;
      next.whenComplete((ignored, failure) -> signal());
    }
    if (finished) {
      for (E element; (element = held.poll()) != null; ) {
        unsent(element); // arrived after the channel closed (rule 2.8 allows them)
      }
      return;
    }
    boolean ended = terminated; // lv: every onNext's offer came before
    if (ended) {
      if (sending == null && held.isEmpty()) {
        finished = true;
        if (closeWhenDone) {
          Throwable cause = error;
          try {
            if (cause == null) {
              sender.close();
            } else {
              sender.close(cause);
            }
          } catch (RuntimeException failure) { // a Sender of another kind; rule 2.13 again
            ChannelFlows.reportUncaught(failure);
          }
        }
      }
      return; // no request or cancel after a terminal signal (rule 2.3)
    }
    if (sender.isClosedForSend()) {
      closedUnderneath(s);
      return;
    }
    requestMore(s);
  }

  /**
   * Requests enough to have {@link #limit()} elements in hand, once at most half of that is left:
   * fewer, larger requests, and never more in hand than the limit.
   */
  private void requestMore(Flow.Subscription s) {
    long limit = limit();
    if (inHand <= limit / 2) {
      long want = limit - inHand;
      inHand += want;
      s.request(want); // may call onNext in this thread: it only adds to held and to wip
    }
  }

  /**
   * How many elements may be in hand: the batch, or the room the channel has now if that is less,
   * but at least one (a rendezvous channel, or a full one, takes an element only from a send that
   * offers it).
   */
  private long limit() {
    long room = batch;
    if (sender instanceof Channel<?>) {
      Channel<?> channel = (Channel<?>) sender;
      int capacity = channel.capacity();
      if (capacity != Integer.MAX_VALUE) {
        room = (long) capacity - channel.size();
      }
    }
    return Math.max(1, Math.min(batch, room));
  }

  /** The channel closed under this subscriber: it cancels its subscription and sends no more. */
  private void closedUnderneath(Flow.Subscription s) {
    finished = true;
    if (!terminated) {
      s.cancel();
    }
    for (E element; (element = held.poll()) != null; ) {
      unsent(element);
    }
  }

  private void unsent(@Nullable E element) {
    Consumer<? super E> handler = onUnsent;
    if (element != null && handler != null) {
      try {
        handler.accept(element);
      } catch (Throwable failure) {
        ChannelFlows.reportUncaught(failure);
      }
    }
  }
}
