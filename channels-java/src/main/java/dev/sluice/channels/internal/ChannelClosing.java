/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Closing and cancelling a channel, the layer of the engine between its state ({@link ChannelCore})
 * and its entry points ({@link ChannelEngine}). Keeps one invariant: a closed channel has no waiter
 * and no reserved place. The close is one locked step: it sets {@code closed}, then the lane's
 * {@code CLOSED} flag (its linearization point, after which no send claims a place), fails every
 * waiter, and voids every permit; a cancel also discards what is buffered. Everything that runs
 * user code (resumed waiters, the close handler, the close signals, the undelivered-element
 * handler) runs after the unlock.
 *
 * @param <E> the element type
 */
public abstract sealed class ChannelClosing<E> extends ChannelCore<E> permits ChannelEngine {
  ChannelClosing(
      int capacity, BufferOverflow overflow, @Nullable Consumer<? super E> onUndelivered) {
    super(capacity, overflow, onUndelivered);
  }

  // ---------------------------------------------------------------------------------------------
  // The locked step.

  final boolean closeOrCancel(@Nullable Throwable cause, boolean cancel) {
    return finish(null, cause, cancel) == Outcome.SENT;
  }

  /**
   * Closes or cancels the channel, after sending {@code last} in the same step if it is given (and
   * doing nothing at all if {@code last} cannot be sent now).
   *
   * @return {@link Outcome#SENT} if this call closed the channel (having sent {@code last}, if
   *     given); {@link Outcome#CLOSED} if it was closed before; {@link Outcome#FULL} if {@code
   *     last} found no room
   */
  final int finish(@Nullable E last, @Nullable Throwable cause, boolean cancel) {
    int outcome;
    Waiter<E> resume = null; // the receive handed last
    E drop = null;
    Waiter<E> failed = null; // claimed waiters to resume, chained through their next links
    List<E> discarded = null;
    Object handler = null;
    CloseSignals signals = null;
    if (!lockForClaims()) {
      return ClaimFrame.call(() -> finish(last, cause, cancel));
    }
    try {
      if (last != null) {
        // Shut fast receives first, so that none takes last before the close below is seen with
        // it (found by OneshotLincheckTest). settle() opens the lane again.
        lane.markHead(Lane.SENDERS, true);
      }
      outcome = last == null ? Outcome.SENT : sendLocked(last);
      if (outcome == Outcome.SENT) {
        if (last != null) {
          resume = takeResume();
          drop = takeDropped();
          closedBySend = true;
        }
        outcome = closed ? Outcome.CLOSED : Outcome.SENT;
        if (cancel) {
          cancelled = true;
          lane.markHead(Lane.DRAINING, true); // before CLOSED: see Lane
        }
        if (outcome == Outcome.SENT) {
          closeCause = cause;
          closed = true;
          lane.setTailFlags(Lane.CLOSED); // LP: of close; no send claims a place after it
          lane.dropHeld(); // every permit is void
          failed = claimAllClosed(senders, null);
          failed = claimAllClosed(receivers, failed);
          handler = closeHandler;
          if (handler != null) {
            closeHandler = HANDLER_RAN;
          }
          signals = closeSignals;
        }
        if (cancel) {
          // DRAINING keeps receives off the fast path; those that claimed before it keep theirs.
          ArrayDeque<E> given = front;
          if (given != null && !given.isEmpty()) {
            discarded = new ArrayList<>(given);
            given.clear();
            returned = 0;
          }
          for (Object x; isElement(x = lane.poll(true)); ) {
            if (discarded == null) {
              discarded = new ArrayList<>();
            }
            discarded.add(cast(x));
          }
        }
      }
      settle();
    } finally {
      lock.unlock();
    }
    afterUnlock(resume, drop);
    while (failed != null) {
      Waiter<E> next = failed.next;
      failed.next = null;
      try {
        failed
            .resume(); // the engine's waiters never throw; a plugged-in one must not strand others
      } catch (Throwable failure) {
        reportUncaught(failure);
      }
      failed = next;
    }
    if (handler != null) {
      runCloseHandler(handler, cause);
    }
    if (signals != null) {
      signals.fire();
    }
    if (discarded != null) {
      for (E e : discarded) {
        undelivered(e);
      }
    }
    return outcome;
  }

  /** Runs a close handler ({@code invokeOnClose}); what it throws goes to the uncaught handler. */
  @SuppressWarnings("unchecked") // only Consumer<? super Throwable>s are stored
  static void runCloseHandler(Object handler, @Nullable Throwable cause) {
    try {
      ((Consumer<? super @Nullable Throwable>) handler).accept(cause);
    } catch (Throwable failure) {
      reportUncaught(failure);
    }
  }

  /**
   * Claims every waiter of {@code queue} as failed by close; chains them in front of {@code acc}.
   */
  private static <E> @Nullable Waiter<E> claimAllClosed(
      WaiterQueue<E> queue, @Nullable Waiter<E> acc) {
    for (Waiter<E> w; (w = queue.pollFirst()) != null; ) {
      w.closed = true;
      if (w.tryClaim()) {
        w.next = acc; // the waiter is out of every queue now: its link is free to reuse
        acc = w;
      }
    }
    return acc;
  }

  /**
   * The signals of this channel's close (a future, a select clause), made on first use; already
   * fired if the channel is closed.
   *
   * @return the signals
   */
  public CloseSignals closeSignals() {
    lock.lock(false);
    try {
      CloseSignals signals = closeSignals;
      if (signals == null) {
        signals = closeSignals = new CloseSignals();
        if (closed) {
          // Made after the close, so nothing else will fire it. Safe under the lock: nobody has
          // seen these signals yet, so no dependent and no select runs now.
          signals.fire();
        }
      }
      return signals;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Registers the handler that runs once when the channel is closed or cancelled, with the close
   * cause (or {@code null}); at once, in this thread, if the channel is closed already. It runs in
   * the closing thread after the close took effect, with no lock held; what it throws goes to that
   * thread's uncaught-exception handler.
   *
   * @param handler the handler
   * @throws IllegalStateException if a handler was registered before (whether or not it ran)
   */
  public void invokeOnClose(Consumer<? super @Nullable Throwable> handler) {
    Objects.requireNonNull(handler, "handler");
    boolean runNow;
    lock.lock();
    try {
      if (closeHandler == HANDLER_RAN) {
        throw new IllegalStateException("another close handler was registered and has run");
      }
      if (closeHandler != null) {
        throw new IllegalStateException("another close handler is already registered");
      }
      runNow = closed;
      closeHandler = runNow ? HANDLER_RAN : handler;
    } finally {
      lock.unlock();
    }
    if (runNow) {
      runCloseHandler(handler, closeCause());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The public close and cancel.

  /**
   * Closes the channel: sends fail from then on, receives take what is buffered and then fail.
   *
   * @return {@code true} if this call closed the channel, {@code false} if it was closed before
   */
  public boolean close() {
    return closeOrCancel(null, false);
  }

  /**
   * Closes the channel with {@code cause}, which the failures of sends and receives carry.
   *
   * @param cause the cause
   * @return {@code true} if this call closed the channel, {@code false} if it was closed before
   */
  public boolean close(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    return closeOrCancel(cause, false);
  }

  /** Closes the channel and discards what is buffered, handing it to the undelivered handler. */
  public void cancel() {
    closeOrCancel(new CancellationException("channel was cancelled"), true);
  }

  /**
   * Cancels the channel with {@code cause} as its close cause: {@link #cancel()} with a cause of
   * the caller's choosing.
   *
   * @param cause the cause that failing receives and sends carry
   * @return {@code true} if this call closed the channel, {@code false} if it was closed before
   *     (its buffer is discarded either way)
   */
  public boolean cancel(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    return closeOrCancel(cause, true);
  }

  /**
   * The cause the channel was closed with, or {@code null} for a plain {@code close()}. Only
   * meaningful once the channel is seen closed.
   *
   * @return the close cause, or {@code null}
   * @throws AssertionError (with assertions on) if the channel is open
   */
  public @Nullable Throwable closeCauseOrNull() {
    return closeCause();
  }

  /**
   * Sends {@code element} if the channel can take it now, and closes the channel in the same step:
   * no other send comes between, and receivers get the element, then find the channel closed. A
   * oneshot's send.
   *
   * @param element the element
   * @return {@link Outcome#SENT} (sent, and this call closed the channel), {@link Outcome#FULL} or
   *     {@link Outcome#CLOSED} (closed before); after the last two nothing changed
   */
  public int sendAndClose(E element) {
    Objects.requireNonNull(element, "element");
    return finish(element, null, false);
  }

  /**
   * Whether the channel was closed by {@link #sendAndClose}, rather than by {@code close} or {@code
   * cancel}.
   *
   * @return {@code true} if a {@code sendAndClose} closed the channel
   */
  public boolean isClosedBySend() {
    return closedBySend;
  }
}
