/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.KafkaException;
import org.jspecify.annotations.Nullable;

/**
 * The sends of a {@link KafkaSender} that wait for room: a FIFO of entries, drained by one appender
 * thread that takes room for the entry at its head, hands its record to the producer, and moves on.
 *
 * <p>Invariant: entries are appended in the order they were enqueued, each at most once, and only
 * an entry that its appender claimed ({@link Entry#WAITING} to {@link Entry#APPENDING}) is handed
 * to the producer; an entry withdrawn by its caller or failed by {@link #close} never is. While
 * {@link #pending()} is not zero, some entry was enqueued and not yet finished: a send that does
 * not queue behind it may overtake it, so the sender queues every send while it is not zero.
 */
final class AppendQueue<E> {
  /*
   * Implementation notes. Entries go into a ConcurrentLinkedQueue; `pending` counts the entries
   * enqueued and not finished (appended, skipped or failed), incremented by the caller before the
   * offer and decremented by whoever finishes the entry, after the append returned. So a thread that
   * enqueued an entry sees `pending` above zero until that entry's record reached the producer, and
   * its later sends queue behind it: that is the per-thread order of KafkaSender.
   *
   * One appender thread, started with the first entry, runs `drain`. For the head entry it first
   * takes room, blocking in the room channel in its own thread (the producer's I/O thread only gives
   * a token back, which wakes this thread if it waits), then claims the entry by a CAS of its state,
   * WAITING -> APPENDING. A caller withdraws with WAITING -> WITHDRAWN, and close fails an entry with
   * WAITING -> FAILED: exactly one of the three wins. Room taken for an entry withdrawn meanwhile is
   * kept for the next entry, or given back when none is queued.
   *
   * The appender parks when the queue is empty: it sets `idle` (volatile) and checks the queue
   * again before parking; an enqueuer offers (a volatile write) and then reads `idle`, and unparks
   * if it is set. One of the two sees the other's write, so no entry is left with the appender
   * parked. close() sets `closed`, wakes the appender and fails every entry still WAITING; an
   * enqueuer that sees `closed` after its offer does the same, so no entry waits after a close.
   */

  /** Hands one record to the producer, as {@code KafkaSender.append}; the caller holds room. */
  interface Target<E> {
    /**
     * Appends {@code element}, giving its room back if the append throws.
     *
     * @return the record's acknowledgement
     */
    CompletableFuture<Void> append(E element);

    /** Completes an async send's future with the outcome of its acknowledgement. */
    void settle(StagedFuture<Void> out, CompletableFuture<Void> ack);
  }

  /**
   * One queued send. As a future it completes with the record's acknowledgement once the record was
   * handed over, exceptionally if the append failed or the sender closed first, and is cancelled
   * when the caller withdrew it; its {@link #cancel} is the withdrawal.
   */
  static final class Entry<E> extends CompletableFuture<CompletableFuture<Void>> {
    /** Queued, not yet handed over: the caller may still withdraw it. */
    static final int WAITING = 0;

    /** Claimed by the appender, which is handing or has handed the record to the producer. */
    static final int APPENDING = 1;

    /** Withdrawn by its caller (cancel, timeout, interrupt): never handed over. */
    static final int WITHDRAWN = 2;

    /** Failed by a close before the appender claimed it: never handed over. */
    static final int FAILED = 3;

    private static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Entry.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final E element;
    /* The future of an async send, which the appender completes; null for a caller that waits. */
    final @Nullable StagedFuture<Void> out;
    private volatile int state = WAITING;

    Entry(E element, @Nullable StagedFuture<Void> out) {
      this.element = element;
      this.out = out;
    }

    /** The appender's claim. LP of a queued send's hand-over decision. */
    boolean claim() {
      return STATE.compareAndSet(this, WAITING, APPENDING);
    }

    /** The caller's withdrawal: {@code true} if the record will never be handed over. */
    boolean withdraw() {
      return STATE.compareAndSet(this, WAITING, WITHDRAWN);
    }

    boolean isWaiting() {
      return state == WAITING;
    }

    /** Withdraws this send if it still waits; only then is the future cancelled. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return withdraw() && super.cancel(mayInterruptIfRunning);
    }

    /** Fails the send because the sender closed, if it still waits. */
    void failClosed(ChannelClosedException closed) {
      if (STATE.compareAndSet(this, WAITING, FAILED)) {
        fail(closed);
      }
    }

    /** Delivers a failure of the send to whoever waits for it. */
    void fail(Throwable failure) {
      completeExceptionally(failure);
      StagedFuture<Void> o = out;
      if (o != null) {
        o.fail(failure);
      }
    }

    /**
     * The caller's wait: until the appender handed the record over, and returns its
     * acknowledgement; if {@code timed}, at most {@code nanos}. An interrupt or the timeout
     * withdraws the entry if it still waits (then it throws {@link InterruptedException} or returns
     * {@code null}: nothing was sent); once the appender claimed it, its hand-over is near and is
     * waited for, keeping an interrupt. A failed append throws what the caller's own append would
     * have.
     */
    @Nullable CompletableFuture<Void> awaitAppended(boolean timed, long nanos)
        throws InterruptedException {
      try {
        return timed ? get(nanos, TimeUnit.NANOSECONDS) : get();
      } catch (InterruptedException e) {
        if (withdraw()) {
          throw e; // LP: withdrawn, the appender skips it
        }
        Thread.currentThread().interrupt(); // kept: the record is being handed over
        return appendedOutcome();
      } catch (TimeoutException e) {
        if (withdraw()) {
          return null; // LP: withdrawn in time, never handed over
        }
        return appendedOutcome();
      } catch (ExecutionException e) {
        throw rethrown(e.getCause());
      }
    }

    /** Waits for the outcome once the appender claimed the entry or a close failed it. */
    private CompletableFuture<Void> appendedOutcome() {
      boolean interrupted = false;
      try {
        while (true) {
          try {
            return get();
          } catch (InterruptedException e) {
            interrupted = true;
          } catch (ExecutionException e) {
            throw rethrown(e.getCause());
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private static RuntimeException rethrown(Throwable cause) {
      return cause instanceof RuntimeException
          ? (RuntimeException) cause
          : new KafkaException(cause);
    }

    @Override
    public String toString() {
      return "Entry[" + new String[] {"WAITING", "APPENDING", "WITHDRAWN", "FAILED"}[state] + "]";
    }
  }

  private static final Boolean ROOM = Boolean.TRUE;

  private final Channel<Boolean> room;
  private final Target<E> target;
  private final String threadName;
  private final ConcurrentLinkedQueue<Entry<E>> entries = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private volatile @Nullable Thread appender;
  private volatile boolean idle;
  private volatile @Nullable ChannelClosedException closed;

  AppendQueue(Channel<Boolean> room, Target<E> target, String threadName) {
    this.room = room;
    this.target = target;
    this.threadName = threadName;
  }

  /** How many entries were enqueued and not yet finished; zero when nothing waits. */
  int pending() {
    return pending.get();
  }

  /**
   * Whether the calling thread is the appender (a dependent action run by it, which must not
   * queue).
   */
  boolean isAppenderThread() {
    return Thread.currentThread() == appender;
  }

  /** Queues a send behind every entry enqueued before it; returns its entry. */
  Entry<E> enqueue(E element, @Nullable StagedFuture<Void> out) {
    Entry<E> e = new Entry<>(element, out);
    pending.incrementAndGet(); // before the offer: this thread's later sends see it
    entries.offer(e);
    ChannelClosedException c = closed;
    if (c != null) {
      failAll(c); // the appender may have drained already: fail it here
      return e;
    }
    Thread t = appender;
    if (t == null) {
      t = start();
    }
    if (idle) {
      LockSupport.unpark(t);
    }
    return e;
  }

  private synchronized Thread start() {
    Thread t = appender;
    if (t == null) {
      t = new Thread(this::drain, threadName);
      t.setDaemon(true);
      appender = t;
      t.start();
    }
    return t;
  }

  /**
   * Fails every entry still waiting with {@code cause}; none is appended after this returns (an
   * entry the appender claimed meets the sender's own closed check in its append).
   */
  void close(ChannelClosedException cause) {
    closed = cause;
    Thread t = appender;
    if (t != null) {
      LockSupport.unpark(t);
    }
    failAll(cause);
  }

  private void failAll(ChannelClosedException cause) {
    for (Entry<E> e; (e = entries.poll()) != null; ) {
      e.failClosed(cause);
      pending.decrementAndGet();
    }
  }

  /** The appender thread's loop: until closed, take room for the head, claim it, append it. */
  private void drain() {
    boolean haveRoom = false; // a unit of room taken for an entry that was withdrawn meanwhile
    while (true) {
      Entry<E> e = entries.peek();
      if (e == null) {
        if (haveRoom) {
          giveBack(); // nothing to use it for
          haveRoom = false;
        }
        if (!awaitEntry()) {
          return;
        }
        continue;
      }
      if (e.isWaiting() && !haveRoom) {
        haveRoom = takeRoom(e);
      }
      if (haveRoom && e.claim()) {
        haveRoom = false; // the append gives this room back, on its acknowledgement or failure
        append(e);
      }
      // Appended, withdrawn, or failed: done with it. Only this thread and failAll poll, and
      // failAll only fails entries, so polling here removes `e` or nothing.
      if (entries.remove(e)) {
        pending.decrementAndGet();
      }
    }
  }

  /** Takes room for {@code e}; on a close, fails it. Returns whether room was taken. */
  private boolean takeRoom(Entry<E> e) {
    while (true) {
      try {
        room.send(ROOM);
        return true;
      } catch (ChannelClosedException c) {
        e.failClosed(c);
        return false;
      } catch (InterruptedException ie) {
        // Nobody interrupts this thread but a close, which closes room too: try again.
        if (closed != null) {
          e.failClosed(closed);
          return false;
        }
      }
    }
  }

  private void append(Entry<E> e) {
    CompletableFuture<Void> ack;
    try {
      ack = target.append(e.element);
    } catch (RuntimeException ex) {
      e.fail(ex);
      return;
    }
    e.complete(ack);
    StagedFuture<Void> o = e.out;
    if (o != null) {
      target.settle(o, ack);
    }
  }

  private void giveBack() {
    try {
      room.tryReceive(); // one token out: room for the next record
    } catch (ChannelClosedException closedAndEmpty) {
      // nothing to give back to: the sender is closed
    }
  }

  /** Parks until an entry is queued; {@code false} once closed. */
  private boolean awaitEntry() {
    while (closed == null) {
      idle = true;
      if (!entries.isEmpty() || closed != null) {
        idle = false;
        return closed == null;
      }
      LockSupport.park(this);
      idle = false;
      if (!entries.isEmpty()) {
        return closed == null;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "AppendQueue[pending=" + pending.get() + ", head=" + entries.peek() + "]";
  }
}
