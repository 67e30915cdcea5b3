/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The buffer of a channel, which sends and receives use without the channel's lock while no waiter
 * is queued.
 *
 * <h2>Implementation notes</h2>
 *
 * Two words, each on its own cache line, order everything: {@code tail} counts the sends that have
 * claimed a place, {@code head} the receives that have claimed an element. Both hold a position
 * (shifted left by {@link #SHIFT}) and flag bits below it. A send claims position {@code p} by one
 * {@code cas} of {@code tail} from {@code p} to {@code p + 1}, then stores its element and
 * publishes it; a receive claims by a {@code cas} of {@code head}. Because the flags live in the
 * same words, a flag set by the lock holder fails every claim that read the word before it: that is
 * how the slow path (the channel's lock and its waiter queues) shuts the fast path off, atomically.
 *
 * <pre>
 *   tail: position (55 bits) | HELD (4 bits: places held by permits) | BATCH (a batch claim is
 *         under way) | OVER (more are held, counted under the lock) | SLOW (sticky: no fast sends)
 *         | WAITERS (a waiter is queued) | CLOSED (sticky)
 *   head: position (55 bits) | SLOW (sticky: no fast receives) | SENDERS (a send waits, or an
 *         element was given back) | DRAINING (sticky)
 * </pre>
 *
 * A held place shuts fast sends as a flag does (they take the lock, whose sends count held places
 * as taken); a permit's reserve, send and release are each one {@code cas} of the tail while no
 * waiter is queued (see {@link #hold}). 55 bits of position last 11 years at 100 sends a
 * microsecond.
 *
 * <p>A cancel (close and discard the buffer, one atomic step to every observer) first sets {@code
 * DRAINING}, so no receive takes an element past the lock any more, then {@code CLOSED} (its
 * linearization point), then empties the lane. {@link #size} and {@link #isClosedAndEmpty} read a
 * lane that is {@code DRAINING} and {@code CLOSED} as empty, even before the last element is out.
 *
 * <p>A fast operation that finds a flag set returns {@link #BLOCKED}, and its caller takes the
 * lock. The lock holder passes {@code locked = true} to claim past {@code WAITERS}, {@code SENDERS}
 * and {@code SLOW}; it never does so past {@code CLOSED}, which it checks first.
 *
 * <p>A claim is linearized at its {@code cas}. A receive that claims a position whose send has
 * claimed but not yet published waits for the publication (a few instructions, unless that thread
 * was descheduled), and so does a send that claims a place whose receive is still clearing it: a
 * full or empty answer is only given when the ring really was full or empty at one instant. This is
 * the blocking window that bounded MPMC queues with sequence numbers all have; it is what makes
 * {@code trySend} and {@code tryReceive} linearizable.
 *
 * @param <E> the element type
 */
abstract class Lane<E> extends LaneHeadWord {
  /** A result of {@link #offer}: the element is in. */
  static final int OK = 0;

  /** A result of {@link #offer}: the lane is full. */
  static final int FULL = 1;

  /** A result of {@link #offer}: a flag shuts the fast path; take the lock. */
  static final int BLOCKED_SEND = 2;

  /** A result of {@link #poll}: the lane is empty and open. */
  static final Object EMPTY = new Marker("EMPTY");

  /** A result of {@link #poll}: the lane is empty, and closed for sends. */
  static final Object CLOSED_EMPTY = new Marker("CLOSED_EMPTY");

  /** A result of {@link #poll}: a flag shuts the fast path; take the lock. */
  static final Object BLOCKED = new Marker("BLOCKED");

  /** {@code tail}: no send may claim any more. Set under the channel's lock, never cleared. */
  static final long CLOSED = 1;

  /** {@code tail}: a waiter is queued; sends must go through the lock, which serves it first. */
  static final long WAITERS = 2;

  /** {@code head}: a cancel is discarding the buffer; receives must go through the lock. Sticky. */
  static final long DRAINING = 1;

  /**
   * {@code head}: a send waits, or the channel holds given-back elements; receives must go through
   * the lock, which refills from the send, or takes the given-back elements first.
   */
  static final long SENDERS = 2;

  /** Either word: the fast path is off for good (rendezvous channels, dropping sends). */
  static final long SLOW = 4;

  /**
   * {@code tail}: more places are held than the tail's count can say ({@link #heldOver}); every
   * permit operation goes through the lock. Set and cleared under the channel's lock, cleared where
   * {@link #heldOver} drops to 0.
   */
  static final long OVER = 8;

  /**
   * {@code tail}: a batch claim is under way ({@link #fixTail}); no send claims a position until it
   * is cleared, a few instructions later, so that the batch takes the run of a fixed size.
   */
  static final long BATCH = 16;

  /** Where the count of held places (permits) sits in {@code tail}: bits 5 to 8. */
  static final int HELD_SHIFT = 5;

  /** One held place, in {@code tail}. */
  static final long HELD_ONE = 1L << HELD_SHIFT;

  /** The most held places the tail counts; more go to {@link #heldOver}, under the lock. */
  static final long HELD_MAX = 15;

  static final long HELD_MASK = HELD_MAX << HELD_SHIFT;

  static final int SHIFT = 9;
  static final long ONE = 1L << SHIFT;
  static final long FLAGS = ONE - 1;

  /**
   * Held places beyond the tail's count ({@link #HELD_MAX}); {@link #OVER} is set while it is not
   * 0. Written and read under the channel's lock only.
   */
  long heldOver;

  /** A result of {@link #hold}: the places are held. */
  static final int HOLD_OK = 0;

  /** A result of {@link #hold}: fewer places are free. */
  static final int HOLD_FULL = 1;

  /**
   * A result of {@link #hold} and {@link #offerHeld}: take the lock (a flag, or the count is full).
   */
  static final int HOLD_BLOCKED = 2;

  /** A result of {@link #hold} and {@link #offerHeld}: the lane is closed; permits are void. */
  static final int HOLD_CLOSED = 3;

  /** The places held in tail word {@code t}. */
  static long held(long t) {
    return (t & HELD_MASK) >>> HELD_SHIFT;
  }

  /** The capacity that held places count against; {@link Long#MAX_VALUE} counts nothing. */
  abstract long bound();

  /**
   * Holds {@code k} places for permits if that many are free: capacity minus elements (claimed or
   * published) minus places held. One {@code cas} of the tail, linearized at the head read that
   * finds the room, the tail unchanged from its read to the {@code cas} (as a full {@link #offer}
   * is). Without the lock it answers {@link #HOLD_BLOCKED} while {@link #WAITERS}, {@link #OVER} or
   * {@link #SLOW} is set; with it, only when the tail's count would pass {@link #HELD_MAX} (the
   * lock holder then counts in {@link #heldOver}).
   *
   * @return {@link #HOLD_OK}, {@link #HOLD_FULL}, {@link #HOLD_BLOCKED} or {@link #HOLD_CLOSED}
   */
  final int hold(int k, boolean locked) {
    long cap = bound();
    while (true) {
      long t = tail();
      if ((t & CLOSED) != 0) {
        return HOLD_CLOSED;
      }
      if (!locked && (t & (WAITERS | OVER | SLOW)) != 0) {
        return HOLD_BLOCKED;
      }
      long held = held(t);
      if (held + k > HELD_MAX) {
        return HOLD_BLOCKED;
      }
      long used = (t >>> SHIFT) - (head() >>> SHIFT) + held + (locked ? heldOver : 0);
      if (used + k > cap) {
        if (tail() == t) {
          return HOLD_FULL; // LP: the head read; the tail was at t throughout
        }
        continue;
      }
      if (casTail(t, t + k * HELD_ONE)) { // LP: at the head read, the tail unchanged since
        return HOLD_OK;
      }
    }
  }

  /**
   * Gives back one place the tail counts as held, without the lock: {@code false} (nothing done)
   * while {@link #WAITERS}, {@link #OVER} or {@link #SLOW} is set, for the lock holder to hand the
   * place to a waiting send. A closed lane's places are void: {@code true}, nothing done.
   */
  final boolean unhold() {
    while (true) {
      long t = tail();
      if ((t & CLOSED) != 0) {
        return true;
      }
      if ((t & (WAITERS | OVER | SLOW)) != 0) {
        return false;
      }
      assert held(t) > 0 : "a release with nothing held";
      if (casTail(t, t - HELD_ONE)) { // LP: of the release
        return true;
      }
    }
  }

  /**
   * Gives back {@code k} held places under the lock: from {@link #heldOver} first, then from the
   * tail's count.
   */
  final void unholdLocked(long k) {
    long fromOver = Math.min(k, heldOver);
    heldOver -= fromOver;
    if (fromOver != 0 && heldOver == 0) {
      markTail(OVER, false); // the caller shut permits out with WAITERS first
    }
    long rest = k - fromOver;
    while (rest > 0) {
      long t = tail();
      assert held(t) >= rest : "a release with nothing held";
      if (casTail(t, t - rest * HELD_ONE)) {
        return;
      }
    }
  }

  /** Every place held, under the lock: the tail's count and {@link #heldOver}. */
  final long heldLocked() {
    return held(tail()) + heldOver;
  }

  /** Drops every held place, for a close: the permits are void. Under the lock. */
  final void dropHeld() {
    heldOver = 0;
    for (long t = tail(); (t & (HELD_MASK | OVER)) != 0; t = tail()) {
      if (casTail(t, t & ~(HELD_MASK | OVER))) {
        return;
      }
    }
  }

  /**
   * Sends {@code e} in a place the tail counts as held: claims the next position and gives back the
   * held place in one {@code cas}, then publishes. Without the lock it answers {@link
   * #HOLD_BLOCKED} while {@link #WAITERS}, {@link #OVER} or {@link #SLOW} is set (a receive may
   * wait for it); with it, when the tail counts nothing (the place is in {@link #heldOver}). A lane
   * that cannot (the linked lane) always answers {@link #HOLD_BLOCKED}.
   *
   * @return {@link #OK}, {@link #HOLD_BLOCKED} or {@link #HOLD_CLOSED}
   */
  int offerHeld(E e, boolean locked) {
    return HOLD_BLOCKED;
  }

  /**
   * @param slowSends whether every send must take the lock
   * @param slowReceives whether every receive must take the lock
   */
  Lane(boolean slowSends, boolean slowReceives) {
    setTailRelaxed(slowSends ? SLOW : 0);
    setHeadRelaxed(slowReceives ? SLOW : 0);
  }

  /**
   * Puts {@code e} in the lane.
   *
   * @param locked whether the caller holds the channel's lock (and checked that it is open)
   * @return {@link #OK}, {@link #FULL}, or {@link #BLOCKED_SEND} (only when not {@code locked})
   */
  abstract int offer(E e, boolean locked);

  /**
   * Takes the oldest element.
   *
   * @param locked whether the caller holds the channel's lock
   * @return the element, {@link #EMPTY}, {@link #CLOSED_EMPTY}, or {@link #BLOCKED} (only when not
   *     {@code locked})
   */
  abstract Object poll(boolean locked);

  /** A result of {@link #pollMany}: the lane is empty, and closed for sends. */
  static final int MANY_CLOSED = -1;

  /** A result of {@link #pollMany}: a flag shuts the fast path; take the lock. */
  static final int MANY_BLOCKED = -2;

  /**
   * Takes the oldest {@code min(max, size)} elements with one claim, without the lock, into {@code
   * out[0..k-1]}. Linearized at the claim of the head, while {@link #fixTail} holds the tail still;
   * an empty answer at the tail read (the head was there then). A lane that cannot claim a run (the
   * rendezvous lane) always answers {@link #MANY_BLOCKED}.
   *
   * @param out where the elements go, in order; at least {@code max} long
   * @param max the most to take, at least 1
   * @return {@code k > 0}, how many were taken; 0 if the lane is empty and open; {@link
   *     #MANY_CLOSED}; or {@link #MANY_BLOCKED}
   */
  int pollMany(Object[] out, int max) {
    return MANY_BLOCKED;
  }

  /**
   * Puts {@code run[from..from+k-1]} in with one claim of the tail, without the lock, if there is
   * room for all {@code k} now, and nothing otherwise. The run's elements are received in their
   * order, with no other send's element between them. A lane that cannot claim a run (the unbounded
   * and rendezvous lanes) always answers {@link #MANY_BLOCKED}.
   *
   * <p>Linearized at the read of the head that finds the room (or its lack), as {@link #offer} is:
   * the tail stayed where it was read throughout. A place whose receive has claimed it counts as
   * room, and the run waits for that receive to clear it. All or nothing on purpose: a run cut to
   * the room would report how much room there was, which a batch receive whose claim is under way
   * makes stale (its {@link #pollMany} is linearized before its head moves), and the model check of
   * {@code LaneRunsLincheckTest} found exactly that history.
   *
   * @param run the elements, none of them null
   * @param from the first to put in
   * @param k how many, at least 1
   * @return {@code k} if they went in; 0 if the lane had less room; or {@link #MANY_BLOCKED} if a
   *     flag shuts the fast path (a waiter, a close, held places, a dropping policy)
   */
  int offerMany(Object[] run, int from, int k) {
    return MANY_BLOCKED;
  }

  /**
   * How many places seem free now, read without any claim: a hint for choosing a run's length,
   * which {@link #offerMany} then checks. The lanes that cannot claim runs answer 0.
   *
   * @return the free places, at the time of two reads that may not agree (so possibly stale)
   */
  int roomHint() {
    return 0;
  }

  /**
   * Sets {@link #BATCH} in tail word {@code t} if the tail is still {@code t} and no other batch
   * has it: from then until {@link #releaseTail()} no send claims a position (sends wait, a few
   * instructions), so a batch's claim of the head takes {@code min(max, size)} of a size that holds
   * still, and is linearized at that claim. Without it the run was fixed at the tail read and taken
   * at the later claim, and an answer of "full" read in between was stale by the batch ({@code
   * LaneRunsLincheckTest} found that history).
   *
   * @return whether this call set it
   */
  final boolean fixTail(long t) {
    return (t & BATCH) == 0 && casTail(t, t | BATCH);
  }

  /** Clears {@link #BATCH}, set by this thread's {@link #fixTail}. */
  final void releaseTail() {
    for (long t = tail(); ; t = tail()) {
      if (casTail(t, t & ~BATCH)) {
        return;
      }
    }
  }

  /**
   * Whether the element at the head is published, read without touching the tail: a hint for a
   * batch that watches for elements (a claimed element still being published reads as none). The
   * lanes that cannot tell cheaply read their size.
   *
   * @return {@code true} if an element is there
   */
  boolean headPublished() {
    return size() != 0;
  }

  /**
   * Whether the element {@code offset} places behind the head is published: {@link
   * #headPublished()} further on, a hint of the same kind.
   *
   * @param offset 0 for the head
   * @return {@code true} if that element is there
   */
  boolean published(long offset) {
    return size() > offset;
  }

  /** How many slots the lane holds now; for tests of its footprint. */
  abstract long slots();

  /**
   * How many {@code onSpinWait}s a claim makes while another thread finishes its half of a place
   * (publishing, or clearing) before it yields its CPU instead: the system property {@code
   * sluice.laneSpins}, 64 by default. With more threads than CPUs, the thread being waited for may
   * have been descheduled in that window, and spinning would only keep it off the CPU longer.
   */
  private static final int LANE_SPINS = Integer.getInteger("sluice.laneSpins", 64);

  /** Waits a little for another thread's publish or clear; returns the new count of waits. */
  static int backOff(int waits) {
    if (waits < LANE_SPINS) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
    return waits + 1;
  }

  /** How many elements are in: linearizable, counting sends that claimed and not yet published. */
  final int size() {
    while (true) {
      long h = head();
      long t = tail();
      if (head() == h) {
        if ((h & DRAINING) != 0 && (t & CLOSED) != 0) {
          return 0; // cancelled: whatever is still in is being discarded
        }
        long n = (t >>> SHIFT) - (h >>> SHIFT);
        return (int) Math.min(n, Integer.MAX_VALUE);
      }
    }
  }

  /** Whether the lane is closed and holds nothing, not even a send in progress. */
  final boolean isClosedAndEmpty() {
    long h = head();
    long t = tail();
    // The tail was read second: if it is closed and at the head's position, the head (which never
    // passes the tail) was there too when the tail was read. A cancel set DRAINING before CLOSED.
    return (t & CLOSED) != 0 && ((h & DRAINING) != 0 || (t >>> SHIFT) == (h >>> SHIFT));
  }

  final boolean isClosed() {
    return (tail() & CLOSED) != 0;
  }

  /**
   * Shuts the fast path for an operation about to wait: sets {@link #WAITERS}, and for a send
   * {@link #SENDERS}. Under the channel's lock.
   */
  void shutForWait(boolean send) {
    setTailFlags(WAITERS);
    if (send) {
      markHead(SENDERS, true);
    }
  }

  /**
   * Sets {@link #WAITERS} and {@link #SENDERS} to match the waiter queues. Under the channel's
   * lock.
   *
   * @param anyWaiters whether either queue holds a waiter
   * @param receivesLocked whether every receive must take the lock: a send waits, or an element was
   *     given back
   */
  void matchQueues(boolean anyWaiters, boolean receivesLocked) {
    markTail(WAITERS, anyWaiters);
    markHead(SENDERS, receivesLocked);
  }

  /** Sets {@code flags} in {@code tail}. */
  final void setTailFlags(long flags) {
    for (long t = tail(); (t & flags) != flags; t = tail()) {
      if (casTail(t, t | flags)) {
        return;
      }
    }
  }

  /** Sets or clears {@code flag} in {@code tail}, to {@code on}. */
  final void markTail(long flag, boolean on) {
    for (long t = tail(); ((t & flag) != 0) != on; t = tail()) {
      if (casTail(t, on ? t | flag : t & ~flag)) {
        return;
      }
    }
  }

  /** Sets or clears {@code flag} in {@code head}, to {@code on}. */
  final void markHead(long flag, boolean on) {
    for (long h = head(); ((h & flag) != 0) != on; h = head()) {
      if (casHead(h, on ? h | flag : h & ~flag)) {
        return;
      }
    }
  }

  /** A result of {@link #poll} that is not an element. */
  private static final class Marker {
    private final String name;

    Marker(String name) {
      this.name = name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}

// The two words, each padded onto its own cache line (128 bytes: adjacent-line prefetch pairs
// lines), so that senders and receivers do not invalidate each other's line on every claim.

abstract class LanePadBeforeTail {
  long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
}

abstract class LaneTailWord extends LanePadBeforeTail {
  private static final VarHandle TAIL;

  static {
    try {
      TAIL = MethodHandles.lookup().findVarHandle(LaneTailWord.class, "tail", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long tail;

  final long tail() {
    return tail; // lv
  }

  final boolean casTail(long expected, long next) {
    return TAIL.compareAndSet(this, expected, next);
  }

  final void setTailRelaxed(long value) {
    TAIL.set(this, value); // plain: before the lane is published
  }
}

abstract class LanePadBetween extends LaneTailWord {
  long p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
}

abstract class LaneHeadWordOnly extends LanePadBetween {
  private static final VarHandle HEAD;

  static {
    try {
      HEAD = MethodHandles.lookup().findVarHandle(LaneHeadWordOnly.class, "head", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile long head;

  final long head() {
    return head; // lv
  }

  final boolean casHead(long expected, long next) {
    return HEAD.compareAndSet(this, expected, next);
  }

  final void setHeadRelaxed(long value) {
    HEAD.set(this, value); // plain: before the lane is published
  }
}

abstract class LaneHeadWord extends LaneHeadWordOnly {
  long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
}
