/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.function.Consumer;

/**
 * Adapters between Sluice channels and {@link java.util.concurrent.Flow} (Reactive Streams): a
 * {@link Flow.Publisher} that reads from a {@link Receiver}, and a {@link Flow.Subscriber} that
 * writes into a {@link Sender}. Both follow the Reactive Streams rules, and are checked against the
 * Reactive Streams TCK.
 *
 * <p>A channel is a queue, not a broadcast: the publisher's subscribers compete for its elements,
 * and each element goes to one of them. To hand every element to every subscriber, use a {@link
 * Broadcast}.
 *
 * <h2>Never lost, never duplicated</h2>
 *
 * The publisher takes an element from the channel only for a subscriber that asked for it, and
 * hands it to that subscriber's {@code onNext} at once. If the subscription is cancelled after an
 * element was taken and before it was signalled, the element goes back to the channel, ahead of
 * what is buffered, for the next receiver (or, if the channel is by then closed and drained, to its
 * undelivered-element handler, as for any element that will never be received). The subscriber
 * sends what it receives in order, and hands what it could not send, because the channel closed, to
 * a handler of the caller's.
 *
 * <h2>Threads</h2>
 *
 * Neither adapter blocks a thread or waits on a lock: the publisher receives with {@link
 * Receiver#tryReceive()} and {@link Receiver#receiveAsync()}, the subscriber sends with {@link
 * Sender#trySend} and {@link Sender#sendAsync}. The signals of one subscription are serialized by
 * an atomic counter, not by {@code synchronized}.
 *
 * <h2>Memory visibility</h2>
 *
 * Actions in a thread before it sends an element happen-before the {@code onNext} of that element;
 * actions before an {@code onNext} of the subscriber happen-before the receipt of its element from
 * the channel.
 */
public final class ChannelFlows {
  /** The default batch of {@link #subscriber(Sender)}: the most elements requested ahead. */
  public static final int DEFAULT_BATCH = 64;

  private ChannelFlows() {}

  /**
   * A publisher of the elements received from {@code receiver}: each subscription receives elements
   * for its subscriber's demand, and competes with the other subscriptions and every other receiver
   * of the channel for them.
   *
   * <h4>Demand</h4>
   *
   * A subscription takes an element from the channel only while its subscriber has requested more
   * than it was given: with no demand it takes nothing, and with a demand of {@code n} it takes at
   * most {@code n}. While it has demand and the channel is empty, it has one {@link
   * Receiver#receiveAsync()} waiting in the channel, served first come, first served with the
   * channel's other receivers.
   *
   * <h4>Completion</h4>
   *
   * When the channel is closed and drained, the subscriber gets {@code onComplete}, or {@code
   * onError} with the cause given to {@link Sender#close(Throwable)} ({@link
   * java.util.concurrent.CancellationException} if the channel was {@linkplain Receiver#cancel()
   * cancelled}). This needs no demand, but a subscription finds out only when it looks: when it
   * subscribes, when its subscriber requests, and when its waiting receive fails. A subscriber with
   * no demand is told of a later close at its next {@code request}.
   *
   * <h4>Cancellation</h4>
   *
   * {@link Flow.Subscription#cancel()} withdraws the waiting receive, if any; an element that was
   * taken for the subscriber but not yet signalled goes back to the channel (see the class
   * documentation). The subscriber may still get an {@code onNext} that was under way when it
   * cancelled from another thread (rule 2.8); a cancel from inside {@code onNext} stops the signals
   * at once. The subscription then drops its reference to the subscriber.
   *
   * <h4>Threads</h4>
   *
   * Signals run in the thread that makes them possible: {@code onSubscribe} in the subscribing
   * thread; an element already buffered in the thread that requests it; an element that a waiting
   * receive got in the thread that sent it, after the send took effect (as a {@link
   * java.util.concurrent.CompletableFuture}'s dependants run), which then goes on delivering what
   * the subscriber requests and the channel holds. A sender's {@code send} thus returns only after
   * such {@code onNext}s return: a subscriber that must not run in senders' threads should use
   * {@link #publisher(Receiver, Executor)}. Requests made from {@code onNext} never recurse: they
   * are served once {@code onNext} returns (rule 3.3).
   *
   * <p>{@code subscribe} may be called any number of times; the receiver is not closed or cancelled
   * when a subscription ends.
   *
   * <p>A subscription watches the channel only while its subscriber has demand: one whose demand is
   * used up when the channel closes learns of the close, and signals {@code onComplete} (or {@code
   * onError}), at its next {@code request}. A subscriber that knows how many elements will come
   * should request one more, to be told of the end.
   *
   * @param receiver a channel made by {@link Channel}'s factories or {@link Channel#builder()}, or
   *     a {@link Oneshot}
   * @param <E> the type of elements
   * @return a publisher over the receiver
   * @throws IllegalArgumentException if {@code receiver} is not one of Sluice's channels: the
   *     publisher gives elements back through the engine, which another implementation lacks
   * @throws NullPointerException if {@code receiver} is null
   */
  public static <E> Flow.Publisher<E> publisher(Receiver<E> receiver) {
    return new ReceiverPublisher<>(receiver, null);
  }

  /**
   * A publisher as {@link #publisher(Receiver)}, whose signals all run as tasks of {@code
   * executor}: a sender's thread never runs a subscriber, nor a requesting thread.
   *
   * <p>A subscription submits one task when it has work and none is under way; the task runs until
   * there is no more work, so one subscription's signals never run in two tasks at once. If {@code
   * executor} rejects a task, the subscription fails: its subscriber gets {@code onError} with the
   * {@link java.util.concurrent.RejectedExecutionException}, in the thread whose task was rejected,
   * and whatever it held goes back to the channel.
   *
   * @param receiver a channel made by {@link Channel}'s factories or {@link Channel#builder()}, or
   *     a {@link Oneshot}
   * @param executor runs every signal
   * @param <E> the type of elements
   * @return a publisher over the receiver
   * @throws IllegalArgumentException if {@code receiver} is not one of Sluice's channels
   * @throws NullPointerException if an argument is null
   */
  public static <E> Flow.Publisher<E> publisher(Receiver<E> receiver, Executor executor) {
    return new ReceiverPublisher<>(receiver, Objects.requireNonNull(executor, "executor"));
  }

  /**
   * A subscriber that sends every element it receives into {@code sender}, in order, requesting at
   * most {@value #DEFAULT_BATCH} ahead, and closes the sender when its publisher completes or
   * fails; see {@link #subscriber(Sender, int, boolean, Consumer)}. Elements it could not send
   * because the channel closed are dropped.
   *
   * @param sender where the elements go
   * @param <E> the type of elements
   * @return a subscriber for one subscription
   * @throws NullPointerException if {@code sender} is null
   */
  public static <E> Flow.Subscriber<E> subscriber(Sender<E> sender) {
    return new SenderSubscriber<>(sender, DEFAULT_BATCH, true, null);
  }

  /**
   * A subscriber as {@link #subscriber(Sender)}, requesting at most {@code batch} ahead.
   *
   * @param sender where the elements go
   * @param batch the most elements requested and not yet taken by the channel, at least 1
   * @param <E> the type of elements
   * @return a subscriber for one subscription
   * @throws IllegalArgumentException if {@code batch} is less than 1
   * @throws NullPointerException if {@code sender} is null
   */
  public static <E> Flow.Subscriber<E> subscriber(Sender<E> sender, int batch) {
    return new SenderSubscriber<>(sender, batch, true, null);
  }

  /**
   * A subscriber that sends every element it receives into {@code sender}, in order, and requests
   * only what the channel can take.
   *
   * <h4>Demand</h4>
   *
   * The subscriber keeps count of the elements it requested that the channel has not taken yet
   * (arriving, or waiting to be sent), and keeps it at most a limit: {@code batch}, or the room the
   * channel has when the subscriber requests ({@link Channel#capacity()} less {@link
   * Channel#size()}) if that is less, but at least 1. It requests again once at most half the limit
   * is left, and only as elements are taken: a full channel, or one whose receivers are slow, stops
   * the publisher. A rendezvous channel gets one element at a time, handed over to a receiver
   * before the next is requested.
   *
   * <h4>Sending</h4>
   *
   * Each element is sent with {@link Sender#trySend}; if the channel is full, with {@link
   * Sender#sendAsync}, and the elements after it wait in the subscriber, in order, until it was
   * taken. So {@code onNext} never blocks the publisher's thread. The sends complete in receiving
   * threads, which then send what waited and request more from the publisher.
   *
   * <h4>Completion</h4>
   *
   * {@code onComplete} and {@code onError} come after the last {@code onNext}: the elements the
   * subscriber still holds are sent first. Then, if {@code closeWhenDone}, {@code onComplete}
   * closes the sender ({@link Sender#close()}) and {@code onError(cause)} closes it with the cause
   * ({@link Sender#close(Throwable)}), which the channel's receivers get once they drained it: the
   * end of a pipeline. With {@code closeWhenDone} false the sender stays open, for several
   * publishers that feed one channel.
   *
   * <h4>A closed channel</h4>
   *
   * If the channel is closed (by another sender, or cancelled by a receiver) before the subscriber
   * is done, the subscriber cancels its subscription at its next element or request, and hands
   * every element it could not send to {@code onUnsent}, in the thread that found the channel
   * closed. The elements that come after the cancel (rule 2.8) go there too. A {@link Sender} of
   * another implementation whose {@code trySend} or {@code sendAsync} throws is treated the same
   * way, and what it threw goes to the thread's uncaught-exception handler: {@code onNext} never
   * throws.
   *
   * <p>The subscriber serves one subscription: a second {@code onSubscribe} is cancelled (rule
   * 2.5).
   *
   * @param sender where the elements go
   * @param batch the most elements requested and not yet taken by the channel, at least 1
   * @param closeWhenDone whether {@code onComplete} and {@code onError} close the sender
   * @param onUnsent receives each element that the subscriber got and could not send because the
   *     channel closed; what it throws goes to the thread's uncaught-exception handler
   * @param <E> the type of elements
   * @return a subscriber for one subscription
   * @throws IllegalArgumentException if {@code batch} is less than 1
   * @throws NullPointerException if {@code sender} or {@code onUnsent} is null
   */
  public static <E> Flow.Subscriber<E> subscriber(
      Sender<E> sender, int batch, boolean closeWhenDone, Consumer<? super E> onUnsent) {
    Objects.requireNonNull(onUnsent, "onUnsent");
    return new SenderSubscriber<>(sender, batch, closeWhenDone, onUnsent);
  }

  /**
   * Passes a failure that no caller can be given (a subscriber or handler that threw) to the
   * current thread's uncaught-exception handler, as the engine does with its own.
   */
  static void reportUncaught(Throwable failure) {
    Thread t = Thread.currentThread();
    t.getUncaughtExceptionHandler().uncaughtException(t, failure);
  }
}
