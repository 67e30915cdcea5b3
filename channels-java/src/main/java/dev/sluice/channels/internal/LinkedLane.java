/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The lane of an unbounded channel, or of a bounded one too large to allocate up front: a linked
 * list of fixed-size chunks, position {@code p} living in the chunk that starts at {@code p - p %
 * CHUNK}.
 *
 * <h2>Implementation notes</h2>
 *
 * A slot is {@code null} until its send publishes the element, and {@code null} again once its
 * receive took it; a position is claimed once, so a slot is never reused. Sends and receives find
 * their chunk by walking {@code next} links from {@link #tailChunk} or {@link #headChunk}, creating
 * missing chunks with a {@code cas} on {@code next}. Each reads that hint <em>before</em> it reads
 * the claim word, which keeps the hint at or before the position it then claims: a hint is only
 * ever moved to the chunk of a position claimed before it was moved, so before ours.
 *
 * <p>A send makes sure its chunk exists before it claims, so that an {@link OutOfMemoryError}
 * leaves nothing claimed and unpublished (receives would wait for that position forever).
 *
 * <p>With a {@link #bound}, a send reports full when {@code bound} positions separate the tail from
 * the head, read as {@link ArrayLane} reads its sequence numbers: the head, then the tail again.
 *
 * <p>Chunks behind both hints are unreachable, so a drained burst is given back to the collector.
 *
 * @param <E> the element type
 */
final class LinkedLane<E> extends Lane<E> {
  /** Slots per chunk: a power of two. */
  static final int CHUNK = 64;

  private static final VarHandle ITEM = MethodHandles.arrayElementVarHandle(Object[].class);
  private static final VarHandle NEXT;
  private static final VarHandle HEAD_CHUNK;
  private static final VarHandle TAIL_CHUNK;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      NEXT = l.findVarHandle(Chunk.class, "next", Chunk.class);
      HEAD_CHUNK = l.findVarHandle(LinkedLane.class, "headChunk", Chunk.class);
      TAIL_CHUNK = l.findVarHandle(LinkedLane.class, "tailChunk", Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile Chunk headChunk;
  private volatile Chunk tailChunk;

  /** The most elements the lane holds, or {@link Long#MAX_VALUE}. */
  private final long bound;

  /**
   * @param bound the capacity, or {@link Long#MAX_VALUE} for none
   * @param slowSends whether every send must take the lock
   * @param slowReceives whether every receive must take the lock
   */
  LinkedLane(long bound, boolean slowSends, boolean slowReceives) {
    super(slowSends, slowReceives);
    this.bound = bound;
    Chunk first = new Chunk(0);
    headChunk = first;
    tailChunk = first;
  }

  @Override
  long bound() {
    return bound;
  }

  @Override
  int offer(E e, boolean locked) {
    Chunk hint;
    Chunk c;
    long t;
    while (true) {
      hint = tailChunk; // before the claim word: see the class notes
      t = tail();
      if ((t & FLAGS) != 0) { // one test on the fast path; the flags are told apart past it
        if ((t & BATCH) != 0) {
          Thread.onSpinWait(); // a batch claim holds the tail still for a few instructions
          continue;
        }
        if (!locked) {
          return BLOCKED_SEND;
        }
      }
      long p = t >>> SHIFT;
      long held = held(t) + (locked ? heldOver : 0); // places held by permits count as taken
      if (bound != Long.MAX_VALUE && p - (head() >>> SHIFT) + held >= bound) {
        if (tail() == t) {
          return FULL; // LP: the head read; the tail was at p throughout
        }
        continue;
      }
      c = find(hint, p, true); // before the claim: see the class notes
      assert c != null;
      if (casTail(t, t + ONE)) { // LP: claimed
        break;
      }
    }
    long p = t >>> SHIFT;
    ITEM.setRelease(c.items, (int) (p - c.start), e);
    if (c != hint) {
      advance(TAIL_CHUNK, hint, c);
    }
    return OK;
  }

  @Override
  Object poll(boolean locked) {
    for (int waits = 0; ; ) {
      Chunk hint = headChunk; // before the claim word: see the class notes
      long h = head();
      if (!locked && (h & FLAGS) != 0) {
        return BLOCKED;
      }
      long p = h >>> SHIFT;
      Chunk c = find(hint, p, false);
      Object e = c == null ? null : ITEM.getAcquire(c.items, (int) (p - c.start));
      if (e != null) {
        if (casHead(h, h + ONE)) { // LP: claimed
          ITEM.setOpaque(c.items, (int) (p - c.start), null); // for the collector
          if (c != hint) {
            advance(HEAD_CHUNK, hint, c);
          }
          return e;
        }
      } else {
        long t = tail();
        if ((t >>> SHIFT) == p) {
          return (t & CLOSED) != 0 ? CLOSED_EMPTY : EMPTY; // LP: the tail read
        }
        // A send claimed p and is publishing, or another receive took p: look again.
        waits = backOff(waits);
      }
    }
  }

  @Override
  int pollMany(Object[] out, int max) {
    while (true) {
      Chunk hint = headChunk; // before the claim word: see the class notes
      long h = head();
      if ((h & FLAGS) != 0) {
        return MANY_BLOCKED;
      }
      long p = h >>> SHIFT;
      long t = tail();
      long k = Math.min(max, (t >>> SHIFT) - p);
      if (k <= 0) {
        return (t & CLOSED) != 0 ? MANY_CLOSED : 0; // LP: the tail read
      }
      if (!fixTail(t)) {
        if ((t & BATCH) != 0) {
          Thread.onSpinWait(); // another batch's claim
        }
        continue;
      }
      boolean claimed = casHead(h, h + k * ONE); // LP: the tail holds still (see Lane#fixTail)
      releaseTail();
      if (claimed) {
        // Every claimed send made its chunk before it claimed, so the walk finds each one.
        Chunk c = hint;
        for (int j = 0; j < k; j++) {
          long q = p + j;
          c = find(c, q, false);
          assert c != null;
          int i = (int) (q - c.start);
          Object e;
          for (int waits = 0; (e = ITEM.getAcquire(c.items, i)) == null; ) {
            waits = backOff(waits);
          }
          ITEM.setOpaque(c.items, i, null); // for the collector
          out[j] = e;
        }
        if (c != hint) {
          advance(HEAD_CHUNK, hint, c);
        }
        return (int) k;
      }
    }
  }

  /**
   * The chunk holding position {@code p}, walking from {@code c}; creates missing chunks if {@code
   * create}, else returns {@code null} where one is missing.
   */
  private static @Nullable Chunk find(Chunk c, long p, boolean create) {
    while (c.start + CHUNK <= p) {
      Chunk next = c.next;
      if (next == null) {
        if (!create) {
          return null;
        }
        Chunk made = new Chunk(c.start + CHUNK);
        next = NEXT.compareAndSet(c, null, made) ? made : c.next;
        assert next != null;
      }
      c = next;
    }
    return c;
  }

  /** Moves a hint forward from {@code from} to {@code to}, unless someone moved it further. */
  private void advance(VarHandle hint, Chunk from, Chunk to) {
    for (Chunk cur = from; cur.start < to.start; cur = (Chunk) hint.getVolatile(this)) {
      if (hint.compareAndSet(this, cur, to)) {
        return;
      }
    }
  }

  @Override
  long slots() {
    Chunk c = headChunk;
    Chunk t = tailChunk;
    if (t.start < c.start) {
      c = t;
    }
    long slots = 0;
    for (; c != null; c = c.next) {
      slots += CHUNK;
    }
    return slots;
  }

  /** {@link #CHUNK} consecutive positions. */
  static final class Chunk {
    final long start;
    final @Nullable Object[] items = new Object[CHUNK];
    volatile @Nullable Chunk next;

    Chunk(long start) {
      this.start = start;
    }
  }
}
