package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link Flow.Subscriber} for tests: records what it is signalled, in which threads, and whether
 * two signals ever overlapped (rule 1.3).
 */
final class FlowRecorder<E> implements Flow.Subscriber<E> {
  final ConcurrentLinkedQueue<E> items = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();

  /** Completes on onComplete, fails with the onError cause. */
  final CompletableFuture<Void> done = new CompletableFuture<>();

  final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
  private final AtomicInteger inSignal = new AtomicInteger();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final AtomicInteger signalsAfterDone = new AtomicInteger();
  private volatile Consumer<E> onNextAction = e -> {};

  /** Runs {@code action} in every onNext, after the element was recorded. */
  FlowRecorder<E> onNext(Consumer<E> action) {
    onNextAction = action;
    return this;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    enter();
    try {
      if (!subscription.complete(s)) {
        fail("a second onSubscribe");
      }
    } finally {
      leave();
    }
  }

  @Override
  public void onNext(E item) {
    enter();
    try {
      items.add(item);
      onNextAction.accept(item);
    } finally {
      leave();
    }
  }

  @Override
  public void onError(Throwable failure) {
    enter();
    try {
      done.completeExceptionally(failure);
    } finally {
      leave();
    }
  }

  @Override
  public void onComplete() {
    enter();
    try {
      done.complete(null);
    } finally {
      leave();
    }
  }

  private void enter() {
    if (inSignal.getAndIncrement() != 0) {
      overlaps.incrementAndGet();
    }
    if (done.isDone()) {
      signalsAfterDone.incrementAndGet();
    }
    threads.add(Thread.currentThread().getName());
  }

  private void leave() {
    inSignal.decrementAndGet();
  }

  Flow.Subscription subscription() {
    try {
      return subscription.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("no onSubscribe", e);
    }
  }

  void request(long n) {
    subscription().request(n);
  }

  void cancel() {
    subscription().cancel();
  }

  List<E> items() {
    return new ArrayList<>(items);
  }

  /** Waits until at least {@code n} items came. */
  List<E> awaitItems(int n) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (items.size() < n) {
      if (System.nanoTime() > deadline) {
        fail("expected " + n + " items, got " + items);
      }
      Thread.onSpinWait();
    }
    return items();
  }

  /** Waits for onComplete or onError; returns the onError cause, or null. */
  Throwable awaitDone() {
    try {
      done.get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.CancellationException e) {
      return e; // get() throws an onError(CancellationException) cause as it is
    } catch (Exception e) {
      throw new AssertionError("not done: " + items, e);
    }
  }

  /** Whether signals overlapped, or came after a terminal one. */
  boolean brokeTheRules() {
    return overlaps.get() != 0 || signalsAfterDone.get() != 0;
  }
}
