package dev.sluice.bench;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Repeats an asynchronous step a number of times, each time once the previous step's future has
 * completed, without blocking a thread and without growing the stack: steps whose future is already
 * complete run in a loop, and only a pending future gets a continuation, which runs in the thread
 * that completes it (for a channel, the thread on the other side).
 */
final class AsyncLoop implements BiConsumer<Object, Throwable> {
  private final Supplier<? extends CompletableFuture<?>> step;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private int remaining; // read and written by one thread at a time: each hand-over is a completion

  private AsyncLoop(int times, Supplier<? extends CompletableFuture<?>> step) {
    this.remaining = times;
    this.step = step;
  }

  /** Starts the loop in the calling thread; the future completes after the last step completed. */
  static CompletableFuture<Void> repeat(int times, Supplier<? extends CompletableFuture<?>> step) {
    AsyncLoop loop = new AsyncLoop(times, step);
    loop.next();
    return loop.done;
  }

  private void next() {
    while (remaining > 0) {
      remaining--;
      CompletableFuture<?> f = step.get();
      if (!f.isDone()) {
        f.whenComplete(this);
        return;
      }
      if (f.isCompletedExceptionally()) {
        done.completeExceptionally(f.exceptionNow());
        return;
      }
    }
    done.complete(null);
  }

  /** The continuation of a step that was pending. */
  @Override
  public void accept(Object ignored, Throwable failure) {
    if (failure != null) {
      done.completeExceptionally(failure);
    } else {
      next();
    }
  }
}
