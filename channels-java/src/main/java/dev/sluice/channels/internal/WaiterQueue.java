/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A FIFO of waiters, linked through the waiters themselves so that enqueueing allocates nothing and
 * a withdrawn waiter unlinks in constant time. Guarded by the owning channel's lock, like every
 * field of the waiters it links.
 *
 * @param <E> the channel's element type
 */
final class WaiterQueue<E> {
  private @Nullable Waiter<E> head;
  private @Nullable Waiter<E> tail;
  private int size;

  /** How many queued waiters resume in their claim ({@link Waiter#resumesInClaim()}). */
  private int resumingInClaim;

  boolean isEmpty() {
    return head == null;
  }

  /**
   * Whether a waiter may be queued, read without the lock: a hint that may be stale by the time the
   * caller acts on it, for choosing between two paths that are both correct.
   */
  boolean mayBeNonEmpty() {
    return HEAD.getOpaque(this) != null;
  }

  int size() {
    return size;
  }

  /**
   * Whether a queued waiter resumes in its claim, so that claims here need a {@link ClaimFrame}.
   */
  boolean needsFrame() {
    return resumingInClaim != 0;
  }

  void addLast(Waiter<E> w) {
    w.queue = this;
    w.next = null;
    w.prev = tail;
    if (tail == null) {
      head = w;
    } else {
      tail.next = w;
    }
    tail = w;
    size++;
    if (w.resumesInClaim()) {
      resumingInClaim++;
    }
  }

  /** The first waiter, or {@code null}; the rest follow through {@link Waiter#next}. */
  @Nullable Waiter<E> first() {
    return head;
  }

  /** Removes and returns the first waiter, or {@code null}. */
  @Nullable Waiter<E> pollFirst() {
    Waiter<E> w = head;
    if (w != null) {
      remove(w);
    }
    return w;
  }

  /** Removes {@code w} if it is in this queue; does nothing if it was already removed. */
  void remove(Waiter<E> w) {
    if (w.queue != this) {
      return;
    }
    Waiter<E> p = w.prev;
    Waiter<E> n = w.next;
    if (p == null) {
      head = n;
    } else {
      p.next = n;
    }
    if (n == null) {
      tail = p;
    } else {
      n.prev = p;
    }
    w.prev = null;
    w.next = null;
    w.queue = null;
    size--;
    if (w.resumesInClaim()) {
      resumingInClaim--;
    }
  }

  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(WaiterQueue.class, "head", Waiter.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
