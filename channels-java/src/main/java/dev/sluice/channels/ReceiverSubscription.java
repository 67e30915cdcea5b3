/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels;

import dev.sluice.channels.internal.BufferedChannel;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One subscriber's subscription to a {@link ReceiverPublisher}: it receives from the channel only
 * while the subscriber has demand, and hands each element to {@code onNext}.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 * Signals are serialized by a work counter, not a lock (Reactive Streams 1.3, and no synchronized
 * on a path that can wait):
 *   wip       how many times work was asked for since the drain loop last looked. The caller that
 *             moves it from 0 owns the drain loop ({@link #drain}), inline or as an executor task;
 *             everyone else only adds to it, and the owner loops until it gives every count back.
 *             It starts at 1: the subscribing call owns the first drain, which signals onSubscribe.
 *
 * Written by any thread, read by the drain loop:
 *   demand     requested and not yet delivered; Long.MAX_VALUE means unbounded (3.17)
 *   cancelled  set by cancel()
 *   badRequest set by a request(n) with n &lt;= 0 (3.9)
 *   rejected   set when the executor refused a drain task
 *   arrived    the outcome of the receive in flight: an element, or a Failure. Set by the future's
 *              callback, in whatever thread completed it; taken by the drain loop
 *
 * Owned by the drain loop (plain fields; the wip counter's atomic updates order one owner's writes
 * before the next owner's reads):
 *   pending    the receiveAsync future in flight, at most one, started only while demand &gt; 0
 *   started    onSubscribe was signalled
 *   done       a terminal signal was sent, or the subscription was cancelled
 * </pre>
 *
 * No element is lost: an element is taken from the channel (by {@code tryReceive}, or by the
 * receive in flight) only while there is demand, and handed to {@code onNext} at once, by the same
 * drain loop. If the subscription is found cancelled (or terminated) between the take and the
 * signal, the element goes back to the channel through {@link BufferedChannel#giveBack}. A receive
 * in flight at cancellation is withdrawn; if the withdrawal loses the race with a sender, the
 * element arrives through the callback later, and the drain loop gives it back then.
 *
 * @param <E> the element type
 */
final class ReceiverSubscription<E> implements Flow.Subscription, Runnable {
  private final Receiver<E> receiver;
  private final BufferedChannel<E> engine;
  private final @Nullable Executor executor;

  /** Null once the subscription is done, so that a cancelled subscriber can be collected (3.13). */
  private volatile Flow.@Nullable Subscriber<? super E> subscriber;

  private final AtomicInteger wip = new AtomicInteger(1);
  private final AtomicLong demand = new AtomicLong();
  private final AtomicReference<@Nullable Object> arrived = new AtomicReference<>();
  private volatile boolean cancelled;
  private volatile @Nullable IllegalArgumentException badRequest;
  private volatile @Nullable RejectedExecutionException rejected;

  // Owned by the drain loop.
  private @Nullable CompletableFuture<E> pending;
  private boolean started;
  private boolean done;

  /** The outcome of a receive that failed: the channel is closed and drained, or cancelled. */
  private static final class Failure {
    final Throwable cause;

    Failure(Throwable cause) {
      this.cause = cause;
    }
  }

  ReceiverSubscription(
      Receiver<E> receiver,
      BufferedChannel<E> engine,
      @Nullable Executor executor,
      Flow.Subscriber<? super E> subscriber) {
    this.receiver = receiver;
    this.engine = engine;
    this.executor = executor;
    this.subscriber = subscriber;
  }

  /** Starts the first drain, which signals onSubscribe: inline, or as the executor's first task. */
  void start() {
    schedule();
  }

  /**
   * Adds {@code n} to the demand; {@code n <= 0} fails the subscription with {@link
   * IllegalArgumentException} (rule 3.9). Never waits, and never blocks: an element already in the
   * channel may be delivered from inside this call (on the subscription without an executor).
   *
   * @param n how many more elements the subscriber wants
   */
  @Override
  public void request(long n) {
    if (n <= 0) {
      if (badRequest == null) {
        badRequest =
            new IllegalArgumentException(
                "Reactive Streams rule 3.9: non-positive subscription request: " + n);
      }
    } else {
      for (long current = demand.get(); current != Long.MAX_VALUE; current = demand.get()) {
        long next = current + n;
        if (demand.compareAndSet(current, next < 0 ? Long.MAX_VALUE : next)) {
          break;
        }
      }
    }
    signal();
  }

  /** Cancels the subscription: no element is taken from now on, and none taken is lost. */
  @Override
  public void cancel() {
    cancelled = true;
    signal();
  }

  /** The executor's task: the drain loop. */
  @Override
  public void run() {
    drain();
  }

  /** Asks for a pass of the drain loop, and runs it if nobody does. */
  private void signal() {
    if (wip.getAndIncrement() == 0) {
      schedule();
    }
  }

  /** Runs the drain loop, which this thread owns now: here, or as an executor task. */
  private void schedule() {
    Executor e = executor;
    if (e == null) {
      drain();
      return;
    }
    try {
      e.execute(this);
    } catch (RejectedExecutionException refused) {
      // Nobody else will run the loop: run it here, to fail the subscription and give back what
      // it holds. The loop is still owned by this thread, so signals stay serialized.
      if (rejected == null) {
        rejected = refused;
      }
      drain();
    }
  }

  private void drain() {
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
    if (!started) {
      started = true;
      Flow.Subscriber<? super E> s = subscriber;
      if (s != null) {
        try {
          s.onSubscribe(this);
        } catch (Throwable failure) {
          misbehaved(failure); // rule 2.13: the subscription is cancelled
        }
      }
    }
    if (done) {
      giveBackArrived(); // a receive withdrawn too late delivers here
      return;
    }
    if (cancelled) {
      finish(null);
      return;
    }
    RuntimeException failure = badRequest;
    if (failure == null) {
      failure = rejected;
    }
    if (failure != null) {
      finish(failure);
      return;
    }
    Object outcome = arrived.getAndSet(null);
    if (outcome != null) {
      pending = null;
      if (outcome instanceof Failure) {
        terminate(((Failure) outcome).cause);
        return;
      }
      @SuppressWarnings("unchecked") // only elements and Failures are stored
      E element = (E) outcome;
      if (!emit(element)) {
        return;
      }
    }
    while (pending == null) {
      if (demand.get() == 0) {
        // Closed and drained needs no demand to be told (1.4, 1.5).
        if (receiver.isClosedForReceive()) {
          takeOrTerminate();
        }
        return;
      }
      E element = takeOrTerminate();
      if (done) {
        return;
      }
      if (element == null) {
        CompletableFuture<E> f = receiver.receiveAsync();
        pending = f;
        f.whenComplete(this::arrive); // at once if f is done: wip then asks for another pass
        return;
      }
      if (!emit(element)) {
        return;
      }
    }
  }

  /**
   * Takes an element if there is one now; fails or completes the subscriber if closed and drained.
   */
  private @Nullable E takeOrTerminate() {
    try {
      return receiver.tryReceive();
    } catch (ChannelClosedException closed) {
      terminate(closed);
      return null;
    }
  }

  /**
   * Hands {@code element}, taken for a demand of the subscriber, to {@code onNext}; or back to the
   * channel if the subscription was cancelled since.
   *
   * @return {@code true} if the subscriber got it and the loop may go on
   */
  private boolean emit(E element) {
    Flow.Subscriber<? super E> s = subscriber;
    if (cancelled || s == null) {
      engine.giveBack(element); // LP: not delivered; the channel has it again
      return false;
    }
    for (long current = demand.get(); current != Long.MAX_VALUE; current = demand.get()) {
      if (demand.compareAndSet(current, current - 1)) {
        break;
      }
    }
    try {
      s.onNext(element); // LP: delivered
    } catch (Throwable failure) {
      misbehaved(failure);
      finish(null);
      return false;
    }
    return true;
  }

  /** The callback of the receive in flight, in the thread that completed it. */
  private void arrive(@Nullable E element, @Nullable Throwable failure) {
    if (failure != null) {
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      if (cause instanceof CancellationException) {
        return; // withdrawn by this subscription: the receive took nothing
      }
      arrived.set(new Failure(cause));
    } else {
      arrived.set(Objects.requireNonNull(element));
    }
    signal();
  }

  /**
   * Signals the end of the channel: {@code onComplete} after a plain close, {@code onError} with
   * the close cause otherwise.
   */
  private void terminate(Throwable failure) {
    Throwable cause = failure instanceof ChannelClosedException ? failure.getCause() : failure;
    Flow.Subscriber<? super E> s = subscriber;
    done = true;
    subscriber = null;
    pending = null;
    if (s == null) {
      return;
    }
    try {
      if (cause == null) {
        s.onComplete();
      } else {
        s.onError(cause);
      }
    } catch (Throwable thrown) {
      ChannelFlows.reportUncaught(thrown);
    }
  }

  /**
   * Ends the subscription from this side: withdraws the receive in flight, gives back what arrived,
   * and signals {@code failure} to the subscriber if there is one.
   */
  private void finish(@Nullable Throwable failure) {
    Flow.Subscriber<? super E> s = subscriber;
    done = true;
    subscriber = null;
    CompletableFuture<E> f = pending;
    pending = null;
    if (f != null) {
      // false: a sender handed the element over first; it comes through arrive(), and the next
      // pass gives it back.
      f.cancel(false);
    }
    giveBackArrived();
    if (failure != null && s != null) {
      try {
        s.onError(failure);
      } catch (Throwable thrown) {
        ChannelFlows.reportUncaught(thrown);
      }
    }
  }

  private void giveBackArrived() {
    Object outcome = arrived.getAndSet(null);
    if (outcome != null && !(outcome instanceof Failure)) {
      @SuppressWarnings("unchecked") // only elements and Failures are stored
      E element = (E) outcome;
      engine.giveBack(element);
    }
  }

  /**
   * A subscriber method threw, which rule 2.13 forbids: the subscription counts as cancelled, and
   * the failure goes to the thread's uncaught-exception handler.
   */
  private void misbehaved(Throwable failure) {
    cancelled = true;
    subscriber = null;
    ChannelFlows.reportUncaught(failure);
  }
}
