/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.SelectClause;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The one channel engine, for every capacity (rendezvous, bounded, unbounded) and every face: a
 * lock-free buffer (a {@link Lane}) used directly while nobody waits, and two queues of waiters under
 * one lock for everything else.
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
 *              to them ({@link #giveBack}); received before the lane's. Usually empty; lock
 *   closed     set once by close/cancel under the lock, just before the lane's CLOSED flag
 *
 * Flags in the lane's claim words, set and cleared under the lock (see Lane):
 *   WAITERS  (tail)  set while either queue is non-empty: every send takes the lock
 *   SENDERS  (head)  set while senders or front is non-empty: every receive takes the lock
 *
 * Invariants, whenever the lock is free (counting only waiters that are still waiting):
 *   receivers non-empty  implies  lane and front empty, and no sender waits
 *   senders non-empty    implies  lane full
 *   closed               implies  no waiter at all
 * </pre>
 *
 * The fast path ({@link Lane#offer} and {@link Lane#poll} without the lock) keeps these invariants
 * because the flags shut it off, atomically, before a waiter is queued: an operation that finds the
 * lane full or empty takes the lock, sets the flags ({@link #beginWait}), and looks again; only if the
 * lane is still full or empty (now for good, since no fast claim can get past the flags) does it queue
 * its waiter. Once the queues are empty again the lock holder clears the flags ({@link #settle}).
 *
 * A send first hands its element to the oldest waiting receive, claiming it; failing that it buffers
 * the element; failing that it waits (or drops, or reports full). A receive first takes the buffer's
 * head and refills the buffer from the oldest waiting send; with an empty buffer (a rendezvous
 * channel) it takes the oldest waiting send's element directly; failing that it waits. Each claim is
 * a {@code cas} on the waiter, which may fail because the waiter was withdrawn or its select chose
 * another clause: the claimer then drops that waiter and tries the next one, so an element is never
 * handed to an operation that is gone.
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
public final class BufferedChannel<E> implements Channel<E> {
  private static final AtomicLong IDS = new AtomicLong();

  /**
   * How many times a blocking send or receive retries the fast path, spinning, when it found the lane
   * full or empty, before it takes the lock and queues a waiter: the system property {@code
   * sluice.pollSpins}, 256 by default (none on virtual threads or a single CPU, as {@link Spinning}
   * explains).
   *
   * <p>Without it, a consumer that finds the lane empty registers at once, and the producer then
   * hands it every element one by one through the lock, each hand-off a claim and a wake-up: the two
   * threads run in lockstep however large the buffer. Retrying lets the producer fill the lane and
   * the consumer drain it. A retrying operation never overtakes a registered waiter: while one is
   * queued the lane's flags send every fast operation to the lock.
   */
  private static final int POLLS = Integer.getInteger("sluice.pollSpins", 256);

  /**
   * The largest capacity whose lane is one array allocated up front ({@link ArrayLane}, about 12
   * bytes per slot); larger bounded channels get chunks allocated as they fill ({@link LinkedLane}).
   */
  static final int ARRAY_LANE_MAX = 1 << 14;

  /** The order in which a select locks channels. */
  final long id = IDS.incrementAndGet();

  final ChannelLock lock;

  private final int capacity;
  private final BufferOverflow overflow;
  private final @Nullable Consumer<? super E> onUndelivered;

  private final Lane<E> lane;

  // Guarded by lock.
  private final WaiterQueue<E> senders = new WaiterQueue<>();
  private final WaiterQueue<E> receivers = new WaiterQueue<>();
  /** Elements given back, oldest first; made on the first give-back. */
  private @Nullable ArrayDeque<E> front;

  /**
   * How many elements {@link #front} holds: written under the lock, read without it by {@link
   * #size()} and {@link #isClosedForReceive()}.
   */
  private volatile int returned;

  /** Whether the channel was cancelled (not just closed): give-backs then go to the handler. */
  private boolean cancelled;

  /** Whether {@link #sendAndClose} closed the channel; written under the lock before {@link #closed}. */
  private volatile boolean closedBySend;

  /**
   * The close handler ({@link #invokeOnClose}): null, a handler to run on close, or {@link
   * #HANDLER_RAN} once it ran (or was registered on a closed channel).
   */
  private @Nullable Object closeHandler;

  private static final Object HANDLER_RAN = new Object();
  /** Written under the lock before {@link #closed}; read without the lock by {@link #closeCause()}. */
  private @Nullable Throwable closeCause;

  /**
   * Written under the lock, before the lane's {@code CLOSED} flag; read under the lock, or after
   * that flag was seen.
   */
  private volatile boolean closed;

  // Hand-off slots: written by a *Locked method, emptied by the same thread before it unlocks.
  private @Nullable Waiter<E> toResume;
  private @Nullable E dropped;

  /**
   * Creates an open, empty channel.
   *
   * @param capacity 0 (rendezvous), 1 or more, or {@link Integer#MAX_VALUE} (unbounded)
   * @param overflow what a send does when the buffer is full; a dropping policy needs capacity 1+
   * @param onUndelivered the handler of dropped and discarded elements, or {@code null}
   */
  public BufferedChannel(
      int capacity, BufferOverflow overflow, @Nullable Consumer<? super E> onUndelivered) {
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
  // The core, under the lock.

  /**
   * Sends {@code e} if that can happen without waiting. Under the lock.
   *
   * @return {@link Outcome#SENT} (then {@link #toResume} may hold a receive to resume, and {@link #dropped}
   *     an element to hand to the handler), {@link Outcome#FULL}, or {@link Outcome#CLOSED}
   */
  int sendLocked(E e) {
    if (closed) {
      return Outcome.CLOSED;
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
   * @return the element (then {@link #toResume} may hold a send to resume), or {@code null} if there
   *     is none now; the caller tells empty from closed by {@link #closed}
   */
  @Nullable E receiveLocked() {
    ArrayDeque<E> given = front;
    if (given != null && !given.isEmpty()) {
      returned--;
      return given.pollFirst(); // LP: a given-back element, ahead of the lane's
    }
    Object x = lane.poll(true); // LP: when the lane had an element
    if (isElement(x)) {
      if (!senders.isEmpty()) {
        Waiter<E> s = claimSender();
        if (s != null) {
          // The oldest waiting send takes the freed place, in order. No fast send can take it
          // first: a queued sender keeps WAITERS set.
          E item = s.item;
          assert item != null;
          int outcome = lane.offer(item, true);
          assert outcome == Lane.OK : "a waiting sender's place was taken";
          toResume = s;
        }
      }
      return cast(x);
    }
    Waiter<E> s = claimSender(); // LP: rendezvous with a waiting send
    if (s != null) {
      toResume = s;
      return s.item;
    }
    return null;
  }

  private @Nullable Waiter<E> claimSender() {
    for (Waiter<E> s; (s = senders.pollFirst()) != null; ) {
      if (s.tryClaim()) {
        return s;
      }
    }
    return null;
  }

  /**
   * Locks for an operation that may claim waiters. If a queued waiter must be claimed inside a
   * {@link ClaimFrame} and this thread is not in one, unlocks again (nothing was changed) and returns
   * {@code false}: the caller then starts over inside a frame.
   */
  private boolean lockForClaims() {
    lock.lock();
    if (needsFrameLocked()) {
      lock.unlock();
      return false;
    }
    return true;
  }

  /** Whether a claim here must happen inside a {@link ClaimFrame} this thread is not in. Under the lock. */
  boolean needsFrameLocked() {
    return (senders.needsFrame() || receivers.needsFrame()) && !ClaimFrame.inside();
  }

  /**
   * Shuts the lane's fast path for a send or receive about to wait: from now on, until {@link
   * #settle}, no send claims past the lock, nor (for {@code send}) any receive. Under the lock, before
   * the look at the lane whose failure makes the operation wait.
   */
  void beginWait(boolean send) {
    lane.shutForWait(send);
  }

  /** Makes the lane's flags match the queues again. Under the lock, before unlocking. */
  void settle() {
    boolean sendersWait = !senders.isEmpty();
    lane.matchQueues(sendersWait || !receivers.isEmpty(), sendersWait || returned != 0);
  }

  static boolean isElement(Object polled) {
    return polled != Lane.EMPTY && polled != Lane.CLOSED_EMPTY && polled != Lane.BLOCKED;
  }

  @SuppressWarnings("unchecked") // only Es go into the lane
  static <E> E cast(Object element) {
    return (E) element;
  }

  /** Queues a waiter of a send that found the channel full. Under the lock. */
  void enqueueSender(Waiter<E> w) {
    senders.addLast(w);
  }

  /** Queues a waiter of a receive that found the channel empty. Under the lock. */
  void enqueueReceiver(Waiter<E> w) {
    receivers.addLast(w);
  }

  boolean isClosedLocked() {
    return closed;
  }

  /** Takes the waiter left to resume by the last {@code *Locked} call. Under the lock. */
  @Nullable Waiter<E> takeResume() {
    Waiter<E> w = toResume;
    toResume = null;
    return w;
  }

  /** Takes the element dropped by the last {@link #sendLocked}. Under the lock. */
  @Nullable E takeDropped() {
    E e = dropped;
    dropped = null;
    return e;
  }

  /** Removes a withdrawn waiter from whichever queue holds it, if any still does. */
  void unlink(Waiter<E> w) {
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

  /** After the unlock: resumes a claimed waiter and hands a dropped element to the handler. */
  void afterUnlock(@Nullable Waiter<E> resume, @Nullable E drop) {
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
  private void undelivered(E e) {
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

  ChannelClosedException closedForSend() {
    return new ChannelClosedException("channel is closed for send", closeCause());
  }

  ChannelClosedException closedForReceive() {
    return new ChannelClosedException("channel is closed and drained", closeCause());
  }

  /**
   * The close cause, for a caller that has seen the channel closed (under the lock, or through a
   * claim made under it). No lock needed: the cause is written before the volatile store of {@link
   * #closed}, and read here after a volatile load of it.
   */
  private @Nullable Throwable closeCause() {
    boolean isClosed = closed; // lv: orders the read of closeCause after close's writes
    assert isClosed : "asked for the close cause of an open channel";
    return closeCause;
  }

  // ---------------------------------------------------------------------------------------------
  // Sender.

  @Override
  public void send(E element) throws InterruptedException {
    sendBlocking(element, false, 0L);
  }

  @Override
  public boolean send(E element, Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long nanos = Deadline.timeoutNanos(timeout);
    if (nanos == 0) { // over already: the try form
      Objects.requireNonNull(element, "element");
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return trySend(element);
    }
    return sendBlocking(element, true, Deadline.after(nanos));
  }

  private boolean sendBlocking(E element, boolean timed, long deadline)
      throws InterruptedException {
    Objects.requireNonNull(element, "element");
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    int fast = lane.offer(element, false);
    if (fast == Lane.OK) {
      return true;
    }
    // Full: retry the fast path for a while before queueing (see POLLS).
    for (int i = fast == Lane.FULL ? Spinning.forCurrentThread(POLLS) : 0; i > 0; i--) {
      Thread.onSpinWait();
      fast = lane.offer(element, false);
      if (fast != Lane.FULL) {
        if (fast == Lane.OK) {
          return true;
        }
        break;
      }
      if ((i & 63) == 0) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (timed && deadline - System.nanoTime() <= 0) {
          return false;
        }
      }
    }
    // A receive waits, or there is room: send under the lock without making a waiter (on a
    // rendezvous channel, about every other send).
    if (sendMayNotWait()) {
      int outcome = sendSlow(element, null);
      if (outcome == Outcome.SENT) {
        return true;
      }
      if (outcome == Outcome.CLOSED) {
        throw closedForSend();
      }
    }
    ParkingWaiter<E> w = new ParkingWaiter<>(this, element);
    switch (sendSlow(element, w)) {
      case Outcome.SENT:
        return true;
      case Outcome.CLOSED:
        throw closedForSend();
      default: // Outcome.QUEUED
        break;
    }
    switch (w.await(timed, deadline)) {
      case Parker.INTERRUPTED:
        throw new InterruptedException();
      case Parker.TIMED_OUT:
        return false;
      default:
        if (w.closed) {
          throw closedForSend();
        }
        return true;
    }
  }

  @Override
  public boolean trySend(E element) {
    Objects.requireNonNull(element, "element");
    int outcome = trySendOutcome(element);
    if (outcome == Outcome.CLOSED) {
      throw closedForSend();
    }
    return outcome == Outcome.SENT;
  }

  @Override
  public CompletableFuture<Void> sendAsync(E element) {
    Objects.requireNonNull(element, "element");
    if (lane.offer(element, false) == Lane.OK) {
      return CompletableFuture.completedFuture(null);
    }
    if (sendMayNotWait()) { // a receive waits: no waiter, no second future
      int outcome = sendSlow(element, null);
      if (outcome == Outcome.SENT) {
        return CompletableFuture.completedFuture(null);
      }
      if (outcome == Outcome.CLOSED) {
        return CompletableFuture.failedFuture(closedForSend());
      }
    }
    FutureWaiter<E, Void> w = new FutureWaiter<>(this, element, true);
    switch (sendOrEnqueue(w)) {
      case Outcome.CLOSED:
        return CompletableFuture.failedFuture(closedForSend());
      case Outcome.QUEUED:
        return w.future;
      default:
        return CompletableFuture.completedFuture(null);
    }
  }

  @Override
  public <R> SelectClause<R> onSend(E element, Supplier<? extends R> then) {
    Objects.requireNonNull(element, "element");
    Objects.requireNonNull(then, "then");
    return Clause.send(this, element, then);
  }

  @Override
  public boolean close() {
    return closeOrCancel(null, false);
  }

  @Override
  public boolean close(Throwable cause) {
    Objects.requireNonNull(cause, "cause");
    return closeOrCancel(cause, false);
  }

  @Override
  public boolean isClosedForSend() {
    return lane.isClosed();
  }

  // ---------------------------------------------------------------------------------------------
  // Receiver.

  @Override
  public E receive() throws InterruptedException {
    E e = receiveBlocking(false, 0L);
    assert e != null : "an untimed receive returns an element or throws";
    return e;
  }

  @Override
  public @Nullable E receive(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long nanos = Deadline.timeoutNanos(timeout);
    if (nanos == 0) { // over already: the try form
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return tryReceive();
    }
    return receiveBlocking(true, Deadline.after(nanos));
  }

  private @Nullable E receiveBlocking(boolean timed, long deadline) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Object fast = lane.poll(false);
    // Empty: retry the fast path for a while before queueing (see POLLS).
    for (int i = fast == Lane.EMPTY ? Spinning.forCurrentThread(POLLS) : 0; i > 0; i--) {
      Thread.onSpinWait();
      fast = lane.poll(false);
      if (fast != Lane.EMPTY) {
        break;
      }
      if ((i & 63) == 0) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (timed && deadline - System.nanoTime() <= 0) {
          return null;
        }
      }
    }
    if (isElement(fast)) {
      return cast(fast);
    }
    if (fast == Lane.CLOSED_EMPTY) {
      throw closedForReceive();
    }
    // A send waits, or something is buffered or given back: take it under the lock without making
    // a waiter.
    if (receiveMayNotWait()) {
      E e = receiveNow();
      if (e != null) {
        return e;
      }
    }
    ParkingWaiter<E> w = new ParkingWaiter<>(this, null);
    switch (receiveOrEnqueue(w)) {
      case Outcome.RECEIVED:
        return w.item;
      case Outcome.CLOSED:
        throw closedForReceive();
      default: // Outcome.QUEUED
        break;
    }
    switch (w.await(timed, deadline)) {
      case Parker.INTERRUPTED:
        throw new InterruptedException();
      case Parker.TIMED_OUT:
        return null;
      default:
        if (w.closed) {
          throw closedForReceive();
        }
        return w.item;
    }
  }

  @Override
  public @Nullable E tryReceive() {
    E e = pollOrNull();
    if (e == null && isClosedForReceive()) {
      throw closedForReceive(); // LP: here, for the empty answer turned closed
    }
    return e;
  }

  @Override
  public CompletableFuture<E> receiveAsync() {
    Object fast = lane.poll(false);
    if (isElement(fast)) {
      return CompletableFuture.completedFuture(cast(fast));
    }
    if (fast == Lane.CLOSED_EMPTY) {
      return CompletableFuture.failedFuture(closedForReceive());
    }
    if (receiveMayNotWait()) { // a send waits, or the lane is shut for a waiter: no waiter needed
      E e = pollOrNull();
      if (e != null) {
        return CompletableFuture.completedFuture(e);
      }
    }
    FutureWaiter<E, E> w = new FutureWaiter<>(this, null, false);
    switch (receiveOrEnqueue(w)) {
      case Outcome.CLOSED:
        return CompletableFuture.failedFuture(closedForReceive());
      case Outcome.QUEUED:
        return w.future;
      default:
        E e = w.item;
        assert e != null;
        return CompletableFuture.completedFuture(e);
    }
  }

  @Override
  public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
    Objects.requireNonNull(then, "then");
    return Clause.receive(this, then);
  }

  @Override
  public void cancel() {
    closeOrCancel(new CancellationException("channel was cancelled"), true);
  }

  @Override
  public boolean isClosedForReceive() {
    return lane.isClosedAndEmpty() && returned == 0; // lv of returned: after the lane's words
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public int size() {
    if (overflow != BufferOverflow.DROP_OLDEST && returned == 0) {
      return lane.size();
    }
    // A DROP_OLDEST send takes, then puts, under the lock, and a give-back changes two counts:
    // count only between two such changes.
    lock.lock();
    try {
      return (int) Math.min((long) lane.size() + returned, Integer.MAX_VALUE);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Iterator<E> iterator() {
    return new ReceivingIterator();
  }

  @Override
  public Stream<E> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public int capacity() {
    return capacity;
  }

  // ---------------------------------------------------------------------------------------------
  // For other faces (dev.sluice.coroutines): the operations with outcomes instead of exceptions, and
  // with the caller's own waiter.

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
      return fast == Lane.OK ? Outcome.SENT : Outcome.FULL; // FULL with no flag set: nobody waits, it is just full
    }
    return sendSlow(element, null);
  }

  /**
   * Sends {@code element} if that can happen without waiting, as {@link #trySendOutcome}, but leaves
   * a waiting receive that takes it unresumed: the waiter goes to {@code resumeLater}, and the caller
   * resumes it with {@link #resumeAll} once it has released locks of its own. For a kind that sends
   * while it holds its own lock (a watch signalling its readers), so that no resumption, which may
   * run user code, runs under that lock.
   *
   * <p>A receive whose claim resumes it (a kotlinx select) is resumed by the claim itself: the caller
   * holds it back by sending inside {@link Engines#inClaimFrame}, around its own lock. A caller not
   * in a frame when such a receive waits gets {@link Outcome#NEEDS_FRAME}, and nothing was done: it sends
   * again inside a frame, after its unlock. (Opening a frame here would run that receive's
   * coroutine when the frame closes, still under the caller's lock.)
   *
   * <p>An element dropped by an overflow policy goes to the undelivered-element handler at once, in
   * this call: a caller holding a lock should use a channel without one.
   *
   * @param element the element
   * @param resumeLater where a claimed receive is added
   * @return {@link Outcome#SENT}, {@link Outcome#FULL}, {@link Outcome#CLOSED} or {@link Outcome#NEEDS_FRAME}
   */
  public int trySendDeferred(E element, List<Waiter<?>> resumeLater) {
    Objects.requireNonNull(element, "element");
    int fast = lane.offer(element, false);
    if (fast != Lane.BLOCKED_SEND) {
      return fast == Lane.OK ? Outcome.SENT : Outcome.FULL; // FULL with no flag set: nobody waits, it is just full
    }
    int outcome;
    Waiter<E> resume;
    E drop;
    if (!lockForClaims()) {
      return Outcome.NEEDS_FRAME;
    }
    try {
      outcome = sendLocked(element);
      resume = takeResume();
      drop = takeDropped();
      settle();
    } finally {
      lock.unlock();
    }
    if (resume != null) {
      resumeLater.add(resume);
    }
    if (drop != null) {
      undelivered(drop);
    }
    return outcome;
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
   * queues {@code w} to wait for room. The lane's fast path should have been tried first: this takes
   * the lock.
   *
   * <p>After {@link Outcome#QUEUED} the waiter belongs to the channel until it is claimed ({@link
   * Waiter#resume()} is then called once, with no lock held) or withdrawn by its owner. After {@link
   * Outcome#SENT} or {@link Outcome#CLOSED} the waiter was not queued and will never be resumed.
   *
   * @param w a new waiter of a send, not queued anywhere
   * @return {@link Outcome#SENT}, {@link Outcome#CLOSED} or {@link Outcome#QUEUED}
   */
  public int sendOrEnqueue(Waiter<E> w) {
    E element = w.item;
    Objects.requireNonNull(element, "a send waiter needs its element");
    return sendSlow(element, w);
  }

  /**
   * The locked part of every send: sends {@code element} at once if it can, else queues {@code w},
   * or (with no waiter) reports {@link Outcome#FULL}.
   */
  private int sendSlow(E element, @Nullable Waiter<E> w) {
    int outcome;
    Waiter<E> resume;
    E drop;
    if (!lockForClaims()) {
      return ClaimFrame.call(() -> sendSlow(element, w));
    }
    try {
      outcome = sendLocked(element);
      if (outcome == Outcome.FULL && w != null) {
        beginWait(true);
        outcome = sendLocked(element); // now a FULL lane stays full until this waiter is served
        if (outcome == Outcome.FULL) {
          senders.addLast(w);
          outcome = Outcome.QUEUED;
        }
      }
      resume = takeResume();
      drop = takeDropped();
      settle();
    } finally {
      lock.unlock();
    }
    afterUnlock(resume, drop);
    return outcome;
  }

  /**
   * Receives into {@code w} at once if an element is there, or queues {@code w} to wait for one. The
   * lane's fast path should have been tried first: this takes the lock.
   *
   * <p>After {@link Outcome#RECEIVED} the element is in {@code w} ({@link Waiter#item()}), which was not
   * queued. After {@link Outcome#QUEUED} the waiter belongs to the channel until it is claimed or withdrawn,
   * as in {@link #sendOrEnqueue}.
   *
   * @param w a new waiter of a receive, not queued anywhere
   * @return {@link Outcome#RECEIVED}, {@link Outcome#CLOSED} (closed and drained) or {@link Outcome#QUEUED}
   */
  public int receiveOrEnqueue(Waiter<E> w) {
    E e;
    int outcome;
    Waiter<E> resume;
    if (!lockForClaims()) {
      return ClaimFrame.call(() -> receiveOrEnqueue(w));
    }
    try {
      e = receiveLocked();
      if (e == null && !closed) {
        beginWait(false);
        e = receiveLocked(); // now an empty lane stays empty until this waiter is served
      }
      if (e != null) {
        w.item = e;
        outcome = Outcome.RECEIVED;
      } else if (closed) {
        outcome = Outcome.CLOSED;
      } else {
        receivers.addLast(w);
        outcome = Outcome.QUEUED;
      }
      resume = takeResume();
      settle();
    } finally {
      lock.unlock();
    }
    if (resume != null) {
      resume.resume();
    }
    return outcome;
  }

  /**
   * Sends {@code element} through the lock-free fast path alone: never takes the lock.
   *
   * @param element the element
   * @return {@code true} if it was sent; {@code false} if the caller must take the slow path ({@link
   *     #sendOrEnqueue} or {@link #trySendOutcome}): full, closed, or someone waits
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
   * Whether a send whose fast path ({@link #offerFast}) failed may still complete at once through the
   * lock: a receive waits, the buffer has room, the policy drops, or the channel is closed. Read
   * without the lock, so only a hint, for a caller whose waiter costs more than a lock ({@link
   * #sendAsync} makes a waiter and its future; a blocking send, its {@code ParkingWaiter}), which may
   * try the locked send without a waiter first when this says so. A wrong answer costs a lock or a
   * waiter, never an outcome.
   *
   * @return {@code true} if {@link #trySendOutcome} is worth a try
   */
  public boolean sendMayNotWait() {
    return closed
        || receivers.mayBeNonEmpty()
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
    return closed || returned != 0 || senders.mayBeNonEmpty() || lane.size() != 0;
  }

  /**
   * Takes the oldest element if there is one now, without waiting and without throwing.
   *
   * @return the element, or {@code null} when there is none now: empty, or closed and drained (tell
   *     them apart with {@link #isClosedForReceive()}, which is closed from then on)
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

  /**
   * The locked part of a receive that may not wait: takes the oldest element (a given-back one, the
   * lane's head, or a waiting send's), or returns {@code null} (empty, or closed and drained).
   */
  private @Nullable E receiveNow() {
    E e;
    Waiter<E> resume;
    if (!lockForClaims()) {
      return ClaimFrame.call(this::receiveNow);
    }
    try {
      e = receiveLocked();
      resume = takeResume();
      settle();
    } finally {
      lock.unlock();
    }
    if (resume != null) {
      resume.resume();
    }
    return e;
  }

  /**
   * Removes a waiter that will never be claimed (its select finished elsewhere, its coroutine was
   * cancelled) from the queue that holds it, if any still does; claims of it would fail anyway, this
   * lets it go at once.
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
   * <p>It goes to {@code onUndeliveredElement} instead when the channel was cancelled, or closed and
   * drained: receivers may have seen the channel closed for receive already, and none would ever
   * take it. A closed channel that still holds elements takes it back; its receivers drain it first.
   *
   * @param e the element
   */
  public void giveBack(E e) {
    Objects.requireNonNull(e, "element");
    Waiter<E> resume = null;
    E drop = null;
    if (!lockForClaims()) {
      ClaimFrame.call(
          () -> {
            giveBack(e);
            return null;
          });
      return;
    }
    try {
      // Shut fast receives first: one that saw the lane empty and closed has then answered before
      // the count below, which is 0 for it too, so the element goes to the handler, as it must once
      // a receiver was told the channel is drained. settle() opens the lane again.
      lane.markHead(Lane.SENDERS, true);
      int buffered = lane.size() + returned;
      if (cancelled
          || (closed && buffered == 0)
          || (overflow == BufferOverflow.DROP_OLDEST && buffered >= capacity)) {
        drop = e;
      } else {
        for (Waiter<E> r; resume == null && (r = receivers.pollFirst()) != null; ) {
          r.item = e;
          if (r.tryClaim()) { // LP: handed on to a waiting receive
            resume = r;
          }
        }
        if (resume == null) {
          ArrayDeque<E> given = front;
          if (given == null) {
            given = front = new ArrayDeque<>();
          }
          given.addFirst(e); // LP: back at the head
          returned++;
        }
      }
      settle();
    } finally {
      lock.unlock();
    }
    afterUnlock(resume, drop);
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

  @SuppressWarnings("unchecked") // only Consumer<? super Throwable>s are stored
  private static void runCloseHandler(Object handler, @Nullable Throwable cause) {
    try {
      ((Consumer<? super @Nullable Throwable>) handler).accept(cause);
    } catch (Throwable failure) {
      reportUncaught(failure);
    }
  }

  /**
   * Cancels the channel with {@code cause} as its close cause: {@link #cancel()} with a cause of the
   * caller's choosing.
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
   * Whether a receive would wait now: nothing buffered, no sender waiting, and not closed and
   * drained.
   *
   * @return {@code true} if a receive would wait
   */
  public boolean isEmptyForReceive() {
    lock.lock();
    try {
      return returned == 0 && lane.size() == 0 && senders.isEmpty() && !closed;
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Close and cancel.

  /**
   * Sends {@code element} if the channel can take it now, and closes the channel in the same step: no
   * other send comes between, and receivers get the element, then find the channel closed. A
   * oneshot's send.
   *
   * @param element the element
   * @return {@link Outcome#SENT} (sent, and this call closed the channel), {@link Outcome#FULL} or {@link Outcome#CLOSED}
   *     (closed before); after the last two nothing changed
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

  private boolean closeOrCancel(@Nullable Throwable cause, boolean cancel) {
    return finish(null, cause, cancel) == Outcome.SENT;
  }

  /**
   * Closes or cancels the channel, after sending {@code last} in the same step if it is given (and
   * doing nothing at all if {@code last} cannot be sent now).
   *
   * @return {@link Outcome#SENT} if this call closed the channel (having sent {@code last}, if given);
   *     {@link Outcome#CLOSED} if it was closed before; {@link Outcome#FULL} if {@code last} found no room
   */
  private int finish(@Nullable E last, @Nullable Throwable cause, boolean cancel) {
    int outcome;
    Waiter<E> resume = null; // the receive handed last
    E drop = null;
    Waiter<E> failed = null; // claimed waiters to resume, chained through their next links
    List<E> discarded = null;
    Object handler = null;
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
          failed = claimAllClosed(senders, null);
          failed = claimAllClosed(receivers, failed);
          handler = closeHandler;
          if (handler != null) {
            closeHandler = HANDLER_RAN;
          }
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
        failed.resume(); // the engine's waiters never throw; a plugged-in one must not strand others
      } catch (Throwable failure) {
        reportUncaught(failure);
      }
      failed = next;
    }
    if (handler != null) {
      runCloseHandler(handler, cause);
    }
    if (discarded != null) {
      for (E e : discarded) {
        undelivered(e);
      }
    }
    return outcome;
  }

  /** Claims every waiter of {@code queue} as failed by close; chains them in front of {@code acc}. */
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

  // ---------------------------------------------------------------------------------------------

  /** Describes the channel's state, for debugging. */
  @Override
  public String toString() {
    int buffered;
    int waitingSenders;
    int waitingReceivers;
    Throwable cause;
    lock.lock();
    try {
      buffered = lane.size();
      waitingSenders = senders.size();
      waitingReceivers = receivers.size();
      cause = closeCause;
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
        + (closed ? ", closed" + (cause == null ? "" : " (" + cause + ")") : "")
        + "]";
  }

  /** For tests: how many slots the lane holds now. */
  long bufferSlots() {
    return lane.slots();
  }

  /** For tests: how many waiters are queued, withdrawn or not. */
  int queuedWaiters() {
    lock.lock();
    try {
      return senders.size() + receivers.size();
    } finally {
      lock.unlock();
    }
  }

  /** Receives until the channel is closed and drained; see {@link Channel#iterator()}. */
  private final class ReceivingIterator implements Iterator<E> {
    private @Nullable E next;

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      try {
        next = receive();
        return true;
      } catch (ChannelClosedException closedEx) {
        if (closedEx.getCause() == null) {
          return false;
        }
        throw closedEx;
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        CancellationException ce = new CancellationException("interrupted while receiving");
        ce.initCause(interrupted);
        throw ce;
      }
    }

    @Override
    public E next() {
      if (!hasNext()) {
        throw new NoSuchElementException("channel is closed and drained");
      }
      E e = next;
      next = null;
      assert e != null;
      return e;
    }
  }
}
