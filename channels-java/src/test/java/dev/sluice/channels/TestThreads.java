package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** Small helpers for tests that start a thread and wait for it to block. */
final class TestThreads {
  private TestThreads() {}

  /** Runs {@code body} in a new platform thread; the future completes with its outcome. */
  static <T> Started<T> start(Callable<T> body) {
    CompletableFuture<T> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                outcome.complete(body.call());
              } catch (Throwable e) {
                outcome.completeExceptionally(e);
              }
            });
    t.setDaemon(true);
    t.start();
    return new Started<>(t, outcome);
  }

  /** A started thread and its outcome. */
  record Started<T>(Thread thread, CompletableFuture<T> outcome) {
    /** Waits until the thread is parked (it registered a waiter and gave up spinning). */
    Started<T> awaitParked() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        Thread.State s = thread.getState();
        if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
          return this;
        }
        if (outcome.isDone()) {
          fail("the thread finished instead of waiting: " + outcome);
        }
        if (System.nanoTime() > deadline) {
          fail("the thread did not block within 10 s, state " + s);
        }
        Thread.onSpinWait();
      }
    }

    T join() throws Exception {
      try {
        return outcome.get(20, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof Exception ex) {
          throw ex;
        }
        throw e;
      }
    }
  }

  /**
   * An executor of virtual threads, or {@code null} on a JDK without them (this module compiles for
   * Java 17, so it asks for them by reflection; the JDK 25 pass of CI runs these tests).
   */
  static ExecutorService virtualThreadExecutorOrNull() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (NoSuchMethodException e) {
      return null;
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
