/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The lane of a bounded channel: a ring of {@code capacity} slots, each with a sequence number that
 * says whose turn it is (Vyukov's bounded MPMC queue, with the claim words of {@link Lane}).
 *
 * <pre>
 *   seq == 2p           the slot is free for the send at position p
 *   seq == 2p + 1       it holds the element sent at p, for the receive at p
 *   seq == 2(p + n)     the receive at p cleared it: free for the send at p + n
 * </pre>
 *
 * The numbers are doubled so that "holds p" and "free for p + 1" differ when {@code n} is 1 (with
 * {@code p + 1} and {@code p + n} they are the same number, and a send would overwrite an element).
 *
 * <p>Allocates nothing after construction.
 *
 * @param <E> the element type
 */
final class ArrayLane<E> extends Lane<E> {
  private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);

  private final int n;

  /**
   * {@code n - 1} when {@code n} is a power of two, else -1 (then slots are found by {@code %}).
   */
  private final int mask;

  private final long[] seqs;
  private final @Nullable Object[] items;

  ArrayLane(int capacity, boolean slowSends, boolean slowReceives) {
    super(slowSends, slowReceives);
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity);
    }
    this.n = capacity;
    this.mask = Integer.bitCount(capacity) == 1 ? capacity - 1 : -1;
    this.seqs = new long[capacity];
    this.items = new Object[capacity];
    for (int i = 0; i < capacity; i++) {
      seqs[i] = 2L * i;
    }
  }

  private int slot(long p) {
    return mask >= 0 ? (int) p & mask : (int) (p % n);
  }

  @Override
  int offer(E e, boolean locked) {
    for (int waits = 0; ; ) {
      long t = tail();
      if ((t & FLAGS) != 0) { // one test on the fast path; the flags are told apart past it
        if ((t & BATCH) != 0) {
          waits = backOff(waits); // a batch claim holds the tail still for a few instructions
          continue;
        }
        if (!locked) {
          return BLOCKED_SEND;
        }
      }
      long p = t >>> SHIFT;
      long held = held(t) + (locked ? heldOver : 0);
      if (held != 0 && (p - (head() >>> SHIFT)) + held >= n) {
        // The places left are held by permits (only the lock holder gets here with some held).
        if (tail() == t) {
          return FULL; // LP: the head read; the tail was at t throughout
        }
        continue;
      }
      int i = slot(p);
      long s = (long) SEQ.getAcquire(seqs, i);
      if (s == 2 * p) {
        if (casTail(t, t + ONE)) { // LP: claimed
          items[i] = e; // plain: published by the release below
          SEQ.setRelease(seqs, i, 2 * p + 1);
          return OK;
        }
      } else if (s < 2 * p) {
        // The slot still holds the element sent at p - n. Full, unless a receive has claimed it
        // and is clearing the slot: then wait for that.
        if ((head() >>> SHIFT) <= p - n) {
          if (tail() == t) {
            return FULL; // LP: the head read; the tail was at p throughout
          }
        } else {
          waits = backOff(waits);
        }
      }
      // s > 2p: another send claimed p; read the tail again.
    }
  }

  @Override
  Object poll(boolean locked) {
    for (int waits = 0; ; ) {
      long h = head();
      if (!locked && (h & FLAGS) != 0) {
        return BLOCKED;
      }
      long p = h >>> SHIFT;
      int i = slot(p);
      long s = (long) SEQ.getAcquire(seqs, i);
      if (s == 2 * p + 1) {
        if (casHead(h, h + ONE)) { // LP: claimed
          Object e = items[i];
          items[i] = null;
          SEQ.setRelease(seqs, i, 2 * (p + n));
          assert e != null;
          return e;
        }
      } else if (s < 2 * p + 1) {
        // Nothing published at p: empty if the tail is at p too, else a send is publishing.
        long t = tail();
        if ((t >>> SHIFT) == p) {
          return (t & CLOSED) != 0 ? CLOSED_EMPTY : EMPTY; // LP: the tail read
        }
        waits = backOff(waits);
      }
      // s > 2p + 1: another receive claimed p; read the head again.
    }
  }

  @Override
  int pollMany(Object[] out, int max) {
    for (int waits = 0; ; ) {
      long h = head();
      if ((h & FLAGS) != 0) {
        return MANY_BLOCKED;
      }
      long p = h >>> SHIFT;
      long t = tail();
      long size = (t >>> SHIFT) - p;
      if (size <= 0) {
        // The head never passes the tail, so it was still at p when the tail was read.
        return (t & CLOSED) != 0 ? MANY_CLOSED : 0; // LP: the tail read
      }
      if (!fixTail(t)) {
        if ((t & BATCH) != 0) {
          waits = backOff(waits); // another batch's claim
        }
        continue;
      }
      // The tail holds still until releaseTail(): sends that claimed are all counted in size.
      int k = (int) Math.min(max, size);
      boolean claimed = casHead(h, h + k * ONE); // LP: the run is min(max, size) now
      releaseTail();
      if (!claimed) {
        continue; // another receive moved the head
      }
      // Positions p .. p + k - 1 are ours; a send still publishing one does so soon.
      for (int j = 0; j < k; j++) {
        long q = p + j;
        int i = slot(q);
        for (int w = 0; (long) SEQ.getAcquire(seqs, i) != 2 * q + 1; ) {
          w = backOff(w);
        }
        out[j] = items[i];
        items[i] = null;
        SEQ.setRelease(seqs, i, 2 * (q + n));
      }
      return k;
    }
  }

  @Override
  long bound() {
    return n;
  }

  @Override
  int offerHeld(E e, boolean locked) {
    while (true) {
      long t = tail();
      if ((t & CLOSED) != 0) {
        return HOLD_CLOSED;
      }
      if ((t & BATCH) != 0) {
        Thread.onSpinWait(); // a batch claim holds the tail still for a few instructions
        continue;
      }
      if ((!locked && (t & (WAITERS | OVER | SLOW)) != 0) || held(t) == 0) {
        return HOLD_BLOCKED;
      }
      long p = t >>> SHIFT;
      // The held place is this position's: elements plus held places never pass n, so the
      // receive of p - n has claimed; if it is still clearing the slot, it does so soon.
      if (casTail(t, t + ONE - HELD_ONE)) { // LP: claimed, and the held place given back
        int i = slot(p);
        for (int waits = 0; (long) SEQ.getAcquire(seqs, i) != 2 * p; ) {
          waits = backOff(waits);
        }
        items[i] = e; // plain: published by the release below
        SEQ.setRelease(seqs, i, 2 * p + 1);
        return OK;
      }
    }
  }

  @Override
  int offerMany(Object[] run, int from, int k) {
    while (true) {
      long t = tail();
      if ((t & BATCH) != 0) {
        Thread.onSpinWait(); // a batch claim holds the tail still for a few instructions
        continue;
      }
      if ((t & FLAGS) != 0) {
        return MANY_BLOCKED;
      }
      long p = t >>> SHIFT;
      if (n - (p - (head() >>> SHIFT)) < k) {
        if (tail() == t) {
          return 0; // LP: the head read; the tail was at p throughout
        }
        continue;
      }
      if (casTail(t, t + k * ONE)) { // LP: at the head read before it, the tail still at p
        // The receives of positions p + j - n have all claimed (the room says so); one still
        // clearing its slot does so soon.
        for (int j = 0; j < k; j++) {
          long q = p + j;
          int i = slot(q);
          for (int waits = 0; (long) SEQ.getAcquire(seqs, i) != 2 * q; ) {
            waits = backOff(waits);
          }
          items[i] = run[from + j]; // plain: published by the release below
          SEQ.setRelease(seqs, i, 2 * q + 1);
        }
        return k;
      }
    }
  }

  @Override
  int roomHint() {
    return (int) Math.max(0, n - ((tail() >>> SHIFT) - (head() >>> SHIFT)));
  }

  @Override
  boolean headPublished() {
    return published(0);
  }

  @Override
  boolean published(long offset) {
    long p = (head() >>> SHIFT) + offset;
    return offset < n && (long) SEQ.getAcquire(seqs, slot(p)) == 2 * p + 1;
  }

  @Override
  long slots() {
    return n;
  }
}
