/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Runs selects for {@link dev.sluice.channels.Select}: blocking ones that park the thread, and
 * asynchronous ones that complete a future. See {@link SelectInstance} for the algorithm.
 */
public final class Selector {
  private Selector() {}

  /**
   * Selects, waiting as long as it takes (or until a timeout clause fires).
   *
   * @param clauses the clauses, as given by the user
   * @param unbiased whether to start looking at a random clause
   * @param <R> the result type
   * @return the chosen clause's result
   * @throws InterruptedException if interrupted before or while waiting; no clause took effect
   */
  public static <R> R select(Object[] clauses, boolean unbiased) throws InterruptedException {
    BlockingSelect<R> s = new BlockingSelect<>(clauses);
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (s.start(unbiased)) {
      return s.result(s.startIndex, s.startItem, s.startClosed);
    }
    boolean timed = s.timeoutIndex >= 0;
    long deadline = timed ? Deadline.after(s.clauses[s.timeoutIndex].timeoutNanos) : 0L;
    int outcome = Parker.await(s, timed, deadline);
    if (outcome != Parker.CLAIMED) {
      boolean interrupted = outcome == Parker.INTERRUPTED;
      if (s.tryClaim(interrupted ? SelectInstance.WITHDRAWN : SelectInstance.TIMED_OUT)) {
        s.unlinkAll();
        if (interrupted) {
          throw new InterruptedException();
        }
        return s.result(s.timeoutIndex, null, false);
      }
      if (interrupted) {
        Thread.currentThread().interrupt(); // a clause won first: report it, keep the interrupt
      }
    }
    s.unlinkAll();
    return s.resultOf((SelectWaiter<?>) s.state());
  }

  /**
   * Selects without blocking: the future completes with the chosen clause's result.
   *
   * @param clauses the clauses, as given by the user
   * @param unbiased whether to start looking at a random clause
   * @param <R> the result type
   * @return the future of the result
   */
  public static <R> CompletableFuture<R> selectAsync(Object[] clauses, boolean unbiased) {
    AsyncSelect<R> s = new AsyncSelect<>(clauses);
    if (s.start(unbiased)) {
      try {
        return CompletableFuture.completedFuture(
            s.result(s.startIndex, s.startItem, s.startClosed));
      } catch (RuntimeException | Error failure) {
        return CompletableFuture.failedFuture(failure);
      }
    }
    if (s.timeoutIndex >= 0) {
      s.scheduleTimeout(s.clauses[s.timeoutIndex].timeoutNanos);
    }
    return s.future;
  }

  /**
   * A select whose thread parks until a clause wins. The thread sets {@link #parked} and then reads
   * the select's state; a claimer {@code cas}es the state and then reads {@code parked}: with both
   * accesses volatile, one of them sees the other (see {@link Parker}).
   */
  private static final class BlockingSelect<R> extends SelectInstance<R>
      implements Parker.Parkable {
    private final Thread thread = Thread.currentThread();
    private volatile boolean parked;

    BlockingSelect(Object[] clauses) {
      super(clauses);
    }

    @Override
    public boolean announcePark() {
      parked = true; // sv: before the last look at the state
      return isPending();
    }

    @Override
    void resume() {
      if (parked) { // lv: after the claim's cas
        LockSupport.unpark(thread);
      }
    }
  }

  /** A select that completes a future when a clause wins, in the winner's thread. */
  private static final class AsyncSelect<R> extends SelectInstance<R> {
    final WaiterFuture<R> future = new WaiterFuture<>(this::withdraw);

    /** The pending timeout, if any; cancelled once the select is decided. */
    private volatile @Nullable ScheduledFuture<?> timer;

    AsyncSelect(Object[] clauses) {
      super(clauses);
    }

    void scheduleTimeout(long nanos) {
      ScheduledFuture<?> t = Timer.schedule(this::onTimeout, nanos);
      timer = t;
      if (!isPending()) {
        t.cancel(false); // decided before the timer was stored: nobody else will cancel it
      }
    }

    /**
     * Runs on the timer thread: claims the select, and leaves the user's code (the clause's
     * function and the future's dependents) to the futures' default executor, so that one slow
     * dependent cannot hold up every other select's timeout.
     */
    private void onTimeout() {
      if (tryClaim(TIMED_OUT)) {
        future.defaultExecutor().execute(() -> finish(timeoutIndex, null, false));
      }
    }

    private boolean withdraw() {
      if (!tryClaim(WITHDRAWN)) {
        return false;
      }
      cleanUp();
      return true;
    }

    @Override
    void resume() {
      SelectWaiter<?> winner = (SelectWaiter<?>) state();
      assert winner != null;
      finish(winner.index, winner.item, winner.closed);
    }

    private void finish(int index, @Nullable Object item, boolean closed) {
      cleanUp();
      R value;
      try {
        value = result(index, item, closed);
      } catch (RuntimeException | Error failure) {
        future.fail(failure);
        return;
      }
      future.settle(value);
    }

    private void cleanUp() {
      unlinkAll();
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
