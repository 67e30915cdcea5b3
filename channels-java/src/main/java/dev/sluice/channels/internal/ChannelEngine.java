/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Permit;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The entry points of the engine, which every face calls: the lock-free fast path, then one locked
 * entry per direction ({@link #sendSlow}, {@link #receiveSlow}) that takes the waiter the face
 * supplies, or none. Every entry resumes the waiters it claimed, and hands dropped elements to the
 * handler, only after it unlocked; and reports closed as an {@link Outcome}, not an exception.
 *
 * <p>The Java face ({@link BufferedChannel}) and the Kotlin face ({@code dev.sluice.coroutines})
 * are both built on these; the state and the locked steps are in {@link ChannelCore}.
 *
 * @param <E> the element type
 */
public abstract sealed class ChannelEngine<E> extends ChannelClosing<E> permits BufferedChannel {
  ChannelEngine(
      int capacity, BufferOverflow overflow, @Nullable Consumer<? super E> onUndelivered) {
    super(capacity, overflow, onUndelivered);
  }

  // ---------------------------------------------------------------------------------------------
  // The locked entries, one per direction.

  /**
   * The locked part of every send: sends {@code element} at once if it can, else queues {@code w},
   * or (with no waiter) reports {@link Outcome#FULL}.
   *
   * <p>A receive this send claims is resumed after the unlock; or, if {@code resumeLater} is given,
   * added to it for the caller to resume once it released locks of its own. A caller with {@code
   * resumeLater} that is not in a {@link ClaimFrame} when a claim needs one gets {@link
   * Outcome#NEEDS_FRAME}, and nothing was done; any other caller is taken into a frame.
   *
   * @return {@link Outcome#SENT}, {@link Outcome#CLOSED}, {@link Outcome#QUEUED} (only with {@code
   *     w}), {@link Outcome#FULL} (only without) or {@link Outcome#NEEDS_FRAME} (only with {@code
   *     resumeLater})
   */
  final int sendSlow(E element, @Nullable Waiter<E> w, @Nullable List<Waiter<?>> resumeLater) {
    HandOffSlot<E> slot = this.slot;
    if (slot != null && (w == null || w.slotSide() == Waiter.SENDS)) {
      int fast = slot.send(element, w, resumeLater);
      if (fast != HandOffSlot.TAKE_LOCK) {
        return fast;
      }
    }
    int outcome;
    Waiter<E> resume;
    E drop;
    if (!lockForClaims(w == null || w.spinsOnLock())) {
      if (resumeLater != null) {
        return Outcome.NEEDS_FRAME;
      }
      return ClaimFrame.call(() -> sendSlow(element, w, null));
    }
    try {
      outcome = sendLocked(element);
      if (outcome == Outcome.FULL && w != null) {
        beginWait(true);
        outcome = sendLocked(element); // now a FULL lane stays full until this waiter is served
        if (outcome == Outcome.FULL) {
          enqueueSender(w);
          outcome = Outcome.QUEUED;
        }
      }
      resume = takeResume();
      drop = takeDropped();
      settle();
    } finally {
      lock.unlock();
    }
    if (resume != null && resumeLater != null) {
      resumeLater.add(resume);
      resume = null;
    }
    afterUnlock(resume, drop);
    return outcome;
  }

  /**
   * The locked part of every receive: takes the oldest element (a given-back one, the lane's head,
   * or a waiting send's) if there is one now, else queues {@code w}, if given. A received element
   * is also stored in {@code w}, if given, under the lock. A send this receive claims is resumed
   * after the unlock.
   *
   * @return in the vocabulary of {@link Lane#poll}: the element; or {@link Lane#CLOSED_EMPTY} if
   *     the channel is closed and drained; or {@link Lane#EMPTY}, nothing now (and {@code w} is
   *     queued)
   */
  final Object receiveSlow(@Nullable Waiter<E> w) {
    HandOffSlot<E> slot = this.slot;
    if (slot != null && (w == null || w.slotSide() == Waiter.RECEIVES)) {
      Object fast = slot.receive(w);
      if (fast != HandOffSlot.LOCKED) {
        return fast;
      }
    }
    Object result;
    Waiter<E> resume;
    if (!lockForClaims(w == null || w.spinsOnLock())) {
      return ClaimFrame.call(() -> receiveSlow(w));
    }
    try {
      E e = receiveLocked();
      if (e == null && w != null && !closed) {
        beginWait(false);
        e = receiveLocked(); // now an empty lane stays empty until this waiter is served
      }
      if (e != null) {
        if (w != null) {
          w.item = e;
        }
        result = e;
      } else if (closed) {
        result = Lane.CLOSED_EMPTY;
      } else {
        if (w != null) {
          enqueueReceiver(w);
        }
        result = Lane.EMPTY;
      }
      resume = takeResume();
      settle();
    } finally {
      lock.unlock();
    }
    if (resume != null) {
      resume.resume();
    }
    return result;
  }

  /**
   * The locked part of a receive that may not wait: the oldest element, or {@code null} (empty, or
   * closed and drained).
   */
  final @Nullable E receiveNow() {
    Object x = receiveSlow(null);
    return isElement(x) ? cast(x) : null;
  }

  // ---------------------------------------------------------------------------------------------
  // For other faces (dev.sluice.coroutines, the kinds): the operations with outcomes instead of
  // exceptions, and with the caller's own waiter.

  /**
   * Sends {@code element} if that can happen without waiting, reporting a closed channel as an
   * outcome instead of an exception.
   *
   * @param element the element
   * @return {@link Outcome#SENT}, {@link Outcome#FULL} or {@link Outcome#CLOSED}
   */
  public int trySendOutcome(E element) {
    int fast = lane.offer(element, false);
    if (fast != Lane.BLOCKED_SEND) {
      return fast == Lane.OK ? Outcome.SENT : Outcome.FULL; // FULL, no flag: nobody waits
    }
    return sendSlow(element, null, null);
  }

  /**
   * Sends {@code element} if that can happen without waiting, as {@link #trySendOutcome}, but
   * leaves a waiting receive that takes it unresumed: the waiter goes to {@code resumeLater}, and
   * the caller resumes it with {@link #resumeAll} once it has released locks of its own. For a kind
   * that sends while it holds its own lock (a watch signalling its readers), so that no resumption,
   * which may run user code, runs under that lock.
   *
   * <p>A receive whose claim resumes it (a kotlinx select) is resumed by the claim itself: the
   * caller holds it back by sending inside {@link Engines#inClaimFrame}, around its own lock. A
   * caller not in a frame when such a receive waits gets {@link Outcome#NEEDS_FRAME}, and nothing
   * was done: it sends again inside a frame, after its unlock. (Opening a frame here would run that
   * receive's coroutine when the frame closes, still under the caller's lock.)
   *
   * <p>An element dropped by an overflow policy goes to the undelivered-element handler at once, in
   * this call: a caller holding a lock should use a channel without one.
   *
   * @param element the element
   * @param resumeLater where a claimed receive is added
   * @return {@link Outcome#SENT}, {@link Outcome#FULL}, {@link Outcome#CLOSED} or {@link
   *     Outcome#NEEDS_FRAME}
   */
  public int trySendDeferred(E element, List<Waiter<?>> resumeLater) {
    Objects.requireNonNull(element, "element");
    int fast = lane.offer(element, false);
    if (fast != Lane.BLOCKED_SEND) {
      return fast == Lane.OK ? Outcome.SENT : Outcome.FULL; // FULL, no flag: nobody waits
    }
    return sendSlow(element, null, Objects.requireNonNull(resumeLater, "resumeLater"));
  }

  /**
   * Resumes the waiters that {@link #trySendDeferred} claimed; with no lock held. What one throws
   * goes to the thread's uncaught-exception handler, and the others are still resumed.
   *
   * @param waiters the claimed waiters
   */
  public static void resumeAll(List<Waiter<?>> waiters) {
    for (Waiter<?> w : waiters) {
      try {
        w.resume();
      } catch (Throwable failure) {
        reportUncaught(failure);
      }
    }
  }

  /**
   * Sends the element of {@code w} ({@link Waiter#item()}) at once if the channel can take it, or
   * queues {@code w} to wait for room. The lane's fast path should have been tried first: this
   * takes the lock.
   *
   * <p>After {@link Outcome#QUEUED} the waiter belongs to the channel until it is claimed ({@link
   * Waiter#resume()} is then called once, with no lock held) or withdrawn by its owner. After
   * {@link Outcome#SENT} or {@link Outcome#CLOSED} the waiter was not queued and will never be
   * resumed.
   *
   * @param w a new waiter of a send, not queued anywhere
   * @return {@link Outcome#SENT}, {@link Outcome#CLOSED} or {@link Outcome#QUEUED}
   */
  public int sendOrEnqueue(Waiter<E> w) {
    E element = w.item;
    Objects.requireNonNull(element, "a send waiter needs its element");
    return sendSlow(element, w, null);
  }

  /**
   * Receives into {@code w} at once if an element is there, or queues {@code w} to wait for one.
   * The lane's fast path should have been tried first: this takes the lock.
   *
   * <p>After {@link Outcome#RECEIVED} the element is in {@code w} ({@link Waiter#item()}), which
   * was not queued. After {@link Outcome#QUEUED} the waiter belongs to the channel until it is
   * claimed or withdrawn, as in {@link #sendOrEnqueue}.
   *
   * @param w a new waiter of a receive, not queued anywhere
   * @return {@link Outcome#RECEIVED}, {@link Outcome#CLOSED} (closed and drained) or {@link
   *     Outcome#QUEUED}
   */
  public int receiveOrEnqueue(Waiter<E> w) {
    Object x = receiveSlow(w);
    if (isElement(x)) {
      return Outcome.RECEIVED;
    }
    return x == Lane.CLOSED_EMPTY ? Outcome.CLOSED : Outcome.QUEUED;
  }

  /**
   * Sends {@code element} through the lock-free fast path alone: never takes the lock.
   *
   * @param element the element
   * @return {@code true} if it was sent; {@code false} if the caller must take the slow path
   *     ({@link #sendOrEnqueue} or {@link #trySendOutcome}): full, closed, or someone waits
   */
  public boolean offerFast(E element) {
    return lane.offer(element, false) == Lane.OK;
  }

  /**
   * Receives through the lock-free fast path alone: never takes the lock.
   *
   * @return the element, or {@code null} if the caller must take the slow path ({@link
   *     #receiveOrEnqueue} or {@link #pollOrNull}): empty, closed, or someone waits
   */
  public @Nullable E pollFast() {
    Object fast = lane.poll(false);
    return isElement(fast) ? cast(fast) : null;
  }

  /**
   * Whether a send whose fast path ({@link #offerFast}) failed may still complete at once through
   * the lock: a receive waits, the buffer has room, the policy drops, or the channel is closed.
   * Read without the lock, so only a hint, for a caller whose waiter costs more than a lock ({@link
   * BufferedChannel#sendAsync} makes a waiter and its future; a blocking send, its {@code
   * ParkingWaiter}), which may try the locked send without a waiter first when this says so. A
   * wrong answer costs a lock or a waiter, never an outcome.
   *
   * @return {@code true} if {@link #trySendOutcome} is worth a try
   */
  public boolean sendMayNotWait() {
    return closed
        || receivers.mayBeNonEmpty()
        || (slot != null && slot.mayHold(Waiter.RECEIVES))
        || overflow != BufferOverflow.SUSPEND
        || lane.size() < capacity;
  }

  /**
   * Whether a receive whose fast path ({@link #pollFast}) failed may still complete at once through
   * the lock: a send waits, an element is buffered or given back, or the channel is closed. A hint,
   * as {@link #sendMayNotWait} is, for trying {@link #pollOrNull} before making a waiter.
   *
   * @return {@code true} if {@link #pollOrNull} is worth a try
   */
  public boolean receiveMayNotWait() {
    return closed
        || returned != 0
        || senders.mayBeNonEmpty()
        || (slot != null && slot.mayHold(Waiter.SENDS))
        || lane.size() != 0;
  }

  /**
   * Takes the oldest element if there is one now, without waiting and without throwing.
   *
   * @return the element, or {@code null} when there is none now: empty, or closed and drained (tell
   *     them apart with {@link BufferedChannel#isClosedForReceive()}, which is closed from then on)
   */
  public @Nullable E pollOrNull() {
    Object fast = lane.poll(false);
    if (isElement(fast)) {
      return cast(fast);
    }
    if (fast != Lane.BLOCKED) {
      return null; // EMPTY: no flag set, the lane is just empty; or CLOSED_EMPTY
    }
    return receiveNow();
  }

  // ---------------------------------------------------------------------------------------------
  // Permits: a reserve is a send whose element is a ReserveRequest (see ChannelCore#sendLocked).

  /**
   * Refuses permits on a channel that cannot hold them: a rendezvous channel has no buffer to hold
   * a place in, and a dropping one never waits for room, so a permit would hold nothing back.
   *
   * @throws UnsupportedOperationException on a rendezvous or dropping channel
   */
  public final void checkPermits() {
    if (capacity == 0) {
      throw new UnsupportedOperationException(
          "a rendezvous channel has no buffer to reserve a place in: send, or give the channel a"
              + " buffer");
    }
    if (overflow != BufferOverflow.SUSPEND) {
      throw new UnsupportedOperationException(
          "a channel that drops on overflow ("
              + overflow
              + ") never waits for room: there is no place a permit could hold");
    }
  }

  /**
   * Reserves {@code places} places if they are free now, without waiting: the try form of a
   * reserve, and its first step before a waiter is made. {@link #checkPermits()} first.
   *
   * @param places how many, at least 1
   * @return {@link Outcome#SENT} (reserved: make the permits with {@link #grantedPermit()}), {@link
   *     Outcome#FULL} or {@link Outcome#CLOSED}
   */
  public final int tryReserveOutcome(int places) {
    ReserveRequest request = ReserveRequest.of(places);
    if (capacity != Integer.MAX_VALUE) {
      switch (lane.hold(places, false)) { // one cas of the tail while nobody waits
        case Lane.HOLD_OK:
          return Outcome.SENT;
        case Lane.HOLD_FULL:
          return Outcome.FULL;
        case Lane.HOLD_CLOSED:
          return Outcome.CLOSED;
        default: // a waiter, or more held than the tail counts: the lock's turn
          break;
      }
    }
    return sendSlow(request.asElement(), null, null);
  }

  /**
   * A permit for a place this channel reserved already: after {@link #tryReserveOutcome} answered
   * {@link Outcome#SENT}, or a reserve's waiter was claimed.
   *
   * @return the permit
   */
  public final Permit<E> grantedPermit() {
    return new ChannelPermit<>(this);
  }

  /**
   * Gives back a place reserved for a permit that was never made (a select that won a reserve but
   * could not deliver its result): {@link Permit#release()} without the permit.
   */
  public final void releasePermit() {
    if (lane.unhold()) {
      return; // one cas of the tail: nobody waited for the place
    }
    Waiter<E> resume;
    if (!lockForClaims()) {
      ClaimFrame.call(
          () -> {
            releasePermit();
            return null;
          });
      return;
    }
    try {
      releaseLocked();
      resume = takeResume();
      settle();
    } finally {
      lock.unlock();
    }
    afterUnlock(resume, null);
  }

  /** A permit's send: {@link Outcome#SENT}, or {@link Outcome#CLOSED} if the close voided it. */
  final int sendPermitted(E element) {
    switch (lane.offerHeld(element, false)) { // one cas of the tail while nobody waits
      case Lane.OK:
        return Outcome.SENT;
      case Lane.HOLD_CLOSED:
        return Outcome.CLOSED;
      default: // a receive may wait for it, or the place is counted over: the lock's turn
        break;
    }
    int outcome;
    Waiter<E> resume;
    Waiter<E> served = null;
    E drop;
    if (!lockForClaims()) {
      return ClaimFrame.call(() -> sendPermitted(element));
    }
    try {
      outcome = sendPermittedLocked(element);
      resume = takeResume();
      drop = takeDropped();
      if (resume != null && !senders.isEmpty()) {
        // Handed to a waiting receive, the element took no place: the one its permit held is free
        // now, and goes to a waiting send or reserve (found by PermitsTest: without this, a
        // waiting reserveMany never woke).
        served = serveFreedPlace();
      }
      settle();
    } finally {
      lock.unlock();
    }
    afterUnlock(resume, drop);
    if (served != null) {
      served.resume();
    }
    return outcome;
  }

  /** For tests: how many places permits hold now. */
  int reservedPlaces() {
    lock.lock();
    try {
      return (int) lane.heldLocked();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a withdrawn waiter from the hand-off slot (waiting out a claim of it in progress) or
   * from whichever queue holds it, if either still does.
   */
  final void unlink(Waiter<E> w) {
    HandOffSlot<E> slot = this.slot;
    if (slot != null && slot.remove(w)) {
      return; // it waited in the slot, and nobody holds it now
    }
    lock.lock();
    try {
      WaiterQueue<E> q = w.queue;
      if (q != null) {
        q.remove(w);
        settle();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes a waiter that will never be claimed (its select finished elsewhere, its coroutine was
   * cancelled) from the queue that holds it, if any still does; claims of it would fail anyway,
   * this lets it go at once.
   *
   * @param w the waiter
   */
  public void removeWaiter(Waiter<E> w) {
    unlink(w);
  }

  /**
   * Gives back an element that a receive was handed but could not deliver (its coroutine was
   * cancelled just then): the element goes to the oldest waiting receive, or else to the head of
   * the buffer, ahead of everything buffered. With {@code SUSPEND} and {@code DROP_LATEST} that may
   * make the buffer hold more than its capacity for a while (sends wait, or drop, until it is below
   * again); with {@code DROP_OLDEST} it is dropped if the buffer is full, being the oldest.
   *
   * <p>It goes to {@code onUndeliveredElement} instead when the channel was cancelled, or closed
   * and drained: receivers may have seen the channel closed for receive already, and none would
   * ever take it. A closed channel that still holds elements takes it back; its receivers drain it
   * first.
   *
   * @param e the element
   */
  public void giveBack(E e) {
    Objects.requireNonNull(e, "element");
    Waiter<E> resume;
    E drop;
    if (!lockForClaims()) {
      ClaimFrame.call(
          () -> {
            giveBack(e);
            return null;
          });
      return;
    }
    try {
      giveBackLocked(e);
      resume = takeResume();
      drop = takeDropped();
      settle();
    } finally {
      lock.unlock();
    }
    afterUnlock(resume, drop);
  }

  /**
   * Whether a receive would wait now: nothing buffered, no sender waiting, and not closed and
   * drained.
   *
   * @return {@code true} if a receive would wait
   */
  public boolean isEmptyForReceive() {
    lockQueues();
    try {
      return returned == 0 && lane.size() == 0 && senders.isEmpty() && !closed;
    } finally {
      settle();
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------

  /** Describes the channel's state, for debugging. */
  @Override
  public String toString() {
    int buffered;
    int waitingSenders;
    int waitingReceivers;
    long reservedNow;
    Throwable cause;
    lockQueues();
    try {
      buffered = lane.size();
      waitingSenders = senders.size();
      waitingReceivers = receivers.size();
      reservedNow = closed ? 0 : lane.heldLocked();
      cause = closed ? closeCause() : null;
      settle();
    } finally {
      lock.unlock();
    }
    // Formatted after the unlock: the cause's toString is user code.
    return "Channel[capacity="
        + (capacity == Integer.MAX_VALUE ? "unbounded" : String.valueOf(capacity))
        + ", overflow="
        + overflow
        + ", buffered="
        + buffered
        + ", waitingSenders="
        + waitingSenders
        + ", waitingReceivers="
        + waitingReceivers
        + (reservedNow == 0 ? "" : ", reserved=" + reservedNow)
        + (closed ? ", closed" + (cause == null ? "" : " (" + cause + ")") : "")
        + "]";
  }

  /** For tests: how many slots the lane holds now. */
  long bufferSlots() {
    return lane.slots();
  }

  /** For tests: how many waiters are queued, withdrawn or not. */
  int queuedWaiters() {
    lockQueues();
    try {
      return senders.size() + receivers.size();
    } finally {
      settle();
      lock.unlock();
    }
  }
}
