/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One run of a select: its clauses, the channels they touch, and the state that decides which
 * clause wins.
 *
 * <h2>Implementation notes</h2>
 *
 * A select runs in two steps, as Go's does. {@link #start} locks every channel of the clauses, in
 * {@link ChannelCore#id} order (so two selects never deadlock), and looks at the clauses in order:
 * the first one that can complete at once completes, under the locks, exactly as the plain
 * operation would. If none can, it queues one {@link SelectWaiter} per channel clause, all before
 * it unlocks, so no counterpart can see a half-registered select.
 *
 * <p>After that, the select is decided by one {@code cas} on {@link #state}:
 *
 * <pre>
 *   null --cas by a counterpart (under its channel's lock)--> the winning SelectWaiter
 *   null --cas by the select's own side----------------------> TIMED_OUT or WITHDRAWN
 * </pre>
 *
 * The waiters that did not win stay in their queues until the select's side unlinks them ({@link
 * #unlinkAll}); a counterpart that meets one first fails to claim it and moves on, so a losing
 * clause never takes or gives an element.
 *
 * @param <R> the select's result type
 */
abstract class SelectInstance<R> {
  /** {@link #state} after the select's timeout clause won. */
  static final Object TIMED_OUT = new Object();

  /**
   * {@link #state} after the select was withdrawn: interrupt, or its future completed from outside.
   */
  static final Object WITHDRAWN = new Object();

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SelectInstance.class, "state", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final Clause<? extends R>[] clauses;

  /** The distinct channels of the clauses, in lock order. */
  private final BufferedChannel<Object>[] channels;

  /** Index of the timeout clause with the earliest deadline, or -1. */
  final int timeoutIndex;

  /** Index of the first {@code orElse} clause, or -1. */
  private final int orElseIndex;

  /** The waiters {@link #start} queued; empty if it completed a clause at once. */
  private SelectWaiter<?>[] waiters = new SelectWaiter<?>[0];

  /** The clause that {@link #start} completed at once, with its outcome; -1 if it registered. */
  int startIndex = -1;

  @Nullable Object startItem;
  boolean startClosed;

  /** Null while undecided; see the class notes. */
  @SuppressWarnings("unused") // accessed through STATE
  private volatile @Nullable Object state;

  @SuppressWarnings("unchecked") // the array only ever holds Clauses
  SelectInstance(Object[] rawClauses) {
    if (rawClauses.length == 0) {
      throw new IllegalArgumentException("a select needs at least one clause");
    }
    Clause<? extends R>[] cs = new Clause[rawClauses.length];
    BufferedChannel<Object>[] chs = new BufferedChannel[rawClauses.length];
    int channelCount = 0;
    int timeout = -1;
    int orElse = -1;
    for (int i = 0; i < rawClauses.length; i++) {
      Object raw = rawClauses[i];
      if (raw == null) {
        throw new NullPointerException("clause " + i + " is null");
      }
      if (!(raw instanceof Clause)) {
        throw new IllegalArgumentException(
            "clause " + i + " was not made by Sluice: " + raw.getClass().getName());
      }
      Clause<? extends R> c = (Clause<? extends R>) raw;
      cs[i] = c;
      switch (c.kind) {
        case SEND:
        case RECEIVE:
          BufferedChannel<Object> ch = c.channel;
          assert ch != null;
          boolean seen = false;
          for (int j = 0; j < channelCount && !seen; j++) {
            seen = chs[j] == ch;
          }
          if (!seen) {
            chs[channelCount++] = ch;
          }
          break;
        case TIMEOUT:
          if (timeout < 0 || c.timeoutNanos < cs[timeout].timeoutNanos) {
            timeout = i;
          }
          break;
        default:
          if (orElse < 0) {
            orElse = i;
          }
      }
    }
    this.clauses = cs;
    this.channels = Arrays.copyOf(chs, channelCount);
    Arrays.sort(this.channels, Comparator.comparingLong(ch -> ch.id));
    this.timeoutIndex = timeout;
    this.orElseIndex = orElse;
  }

  /**
   * Completes the first clause that can complete at once, or queues the select's waiters.
   *
   * @param unbiased whether to look at the clauses from a random start rather than from the first
   * @return {@code true} if a clause completed ({@link #startIndex} says which), {@code false} if
   *     the select now waits
   */
  final boolean start(boolean unbiased) {
    Waiter<Object> resume = null;
    Object drop = null;
    BufferedChannel<Object> dropChannel = null;
    boolean needsFrame = false;
    for (BufferedChannel<Object> ch : channels) {
      ch.lockQueues();
      needsFrame |= ch.needsFrameLocked();
    }
    if (needsFrame) {
      // A waiter here resumes in its claim: start over inside a frame (see ClaimFrame).
      for (int i = channels.length - 1; i >= 0; i--) {
        channels[i].settle();
        channels[i].lock.unlock();
      }
      return ClaimFrame.call(() -> start(unbiased));
    }
    try {
      int n = clauses.length;
      int offset = unbiased && n > 1 ? ThreadLocalRandom.current().nextInt(n) : 0;
      // Two passes, as a plain operation does: the second after shutting the fast path of every
      // channel involved (ChannelCore#beginWait), so that what it finds full or empty stays so
      // until the select's waiters are queued.
      for (int pass = 0; pass < 2 && startIndex < 0; pass++) {
        if (pass == 1) {
          for (Clause<? extends R> c : clauses) {
            if (c.channel != null) {
              c.channel.beginWait(c.kind == Clause.Kind.SEND);
            }
          }
        }
        for (int k = 0; k < n && startIndex < 0; k++) {
          int i = offset + k < n ? offset + k : offset + k - n;
          Clause<? extends R> c = clauses[i];
          BufferedChannel<Object> ch = c.channel;
          if (c.kind == Clause.Kind.SEND) {
            assert ch != null && c.element != null;
            int outcome = ch.sendLocked(c.element);
            if (outcome != Outcome.FULL) {
              startIndex = i;
              startClosed = outcome == Outcome.CLOSED;
              resume = ch.takeResume();
              drop = ch.takeDropped();
              dropChannel = ch;
            }
          } else if (c.kind == Clause.Kind.RECEIVE) {
            assert ch != null;
            Object e = ch.receiveLocked();
            if (e != null || ch.isClosedLocked()) {
              startIndex = i;
              startItem = e;
              startClosed = e == null;
              resume = ch.takeResume();
            }
          }
        }
      }
      if (startIndex < 0) {
        if (orElseIndex >= 0) {
          startIndex = orElseIndex;
        } else if (timeoutIndex >= 0 && clauses[timeoutIndex].timeoutNanos == 0) {
          startIndex = timeoutIndex;
        } else {
          register();
        }
      }
    } finally {
      for (int i = channels.length - 1; i >= 0; i--) {
        channels[i].settle();
        channels[i].lock.unlock();
      }
    }
    if (dropChannel != null) {
      dropChannel.afterUnlock(resume, drop);
    } else if (resume != null) {
      resume.resume();
    }
    return startIndex >= 0;
  }

  /** Queues one waiter per channel clause. Under the locks of every channel. */
  private void register() {
    SelectWaiter<?>[] ws = new SelectWaiter<?>[clauses.length];
    int count = 0;
    for (int i = 0; i < clauses.length; i++) {
      Clause<? extends R> c = clauses[i];
      BufferedChannel<Object> ch = c.channel;
      if (ch == null) {
        continue;
      }
      SelectWaiter<Object> w = new SelectWaiter<>(ch, c.element, this, i);
      if (c.kind == Clause.Kind.SEND) {
        ch.enqueueSender(w);
      } else {
        ch.enqueueReceiver(w);
      }
      ws[count++] = w;
    }
    waiters = Arrays.copyOf(ws, count);
  }

  /** Claims the select for {@code winner}: a waiter, {@link #TIMED_OUT} or {@link #WITHDRAWN}. */
  final boolean tryClaim(Object winner) {
    return STATE.compareAndSet(this, null, winner); // cas: one winner, ever
  }

  final @Nullable Object state() {
    return STATE.getVolatile(this); // lv
  }

  /**
   * Whether no clause has won yet (nor the timeout, nor a withdrawal).
   *
   * @return {@code true} while undecided
   */
  public final boolean isPending() {
    return state() == null;
  }

  /** Unlinks every waiter the select queued; those already claimed or unlinked are skipped. */
  final void unlinkAll() {
    for (SelectWaiter<?> w : waiters) {
      unlinkOne(w);
    }
  }

  private static <E> void unlinkOne(SelectWaiter<E> w) {
    w.channel.unlink(w);
  }

  /**
   * The result of the clause that won, once its operation happened.
   *
   * @throws dev.sluice.channels.ChannelClosedException if the clause's channel was closed
   */
  final R result(int index, @Nullable Object item, boolean closed) {
    Clause<? extends R> c = clauses[index];
    if (closed) {
      BufferedChannel<Object> ch = c.channel;
      assert ch != null;
      throw c.kind == Clause.Kind.SEND ? ch.closedForSend() : ch.closedForReceive();
    }
    return c.complete(item);
  }

  /** The result after a waiter won: its clause, its element, its closed flag. */
  final R resultOf(SelectWaiter<?> winner) {
    return result(winner.index, winner.item, winner.closed);
  }

  /** Lets the select's side go on after a counterpart claimed it. With no lock held. */
  abstract void resume();
}
