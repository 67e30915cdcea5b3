/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.Permit;
import dev.sluice.channels.SelectClause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Java face of permits ({@code reserve} and its kin on {@link BufferedChannel}). Keeps one
 * invariant: every place the engine reserved ends up in exactly one permit that reached the caller,
 * or is given back. A reserve is a send of a {@link ReserveRequest} through the machinery every
 * send uses (the locked entry, a parked thread's waiter, a future's, a select's), so waiting,
 * interrupts, timeouts and cancellation behave as a send's do: a reserve that throws, times out or
 * is cancelled holds no place, and one that was claimed first returns its permits.
 */
final class ChannelPermits {
  private ChannelPermits() {}

  static <E> Permit<E> reserve(BufferedChannel<E> c) throws InterruptedException {
    c.checkPermits();
    boolean reserved = reserveBlocking(c, 1, false, 0L);
    assert reserved : "an untimed reserve returns a permit or throws";
    return c.grantedPermit();
  }

  static <E> @Nullable Permit<E> reserve(BufferedChannel<E> c, Duration timeout)
      throws InterruptedException {
    long nanos = Deadline.timeoutNanos(Objects.requireNonNull(timeout, "timeout"));
    c.checkPermits();
    return reserveBlocking(c, 1, true, Deadline.after(nanos)) ? c.grantedPermit() : null;
  }

  static <E> @Nullable Permit<E> tryReserve(BufferedChannel<E> c) {
    c.checkPermits();
    return tryReserve(c, 1) ? c.grantedPermit() : null;
  }

  static <E> List<Permit<E>> reserveMany(BufferedChannel<E> c, int n) throws InterruptedException {
    checkMany(c, n);
    boolean reserved = reserveBlocking(c, n, false, 0L);
    assert reserved : "an untimed reserve returns permits or throws";
    return permits(c, n);
  }

  static <E> @Nullable List<Permit<E>> tryReserveMany(BufferedChannel<E> c, int n) {
    checkMany(c, n);
    return tryReserve(c, n) ? permits(c, n) : null;
  }

  static <E> CompletableFuture<Permit<E>> reserveAsync(BufferedChannel<E> c) {
    c.checkPermits();
    switch (c.tryReserveOutcome(1)) {
      case Outcome.SENT:
        return CompletableFuture.completedFuture(c.grantedPermit());
      case Outcome.CLOSED:
        return CompletableFuture.failedFuture(c.closedForSend());
      default: // full: wait
        break;
    }
    E request = ReserveRequest.ONE.asElement();
    PermitWaiter<E> w = new PermitWaiter<>(c, request);
    switch (c.sendOrEnqueue(w)) {
      case Outcome.CLOSED:
        return CompletableFuture.failedFuture(c.closedForSend());
      case Outcome.QUEUED:
        return w.future;
      default:
        return CompletableFuture.completedFuture(c.grantedPermit());
    }
  }

  /**
   * A select clause that reserves a place. The permit is made in the selecting thread once the
   * clause won; if {@code then} throws, the permit is released, and the select throws.
   */
  static <E, R> SelectClause<R> onReserve(
      BufferedChannel<E> c, Function<? super Permit<E>, ? extends R> then) {
    Objects.requireNonNull(then, "then");
    c.checkPermits();
    return Clause.send(
        c,
        ReserveRequest.ONE.<E>asElement(),
        () -> {
          Permit<E> permit = c.grantedPermit();
          try {
            return then.apply(permit);
          } catch (Throwable failure) {
            permit.release();
            throw failure;
          }
        });
  }

  private static <E> void checkMany(BufferedChannel<E> c, int n) {
    c.checkPermits();
    if (n < 1) {
      throw new IllegalArgumentException("reserveMany takes at least 1 place, was " + n);
    }
    if (n > c.capacity) {
      throw new IllegalArgumentException(
          "reserveMany(" + n + ") can never succeed: the channel holds " + c.capacity);
    }
  }

  private static <E> List<Permit<E>> permits(BufferedChannel<E> c, int n) {
    List<Permit<E>> permits = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      permits.add(c.grantedPermit());
    }
    return permits;
  }

  private static boolean tryReserve(BufferedChannel<?> c, int places) {
    int outcome = c.tryReserveOutcome(places);
    if (outcome == Outcome.CLOSED) {
      throw c.closedForSend();
    }
    return outcome == Outcome.SENT;
  }

  /**
   * Reserves {@code places} places, waiting (until {@code deadline}, if {@code timed}) while they
   * are not all free.
   *
   * @return {@code true} if they are reserved, {@code false} if the deadline passed first
   */
  private static <E> boolean reserveBlocking(
      BufferedChannel<E> c, int places, boolean timed, long deadline) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (tryReserve(c, places)) {
      return true;
    }
    if (timed && Deadline.nanosLeft(deadline) == 0) {
      return false;
    }
    return c.sendQueued(ReserveRequest.of(places).asElement(), timed, deadline);
  }
}
