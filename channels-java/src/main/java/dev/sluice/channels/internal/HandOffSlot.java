/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A rendezvous channel's hand-off slot: the one place where a waiter waits, and its counterpart
 * claims it, without the channel lock. Invariant: whenever the slot is not {@link #LOCKED}, both of
 * the channel's waiter queues are empty, nothing was given back, and the channel is open; so a
 * waiter in the slot is the channel's only waiting operation, and an empty slot means that nobody
 * waits.
 *
 * <pre>
 * word:
 *   null     open and empty: nobody waits
 *   a Waiter open: the channel's only waiting operation (a send or a receive; see slotSide)
 *   BUSY     a counterpart is claiming the waiter that was here: wait a few instructions
 *   LOCKED   shut: the lock holder keeps every waiter in the queues; take the lock
 *
 *   null   --cas by a send or receive about to wait---------------> Waiter
 *   Waiter --cas by a counterpart, then its claim, then null--------> BUSY --> null
 *   Waiter --cas by its owner (or its Job), withdrawing it---------> null
 *   any    --cas by the lock holder (ChannelCore#lockForClaims)----> LOCKED (a waiter goes to a queue)
 *   LOCKED --the lock holder, once the queues are empty (settle)--> null
 * </pre>
 *
 * Exactly once: a waiter leaves the slot by one {@code cas}, so one thread holds it. A counterpart
 * holds it as {@link #BUSY} while it claims: a withdrawal of the same waiter waits until the claim
 * is decided, so the claim is decided while the waiter still counts as waiting (no operation can
 * wait meanwhile and see it gone), and a waiter whose withdrawal returned is held by nobody and can
 * be reused by its owner at once. Only the lock holder moves the slot from and to {@link #LOCKED}.
 *
 * <p>Only waiters whose claim is a single step of their own go into the slot ({@link
 * Waiter#slotSide()}): a select's waiters, which must be queued in several channels atomically, and
 * kotlinx's, which resume in their claim, take the lock, which shuts the slot first.
 *
 * @param <E> the element type
 */
final class HandOffSlot<E> {
  /** The slot is shut: every operation takes the lock. */
  static final Object LOCKED = new Marker("LOCKED");

  /** A counterpart is claiming the waiter that was here. */
  static final Object BUSY = new Marker("BUSY");

  /** What {@link #send} and {@link #receive} return when the caller must take the lock. */
  static final int TAKE_LOCK = -1;

  private static final VarHandle WORD;

  static {
    try {
      WORD = MethodHandles.lookup().findVarHandle(HandOffSlot.class, "word", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** How many times a thread that finds the slot {@link #BUSY} spins before it yields. */
  private static final int BUSY_SPINS = Runtime.getRuntime().availableProcessors() > 1 ? 64 : 0;

  private volatile @Nullable Object word;

  /**
   * Sends {@code e} to the receive waiting in the slot, or leaves {@code w} there when nobody
   * waits. The claimed receive is resumed here, or added to {@code resumeLater} if given.
   *
   * @param w the send's waiter ({@link Waiter#SENDS}), or {@code null} for a send that may not wait
   * @return {@link Outcome#SENT}; {@link Outcome#QUEUED} ({@code w} waits in the slot); {@link
   *     Outcome#FULL} (nobody waits, and {@code w} is null); or {@link #TAKE_LOCK}
   */
  int send(E e, @Nullable Waiter<E> w, @Nullable List<Waiter<?>> resumeLater) {
    for (int busy = 0; ; ) {
      Object x = word; // lv
      if (x == null) {
        if (w == null) {
          return Outcome.FULL; // LP: nobody waits, and the channel is open
        }
        if (WORD.compareAndSet(this, null, w)) { // LP: the send waits
          return Outcome.QUEUED;
        }
      } else if (x == BUSY) {
        busy = pause(busy);
      } else if (x == LOCKED) {
        return TAKE_LOCK;
      } else {
        Waiter<E> r = cast(x);
        if (r.slotSide() != Waiter.RECEIVES) {
          return TAKE_LOCK; // a send waits: queue behind it
        }
        if (WORD.compareAndSet(this, r, BUSY)) {
          r.item = e;
          boolean claimed = r.tryClaim(); // LP: rendezvous with the waiting receive
          WORD.setRelease(this, null);
          if (claimed) {
            if (resumeLater != null) {
              resumeLater.add(r);
            } else {
              r.resume();
            }
            return Outcome.SENT;
          }
          // Withdrawn: its owner's unlink waited for this claim, and finds the slot empty now.
          // Look again.
        }
      }
    }
  }

  /**
   * Takes the element of the send waiting in the slot, or leaves {@code w} there when nobody waits.
   * A received element is also stored in {@code w}, if given. The claimed send is resumed here.
   *
   * @param w the receive's waiter ({@link Waiter#RECEIVES}), or {@code null} for one that may not
   *     wait
   * @return the element; {@link Lane#EMPTY} (nobody waits; {@code w}, if given, now waits in the
   *     slot); or {@link #LOCKED}, when the caller must take the lock
   */
  Object receive(@Nullable Waiter<E> w) {
    for (int busy = 0; ; ) {
      Object x = word; // lv
      if (x == null) {
        if (w == null) {
          return Lane.EMPTY; // LP: nobody waits, and the channel is open
        }
        if (WORD.compareAndSet(this, null, w)) { // LP: the receive waits
          return Lane.EMPTY;
        }
      } else if (x == BUSY) {
        busy = pause(busy);
      } else if (x == LOCKED) {
        return LOCKED;
      } else {
        Waiter<E> s = cast(x);
        if (s.slotSide() != Waiter.SENDS) {
          return LOCKED; // a receive waits: queue behind it
        }
        if (WORD.compareAndSet(this, s, BUSY)) {
          boolean claimed = s.tryClaim(); // LP: rendezvous with the waiting send
          E e = s.item;
          WORD.setRelease(this, null);
          if (claimed) {
            assert e != null : "a waiting send without its element";
            if (w != null) {
              w.item = e;
            }
            s.resume();
            return e;
          }
        }
      }
    }
  }

  /**
   * Takes {@code w} out of the slot if it is there, for a withdrawal; waits out a claim in
   * progress, so that after this returns nobody holds {@code w} through the slot.
   *
   * @return {@code true} if {@code w} was in the slot and this call took it out
   */
  boolean remove(Waiter<E> w) {
    for (int busy = 0; ; ) {
      Object x = word; // lv
      if (x == w) {
        if (WORD.compareAndSet(this, w, null)) {
          return true;
        }
      } else if (x == BUSY) {
        busy = pause(busy);
      } else {
        return false;
      }
    }
  }

  /**
   * Shuts the slot, moving the waiter in it, if any, to the queue of its side (queues that are
   * empty, by the invariant). Under the lock.
   */
  void shut(WaiterQueue<E> senders, WaiterQueue<E> receivers) {
    for (int busy = 0; ; ) {
      Object x = word; // lv
      if (x == LOCKED) {
        return;
      }
      if (x == BUSY) {
        busy = pause(busy);
      } else if (WORD.compareAndSet(this, x, LOCKED)) {
        if (x != null) {
          Waiter<E> w = cast(x);
          (w.slotSide() == Waiter.SENDS ? senders : receivers).addLast(w);
        }
        return;
      }
    }
  }

  /**
   * Opens the slot again, if it is shut. Under the lock, once the queues are empty, nothing is
   * given back and the channel is open: only the lock holder moves the slot from {@link #LOCKED}.
   */
  void open() {
    if (word == LOCKED) {
      WORD.setRelease(this, null);
    }
  }

  /**
   * Whether a waiter of {@code side} may be in the slot now: a hint, read without the lock.
   *
   * @param side {@link Waiter#SENDS} or {@link Waiter#RECEIVES}
   */
  boolean mayHold(int side) {
    Object x = word;
    return x == BUSY || (x instanceof Waiter<?> w && w.slotSide() == side);
  }

  private static int pause(int busy) {
    if (busy < BUSY_SPINS) {
      Thread.onSpinWait();
    } else {
      Thread.yield(); // the claimer was descheduled between two of its instructions
    }
    return busy + 1;
  }

  @SuppressWarnings("unchecked") // only Waiter<E>s are stored
  private static <E> Waiter<E> cast(Object x) {
    return (Waiter<E>) x;
  }

  private record Marker(String name) {
    @Override
    public String toString() {
      return name;
    }
  }
}
