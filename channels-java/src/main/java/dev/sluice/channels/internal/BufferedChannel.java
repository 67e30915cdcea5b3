/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Permit;
import dev.sluice.channels.SelectClause;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * The one channel engine, for every capacity (rendezvous, bounded, unbounded), with its Java face:
 * a blocking or timed operation never overtakes a queued waiter (it spins only on the lane's fast
 * path, which the flags shut while a waiter is queued) and never loses an element (a wait that ends
 * by interrupt or timeout withdraws its waiter, or, claimed first, reports what the claim did).
 *
 * <p>This class is the Java face: blocking sends and receives that spin, then park; their timed and
 * try forms; futures; the iterator and the stream. Under it, {@link ChannelEngine} holds the entry
 * points every face uses, and {@link ChannelCore} the state and the steps taken under the lock,
 * with the implementation notes. Each operation here tries the lane's fast path, then the locked
 * entry of its direction without a waiter when a hint says it may complete at once, then with its
 * waiter.
 *
 * @param <E> the element type
 */
public final class BufferedChannel<E> extends ChannelEngine<E> implements Channel<E> {
  /**
   * How many times a blocking send or receive on a small buffer retries the fast path, spinning,
   * when it found the lane full or empty, before it takes the lock and queues a waiter: the system
   * property {@code sluice.pollSpins}, 256 by default (none on virtual threads or a single CPU, as
   * {@link Spinning} explains), and only below {@link #POLL_BELOW} places.
   *
   * <p>On a buffer of one to a few places, a full or empty lane flips within a hand-off, and a
   * retry catches it without a waiter. On a larger buffer the retries cost more than they save: a
   * producer that finds 16 places full and retries takes each place the moment the consumer frees
   * it, and the two threads then trade the same cache lines for every element. Queueing at once,
   * the thread spins on its own waiter ({@link Parker#SPIN_NANOS}) while the other side moves a run
   * of elements. A retrying operation never overtakes a registered waiter: while one is queued the
   * lane's flags send every fast operation to the lock. ADR 0010 gives the measurements.
   */
  private static final int POLLS = Integer.getInteger("sluice.pollSpins", 256);

  /**
   * The smallest capacity whose blocking operations do not retry the fast path ({@link #POLLS}):
   * the system property {@code sluice.pollBelowCapacity}, 8 by default. Measured with platform
   * threads at 1, 2, 4, 8, 16 and 1024 places: retries won at 4 and below and lost from 8 on.
   */
  private static final int POLL_BELOW = Integer.getInteger("sluice.pollBelowCapacity", 8);

  /** What {@link #retryOffer} returns when the deadline passed while it retried. */
  private static final int RETRY_TIMED_OUT = -1;

  /**
   * How many fast-path retries this channel's blocking operations make ({@link #POLLS}): none on a
   * rendezvous channel, whose lane never answers full or empty without the lock, nor from {@link
   * #POLL_BELOW} places on.
   */
  private final int polls;

  /**
   * Creates an open, empty channel.
   *
   * @param capacity 0 (rendezvous), 1 or more, or {@link Integer#MAX_VALUE} (unbounded)
   * @param overflow what a send does when the buffer is full; a dropping policy needs capacity 1+
   * @param onUndelivered the handler of dropped and discarded elements, or {@code null}
   */
  public BufferedChannel(
      int capacity, BufferOverflow overflow, @Nullable Consumer<? super E> onUndelivered) {
    super(capacity, overflow, onUndelivered);
    this.polls = capacity > 0 && capacity < POLL_BELOW ? POLLS : 0;
  }

  /** The handles that own this channel's ends ({@code SenderHandle}, {@code ReceiverHandle}). */
  private final HandleCounts handles = new HandleCounts();

  /**
   * The clause object of this channel's {@code onReserve} in a kotlinx select, which tells a
   * select's clauses apart by these objects: one unique to this channel and used by no other clause
   * (its handle count).
   *
   * @return the object
   */
  public Object reserveClauseKey() {
    return handles;
  }

  /**
   * The count of the handles that own this channel's ends.
   *
   * @return the counts
   */
  public HandleCounts handles() {
    return handles;
  }

  // ---------------------------------------------------------------------------------------------
  // Sender.

  @Override
  public void send(E element) throws InterruptedException {
    sendBlocking(element, false, 0L);
  }

  @Override
  public int sendAll(Iterable<? extends E> elements) throws InterruptedException {
    return ChannelBatches.sendAll(this, elements);
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
    // Full: on a small buffer, retry the fast path for a while before queueing (see POLLS).
    if (fast == Lane.FULL && polls != 0) {
      fast = retryOffer(element, timed, deadline);
      if (fast == Lane.OK) {
        return true;
      }
      if (fast == RETRY_TIMED_OUT) {
        return false;
      }
    }
    // A receive waits, or there is room: send under the lock without making a waiter (on a
    // rendezvous channel, about every other send).
    if (sendMayNotWait()) {
      int outcome = sendSlow(element, null, null);
      if (outcome == Outcome.SENT) {
        return true;
      }
      if (outcome == Outcome.CLOSED) {
        throw closedForSend();
      }
    }
    return sendQueued(element, timed, deadline);
  }

  /**
   * The waiting part of a blocking send (or reserve: {@code element} may be a {@link
   * ReserveRequest}): sends at once under the lock if it can, else queues a parked thread's waiter
   * until it is claimed, the deadline passes (if {@code timed}) or the thread is interrupted.
   *
   * @return {@code true} if sent, {@code false} if the deadline passed first (nothing sent)
   * @throws InterruptedException if interrupted while waiting (nothing sent)
   * @throws dev.sluice.channels.ChannelClosedException if the channel is or becomes closed
   */
  final boolean sendQueued(E element, boolean timed, long deadline) throws InterruptedException {
    ParkingWaiter<E> w = new ParkingWaiter<>(this, element);
    switch (sendSlow(element, w, null)) {
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
      int outcome = sendSlow(element, null, null);
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
  public Permit<E> reserve() throws InterruptedException {
    return ChannelPermits.reserve(this);
  }

  @Override
  public @Nullable Permit<E> reserve(Duration timeout) throws InterruptedException {
    return ChannelPermits.reserve(this, timeout);
  }

  @Override
  public @Nullable Permit<E> tryReserve() {
    return ChannelPermits.tryReserve(this);
  }

  @Override
  public CompletableFuture<Permit<E>> reserveAsync() {
    return ChannelPermits.reserveAsync(this);
  }

  @Override
  public <R> SelectClause<R> onReserve(Function<? super Permit<E>, ? extends R> then) {
    return ChannelPermits.onReserve(this, then);
  }

  @Override
  public List<Permit<E>> reserveMany(int n) throws InterruptedException {
    return ChannelPermits.reserveMany(this, n);
  }

  @Override
  public @Nullable List<Permit<E>> tryReserveMany(int n) {
    return ChannelPermits.tryReserveMany(this, n);
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

  /**
   * A timed receive against a {@link Deadline} the caller made already: for a kind that waits in
   * several passes against one deadline (a subscriber's or a reader's signal), so that no pass
   * turns what is left back into a {@link Duration}.
   *
   * @param deadline from {@link Deadline#after}
   * @return the element, or {@code null} if none came by the deadline
   * @throws InterruptedException if the thread was interrupted before or while waiting
   */
  final @Nullable E receiveUntil(long deadline) throws InterruptedException {
    if (Deadline.nanosLeft(deadline) == 0) { // over already: the try form
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      return tryReceive();
    }
    return receiveBlocking(true, deadline);
  }

  /**
   * Retries the lane's offer while it is full, at most {@link #polls} times (none on a virtual
   * thread), checking the interrupt and the deadline every 64 retries. Kept out of {@link
   * #sendBlocking} so that a channel that does not retry pays nothing for it.
   *
   * @return the last offer's outcome, or {@link #RETRY_TIMED_OUT}
   */
  private int retryOffer(E element, boolean timed, long deadline) throws InterruptedException {
    int fast = Lane.FULL;
    for (int i = Spinning.forCurrentThread(polls); i > 0 && fast == Lane.FULL; i--) {
      Thread.onSpinWait();
      fast = lane.offer(element, false);
      if ((i & 63) == 0 && fast == Lane.FULL) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (timed && deadline - System.nanoTime() <= 0) {
          return RETRY_TIMED_OUT;
        }
      }
    }
    return fast;
  }

  /**
   * Retries the lane's poll while it is empty, as {@link #retryOffer} retries the offer.
   *
   * @return the last poll's outcome, or {@code null} if the deadline passed
   */
  private @Nullable Object retryPoll(boolean timed, long deadline) throws InterruptedException {
    Object fast = Lane.EMPTY;
    for (int i = Spinning.forCurrentThread(polls); i > 0 && fast == Lane.EMPTY; i--) {
      Thread.onSpinWait();
      fast = lane.poll(false);
      if ((i & 63) == 0 && fast == Lane.EMPTY) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (timed && deadline - System.nanoTime() <= 0) {
          return null;
        }
      }
    }
    return fast;
  }

  private @Nullable E receiveBlocking(boolean timed, long deadline) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    Object fast = lane.poll(false);
    // Empty: on a small buffer, retry the fast path for a while before queueing (see POLLS).
    if (fast == Lane.EMPTY && polls != 0) {
      fast = retryPoll(timed, deadline);
      if (fast == null) {
        return null; // timed out
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
  public int receiveMany(Collection<? super E> into, int max) throws InterruptedException {
    return ChannelBatches.receiveMany(this, into, max);
  }

  @Override
  public int receiveMany(Collection<? super E> into, int max, Duration timeout)
      throws InterruptedException {
    return ChannelBatches.receiveMany(this, into, max, timeout);
  }

  @Override
  public int tryReceiveMany(Collection<? super E> into, int max) {
    return ChannelBatches.tryReceiveMany(this, into, max);
  }

  @Override
  public CompletableFuture<List<E>> receiveManyAsync(int max) {
    return ChannelBatches.receiveManyAsync(this, max);
  }

  @Override
  public <R> SelectClause<R> onReceive(Function<? super E, ? extends R> then) {
    Objects.requireNonNull(then, "then");
    return Clause.receive(this, then);
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
        Spliterators.spliteratorUnknownSize(iterator(), Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  @Override
  public int capacity() {
    return capacity;
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
