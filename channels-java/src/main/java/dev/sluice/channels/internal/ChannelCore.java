/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.ChannelClosedException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The state of a channel and the steps that change it under the lock: whenever the lock is free, a
 * queued receive means nothing is buffered, a queued send means the buffer is full, a closed
 * channel has no waiter at all, and the lane's flags match the queues. Every method here that
 * changes the state runs under the lock (or takes it), and leaves what must run after the unlock to
 * its caller.
 *
 * <p>The engine is one object, built in four layers: this core (state and the locked steps), {@link
 * ChannelClosing} (close and cancel), {@link ChannelEngine} (the entry points every face calls: one
 * locked entry per direction, taking the waiter the face supplies) and {@link BufferedChannel} (the
 * Java face: blocking, timed, futures, iterator and stream). The layers are classes, not objects,
 * so the fast paths read the lane of the object they were called on, with no hop between objects.
 *
 * <h2>Implementation notes</h2>
 *
 * <pre>
 * State:
 *   lane       elements sent and not yet received, in send order; size &lt;= capacity. Claimed
 *              lock-free by the fast path; the lock holder uses it too, past the flags
 *   senders    waiters of sends that found the lane full (never with a dropping policy); lock
 *   receivers  waiters of receives that found the lane empty; lock
 *   front      elements given back by receives that were cancelled after an element was handed
 *              to them ({@link #giveBackLocked}); received before the lane's. Usually empty; lock
 *   held       places of the buffer held by permits (reserve): counted in the lane's tail word,
 *              up to 15, and beyond that in lane.heldOver (lock); 0 on a rendezvous, unbounded or
 *              dropping channel, and once closed. Changed by one cas of the tail, with or
 *              without the lock (see Lane#hold)
 *   closed     set once by close/cancel under the lock, just before the lane's CLOSED flag
 *
 * Flags in the lane's claim words, set and cleared under the lock (see Lane):
 *   WAITERS  (tail)  set while either queue is non-empty: every send takes the lock, and every
 *                    permit operation (a held place shuts fast sends by itself)
 *   SENDERS  (head)  set while senders or front is non-empty: every receive takes the lock
 *
 * Invariants, whenever the lock is free (counting only waiters that are still waiting):
 *   lane size + held &lt;= capacity
 *   receivers non-empty  implies  lane and front empty, and no send of an element waits
 *   senders non-empty    implies  none of them fits: lane size + held + its places &gt;
 *                                 capacity (an element needs one place, a reserve its count)
 *   closed               implies  no waiter at all, and nothing held
 * </pre>
 *
 * The fast path ({@link Lane#offer} and {@link Lane#poll} without the lock) keeps these invariants
 * because the flags shut it off, atomically, before a waiter is queued: an operation that finds the
 * lane full or empty takes the lock, sets the flags ({@link #beginWait}), and looks again; only if
 * the lane is still full or empty (now for good, since no fast claim can get past the flags) does
 * it queue its waiter. Once the queues are empty again the lock holder clears the flags ({@link
 * #settle}).
 *
 * <p>A send first hands its element to the oldest waiting receive, claiming it; failing that it
 * buffers the element; failing that it waits (or drops, or reports full). A receive first takes the
 * buffer's head and refills the buffer from the oldest waiting send; with an empty buffer (a
 * rendezvous channel) it takes the oldest waiting send's element directly; failing that it waits.
 * Each claim is a {@code cas} on the waiter, which may fail because the waiter was withdrawn or its
 * select chose another clause: the claimer then drops that waiter and tries the next one, so an
 * element is never handed to an operation that is gone.
 *
 * <p>Nothing outside the engine runs while the lock is held: a claimed waiter is resumed, and an
 * undelivered element handed to the user's handler, after the unlock. The {@code *Locked} methods
 * leave what must be done after the unlock in two hand-off slots, {@link #toResume} and {@link
 * #dropped}, which the same thread empties before it unlocks.
 *
 * <p>A select locks every channel it involves, in the order of {@link #id}, so that it can look at
 * all of them at once and enqueue its waiters atomically; see {@link Selector}.
 *
 * @param <E> the element type
 */
public abstract sealed class ChannelCore<E> permits ChannelClosing {
  private static final AtomicLong IDS = new AtomicLong();

  /**
   * The largest capacity whose lane is one array allocated up front ({@link ArrayLane}, about 12
   * bytes per slot); larger bounded channels get chunks allocated as they fill ({@link
   * LinkedLane}).
   */
  static final int ARRAY_LANE_MAX = 1 << 14;

  /** The order in which a select locks channels. */
  final long id = IDS.incrementAndGet();

  final ChannelLock lock;

  final int capacity;
  final BufferOverflow overflow;
  private final @Nullable Consumer<? super E> onUndelivered;

  final Lane<E> lane;

  /**
   * A rendezvous channel's hand-off slot, where its only waiter waits without the lock; {@code
   * null} for a channel with a buffer. Shut ({@link HandOffSlot#LOCKED}) by every lock holder that
   * looks at the queues, opened again by {@link #settle} once they are empty.
   */
  final @Nullable HandOffSlot<E> slot;

  // Guarded by lock.
  final WaiterQueue<E> senders = new WaiterQueue<>();
  final WaiterQueue<E> receivers = new WaiterQueue<>();

  /** Elements given back, oldest first; made on the first give-back. */
  @Nullable ArrayDeque<E> front;

  /**
   * How many elements {@link #front} holds: written under the lock, read without it by {@code
   * size()} and {@code isClosedForReceive()}.
   */
  volatile int returned;

  /** Whether the channel was cancelled (not just closed): give-backs then go to the handler. */
  boolean cancelled;

  /**
   * Whether {@link #finish} closed the channel after a last send; written before {@link #closed}.
   */
  volatile boolean closedBySend;

  /**
   * The close handler ({@code invokeOnClose}): null, a handler to run on close, or {@link
   * #HANDLER_RAN} once it ran (or was registered on a closed channel). Guarded by lock.
   */
  @Nullable Object closeHandler;

  static final Object HANDLER_RAN = new Object();

  /** Fired after the close, for handles' {@code closed()}; made on demand. Guarded by lock. */
  @Nullable CloseSignals closeSignals;

  /**
   * Written under the lock before {@link #closed}; read without the lock by {@link #closeCause()}.
   */
  @Nullable Throwable closeCause;

  /**
   * Written under the lock, before the lane's {@code CLOSED} flag; read under the lock, or after
   * that flag was seen.
   */
  volatile boolean closed;

  // Hand-off slots: written by a *Locked method, emptied by the same thread before it unlocks.
  private @Nullable Waiter<E> toResume;
  private @Nullable E dropped;

  ChannelCore(int capacity, BufferOverflow overflow, @Nullable Consumer<? super E> onUndelivered) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
    }
    if (capacity == 0 && overflow != BufferOverflow.SUSPEND) {
      throw new IllegalArgumentException("a dropping overflow policy needs a buffer");
    }
    this.capacity = capacity;
    this.lock = new ChannelLock(capacity);
    this.overflow = capacity == Integer.MAX_VALUE ? BufferOverflow.SUSPEND : overflow;
    this.onUndelivered = onUndelivered;
    // A dropping send must look at the lane and change it atomically, so it takes the lock; and a
    // DROP_OLDEST send both takes and puts, which receives must not see half done.
    boolean slowSends = this.overflow != BufferOverflow.SUSPEND;
    boolean slowReceives = this.overflow == BufferOverflow.DROP_OLDEST;
    this.slot = capacity == 0 ? new HandOffSlot<>() : null;
    if (capacity == 0) {
      this.lane = new NoLane<>();
    } else if (capacity == Integer.MAX_VALUE) {
      this.lane = new LinkedLane<>(Long.MAX_VALUE, false, false);
    } else if (capacity <= ARRAY_LANE_MAX) {
      this.lane = new ArrayLane<>(capacity, slowSends, slowReceives);
    } else {
      this.lane = new LinkedLane<>(capacity, slowSends, slowReceives);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The steps, under the lock.

  /**
   * Sends {@code e} if that can happen without waiting. Under the lock.
   *
   * @return {@link Outcome#SENT} (then {@link #toResume} may hold a receive to resume, and {@link
   *     #dropped} an element to hand to the handler), {@link Outcome#FULL}, or {@link
   *     Outcome#CLOSED}
   */
  final int sendLocked(E e) {
    if (closed) {
      return Outcome.CLOSED;
    }
    if (e instanceof ReserveRequest) {
      return reserveLocked(((ReserveRequest) e).places); // a reserve: no element to hand over
    }
    for (Waiter<E> r; (r = receivers.pollFirst()) != null; ) {
      r.item = e;
      if (r.tryClaim()) { // LP: rendezvous with a waiting receive
        toResume = r;
        return Outcome.SENT;
      }
      // Withdrawn, or its select chose another clause: it is gone, try the next.
    }
    if (returned != 0 && overflow != BufferOverflow.SUSPEND) {
      // Given-back elements count against a dropping channel's capacity, as the oldest ones.
      ArrayDeque<E> given = front;
      assert given != null;
      if (lane.size() + returned >= capacity) {
        if (overflow == BufferOverflow.DROP_LATEST) {
          dropped = e; // LP: sent, and dropped at once
          return Outcome.SENT;
        }
        dropped = given.pollFirst(); // LP: the oldest makes room; the lane has room now
        returned--;
      }
    }
    while (true) {
      if (lane.offer(e, true) == Lane.OK) { // LP: buffered
        return Outcome.SENT;
      }
      switch (overflow) {
        case DROP_LATEST:
          dropped = e; // LP: sent, and dropped at once
          return Outcome.SENT;
        case DROP_OLDEST:
          // Nothing claims past the lock here (the lane is SLOW both ways), so this poll makes
          // room and the offer above then succeeds.
          Object oldest = lane.poll(true);
          if (isElement(oldest)) {
            assert dropped == null;
            dropped = cast(oldest); // LP: the oldest makes room
          }
          break;
        default:
          return Outcome.FULL;
      }
    }
  }

  /**
   * Receives an element if one can be had without waiting. Under the lock.
   *
   * @return the element (then {@link #toResume} may hold a send to resume), or {@code null} if
   *     there is none now; the caller tells empty from closed by {@link #closed}
   */
  final @Nullable E receiveLocked() {
    ArrayDeque<E> given = front;
    if (given != null && !given.isEmpty()) {
      returned--;
      return given.pollFirst(); // LP: a given-back element, ahead of the lane's
    }
    Object x = lane.poll(true); // LP: when the lane had an element
    if (isElement(x)) {
      if (!senders.isEmpty()) {
        // The oldest waiting send that fits takes the freed place, in order. No fast send can
        // take it first: a queued sender keeps WAITERS set.
        toResume = serveFreedPlace();
      }
      return cast(x);
    }
    // Empty: on a rendezvous channel, or on a buffered one whose places are all reserved.
    Waiter<E> s = claimElementSender(); // LP: rendezvous with a waiting send
    if (s != null) {
      toResume = s;
      return s.item;
    }
    return null;
  }

  /**
   * Gives a place just freed (by a receive, or a permit released) to the oldest waiting send it
   * lets complete: a send's element goes into the lane, a reserve counts its places. A reserve of
   * several places that do not all fit yet waits on, and the sends behind it get their turn (it
   * does not hold the places it would need, so two of them never wait on each other). Under the
   * lock.
   *
   * @return the claimed waiter, to resume after the unlock, or {@code null}
   */
  final @Nullable Waiter<E> serveFreedPlace() {
    for (Waiter<E> s = senders.first(); s != null; ) {
      Waiter<E> next = s.next;
      E item = s.item;
      assert item != null : "a waiting send without an element";
      int places = ReserveRequest.placesOf(item);
      // With nothing held, the freed place fits any send of one place.
      long held = lane.heldLocked();
      if ((held != 0 || places != 1) && lane.size() + held + places > capacity) {
        if (places == 1) {
          return null; // nothing waiting fits
        }
        s = next;
        continue;
      }
      senders.remove(s);
      if (s.tryClaim()) { // LP of the waiting send or reserve
        if (item instanceof ReserveRequest) {
          boolean fits = holdLocked(places);
          assert fits : "a waiting reserve's places were taken";
        } else {
          int outcome = lane.offer(item, true);
          assert outcome == Lane.OK : "a waiting sender's place was taken";
        }
        return s;
      }
      s = next; // withdrawn, or its select chose another clause: gone
    }
    return null;
  }

  /**
   * Claims the oldest waiting send of an element, for a receive that found the lane empty; a
   * waiting reserve has nothing to hand over, and waits on.
   */
  private @Nullable Waiter<E> claimElementSender() {
    for (Waiter<E> s = senders.first(); s != null; ) {
      Waiter<E> next = s.next;
      if (!(s.item instanceof ReserveRequest)) {
        senders.remove(s);
        if (s.tryClaim()) {
          return s;
        }
      }
      s = next;
    }
    return null;
  }

  /**
   * Reserves {@code places} places if they are free now. Under the lock, for an open channel.
   *
   * @return {@link Outcome#SENT} (reserved; on an unbounded channel nothing is counted) or {@link
   *     Outcome#FULL}
   */
  private int reserveLocked(int places) {
    if (capacity == Integer.MAX_VALUE) {
      return Outcome.SENT; // LP: an unbounded buffer always has the room
    }
    return holdLocked(places) ? Outcome.SENT : Outcome.FULL;
  }

  /**
   * Holds {@code places} places if they are free: in the tail's count while it has room ({@link
   * Lane#hold}, one {@code cas}), else in {@code lane.heldOver}, after {@code OVER} shut every
   * operation past the lock out. Under the lock.
   *
   * @return whether they are held
   */
  private boolean holdLocked(int places) {
    int outcome = lane.hold(places, true); // LP, when it answers
    if (outcome != Lane.HOLD_BLOCKED) {
      return outcome == Lane.HOLD_OK;
    }
    lane.setTailFlags(Lane.OVER); // Lane.unholdLocked clears it once nothing is held over
    if (lane.size() + lane.heldLocked() + places > capacity) {
      if (lane.heldOver == 0) {
        lane.markTail(Lane.OVER, false);
      }
      return false;
    }
    lane.heldOver += places; // LP: OVER keeps sends and permits off the tail meanwhile
    return true;
  }

  /**
   * Sends {@code e} in a place its permit holds: to a waiting receive, or into the lane, which has
   * the room. Under the lock.
   *
   * @return {@link Outcome#SENT}, or {@link Outcome#CLOSED} (the close voided the permit)
   */
  final int sendPermittedLocked(E e) {
    if (closed) {
      return Outcome.CLOSED;
    }
    // Shut permits out of the tail until settle(), so that no reserve takes the place between its
    // release and the send.
    lane.setTailFlags(Lane.WAITERS);
    lane.unholdLocked(1);
    int outcome = sendLocked(e); // LP: of the permit's send
    assert outcome == Outcome.SENT : "a permit's place was taken";
    return outcome;
  }

  /**
   * Gives back one place a permit holds, to the oldest waiting send that fits ({@link #toResume});
   * nothing if the close voided it. Under the lock.
   */
  final void releaseLocked() {
    if (closed) {
      return;
    }
    lane.setTailFlags(Lane.WAITERS); // as in sendPermittedLocked
    lane.unholdLocked(1); // LP: of the release
    if (!senders.isEmpty()) {
      toResume = serveFreedPlace();
    }
  }

  /**
   * Hands {@code e}, given back by a receive that could not deliver it, to the oldest waiting
   * receive ({@link #toResume}), or puts it back at the head; or drops it ({@link #dropped}) when
   * no receive would ever take it. Under the lock; {@link #settle} opens the lane again.
   */
  final void giveBackLocked(E e) {
    // Shut fast receives first: one that saw the lane empty and closed has then answered before
    // the count below, which is 0 for it too, so the element goes to the handler, as it must once
    // a receiver was told the channel is drained.
    lane.markHead(Lane.SENDERS, true);
    int buffered = lane.size() + returned;
    if (cancelled
        || (closed && buffered == 0)
        || (overflow == BufferOverflow.DROP_OLDEST && buffered >= capacity)) {
      dropped = e;
      return;
    }
    for (Waiter<E> r; (r = receivers.pollFirst()) != null; ) {
      r.item = e;
      if (r.tryClaim()) { // LP: handed on to a waiting receive
        toResume = r;
        return;
      }
    }
    ArrayDeque<E> given = front;
    if (given == null) {
      given = front = new ArrayDeque<>();
    }
    given.addFirst(e); // LP: back at the head
    returned++;
  }

  /**
   * Locks for an operation that may claim waiters. If a queued waiter must be claimed inside a
   * {@link ClaimFrame} and this thread is not in one, unlocks again (nothing was changed) and
   * returns {@code false}: the caller then starts over inside a frame.
   */
  final boolean lockForClaims() {
    return lockForClaims(true);
  }

  /**
   * {@link #lockForClaims()}, spinning for the lock only if {@code spin}: false for a waiter that
   * says it should not ({@link Waiter#spinsOnLock()}).
   */
  final boolean lockForClaims(boolean spin) {
    lockQueues(spin);
    if (needsFrameLocked()) {
      lock.unlock();
      return false;
    }
    return true;
  }

  /**
   * Locks for a look at the queues: takes the lock and shuts the hand-off slot, moving its waiter,
   * if any, to its queue. The caller calls {@link #settle} before it unlocks, which opens the slot
   * again once the queues are empty.
   */
  final void lockQueues() {
    lockQueues(true);
  }

  /** {@link #lockQueues()}, spinning for the lock only if {@code spin}. */
  final void lockQueues(boolean spin) {
    lock.lock(spin);
    HandOffSlot<E> s = slot;
    if (s != null) {
      s.shut(senders, receivers);
    }
  }

  /**
   * Whether a claim here must happen inside a {@link ClaimFrame} this thread is not in. Under the
   * lock.
   */
  final boolean needsFrameLocked() {
    return (senders.needsFrame() || receivers.needsFrame()) && !ClaimFrame.inside();
  }

  /**
   * Shuts the lane's fast path for a send or receive about to wait: from now on, until {@link
   * #settle}, no send claims past the lock, nor (for {@code send}) any receive. Under the lock,
   * before the look at the lane whose failure makes the operation wait.
   */
  final void beginWait(boolean send) {
    lane.shutForWait(send);
  }

  /** Makes the lane's flags match the queues again. Under the lock, before unlocking. */
  final void settle() {
    boolean sendersWait = !senders.isEmpty();
    boolean anyWait = sendersWait || !receivers.isEmpty();
    lane.matchQueues(anyWait, sendersWait || returned != 0);
    HandOffSlot<E> s = slot;
    if (s != null && !anyWait && returned == 0 && !closed) {
      s.open();
    }
  }

  static boolean isElement(Object polled) {
    return polled != Lane.EMPTY && polled != Lane.CLOSED_EMPTY && polled != Lane.BLOCKED;
  }

  @SuppressWarnings("unchecked") // only Es go into the lane
  static <E> E cast(Object element) {
    return (E) element;
  }

  /** Queues a waiter of a send that found the channel full. Under the lock. */
  final void enqueueSender(Waiter<E> w) {
    senders.addLast(w);
  }

  /** Queues a waiter of a receive that found the channel empty. Under the lock. */
  final void enqueueReceiver(Waiter<E> w) {
    receivers.addLast(w);
  }

  final boolean isClosedLocked() {
    return closed;
  }

  /** Takes the waiter left to resume by the last {@code *Locked} call. Under the lock. */
  final @Nullable Waiter<E> takeResume() {
    Waiter<E> w = toResume;
    toResume = null;
    return w;
  }

  /**
   * Takes the element dropped by the last {@link #sendLocked} or {@link #giveBackLocked}; locked.
   */
  final @Nullable E takeDropped() {
    E e = dropped;
    dropped = null;
    return e;
  }

  // ---------------------------------------------------------------------------------------------
  // After the unlock.

  /** After the unlock: resumes a claimed waiter and hands a dropped element to the handler. */
  final void afterUnlock(@Nullable Waiter<E> resume, @Nullable E drop) {
    if (resume != null) {
      resume.resume();
    }
    if (drop != null) {
      undelivered(drop);
    }
  }

  /**
   * Hands an element that will never be received to the user's handler. With no lock held. What the
   * handler throws goes to the thread's uncaught-exception handler: the operation that dropped the
   * element has taken effect, and must report its own outcome, not the handler's.
   */
  final void undelivered(E e) {
    Consumer<? super E> handler = onUndelivered;
    if (handler != null) {
      try {
        handler.accept(e);
      } catch (Throwable failure) {
        reportUncaught(failure);
      }
    }
  }

  /** Passes a failure that no caller can be given to the current thread's uncaught handler. */
  static void reportUncaught(Throwable failure) {
    Thread t = Thread.currentThread();
    t.getUncaughtExceptionHandler().uncaughtException(t, failure);
  }

  final ChannelClosedException closedForSend() {
    return new ChannelClosedException("channel is closed for send", closeCause());
  }

  final ChannelClosedException closedForReceive() {
    return new ChannelClosedException("channel is closed and drained", closeCause());
  }

  /**
   * The close cause, for a caller that has seen the channel closed (under the lock, or through a
   * claim made under it). No lock needed: the cause is written before the volatile store of {@link
   * #closed}, and read here after a volatile load of it.
   */
  final @Nullable Throwable closeCause() {
    boolean isClosed = closed; // lv: orders the read of closeCause after close's writes
    assert isClosed : "asked for the close cause of an open channel";
    return closeCause;
  }
}
