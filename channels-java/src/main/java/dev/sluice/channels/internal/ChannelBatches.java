/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.InterruptedSendException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Batches of a channel: taking a run of elements in one step, giving back a run that its taker
 * could not keep, and sending many ({@code sendAll}: runs claimed in one step while there is room,
 * one send at a time otherwise). Keeps one invariant: a run is the channel's oldest elements at one
 * instant, taken whole, so no other receive gets an element between two of the run's, and a run
 * given back goes to the head again in its order, ahead of everything else.
 *
 * <p>The fast path claims the run with one {@code cas} of the lane's head ({@link Lane#pollMany});
 * on a bounded lane that takes everything there is, up to the batch's size, as the lane never holds
 * more than its capacity. When a flag shuts it (a send waits, elements were given back, the channel
 * is a rendezvous or drops its oldest), the run is taken under the lock, one locked receive after
 * another; the lock holder first sets {@code SENDERS} on the head, so that no fast receive takes an
 * element between two of them, and {@link ChannelCore#settle} clears it again.
 */
final class ChannelBatches {
  private ChannelBatches() {}

  /** The most one step takes from an unbounded channel. */
  static final int UNBOUNDED_STEP = 1024;

  /**
   * How many {@code onSpinWait}s a batch that watches the buffer makes between two looks (about a
   * microsecond on the bench machine): the system property {@code sluice.batchLook}, 64 by default.
   * ADR 0011 gives the measurements: a look every 16 spins took a third of the throughput at 1,024
   * places, as each look pulls the line the sends are writing.
   */
  static final int LOOK = Integer.getInteger("sluice.batchLook", 64);

  /**
   * The longest a batch that saw its first element lets the sends go on before it takes: the system
   * property {@code sluice.batchFillNanos}, 3 us by default, and no more than {@link
   * #FILL_NANOS_PER_PLACE} per place of the buffer (a small buffer fills at once, and then its
   * sends wait).
   */
  static final long FILL_NANOS = Long.getLong("sluice.batchFillNanos", 3_000L);

  /** See {@link #FILL_NANOS}: the system property {@code sluice.batchFillPerPlace}, 8 ns. */
  static final long FILL_NANOS_PER_PLACE = Long.getLong("sluice.batchFillPerPlace", 8L);

  // ---------------------------------------------------------------------------------------------
  // The Java face (BufferedChannel's receiveMany, tryReceiveMany, receiveManyAsync and sendAll).

  static <E> int receiveMany(BufferedChannel<E> c, Collection<? super E> into, int max)
      throws InterruptedException {
    return receiveMany(c, into, max, false, 0L);
  }

  static <E> int receiveMany(
      BufferedChannel<E> c, Collection<? super E> into, int max, Duration timeout)
      throws InterruptedException {
    long nanos = Deadline.timeoutNanos(Objects.requireNonNull(timeout, "timeout"));
    return receiveMany(c, into, max, true, Deadline.after(nanos));
  }

  /**
   * A blocking batch: what is there; else, after a watch of the buffer, what came meanwhile; else
   * the first element a wait is handed (by the deadline, if {@code timed}) and what is there then.
   */
  private static <E> int receiveMany(
      BufferedChannel<E> c, Collection<? super E> into, int max, boolean timed, long deadline)
      throws InterruptedException {
    check(into, max);
    if (Thread.interrupted()) {
      throw new InterruptedException(); // as receive(): before anything is taken
    }
    int k = takeInto(c, into, max);
    if (k == 0
        && (!timed || Deadline.nanosLeft(deadline) > 0)
        && spinForElements(c, target(c, max), timed, deadline)) {
      k = takeInto(c, into, max);
    }
    if (k != 0) {
      return closedIfNone(c, k);
    }
    E first = timed ? c.receiveUntil(deadline) : c.receive(); // throws if closed and drained
    return first == null ? 0 : 1 + addFirstAndRest(c, into, first, max);
  }

  /**
   * Before a batch queues a waiter for its first element, a platform thread on a buffered channel
   * watches the buffer for a while ({@link Parker#SPIN_NANOS}, and no later than the deadline),
   * looking once every {@link #LOOK} spins; once an element is there, it lets the sends go on for a
   * moment ({@link #FILL_NANOS}). A waiter would be handed one element by the next send, through
   * the lock on both sides; and a batch that takes each element as it comes works on the very cache
   * lines the sends are writing, which slows them more than anything the batch saves.
   *
   * @return {@code true} if something is there to take, or the channel closed
   * @throws InterruptedException if the thread is interrupted on entry
   */
  private static boolean spinForElements(
      ChannelEngine<?> c, int target, boolean timed, long deadline) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (c.capacity == 0 || Parker.SPIN_NANOS == 0 || Spinning.currentIsVirtual()) {
      return false;
    }
    long now = System.nanoTime();
    long end = now + Parker.SPIN_NANOS;
    if (timed && Deadline.nanosLeft(deadline) < Parker.SPIN_NANOS) {
      end = deadline;
    }
    if (!spinUntil(end, LOOK, c)) {
      return false;
    }
    // The first element is there. Let the sends go on for a moment before the batch takes,
    // without reading anything they write, unless target elements are there already, a send
    // waits (the buffer is full) or the channel closed.
    if (!c.lane.published(target - 1) && !c.closed && !c.senders.mayBeNonEmpty()) {
      spinUntil(
          System.nanoTime() + Math.min(FILL_NANOS, c.capacity * FILL_NANOS_PER_PLACE), 16, null);
    }
    return true;
  }

  /**
   * Spins until the clock passes {@code end}, reading it once every {@code spinsPerLook} spins,
   * and, if {@code watched} is given, until {@link #mayTake} says so for it. The spin also ends
   * when the clock stands still for 8 readings in a row (see {@link Parker}: a model checker's
   * clock does).
   *
   * @return {@code true} if {@code watched} has something to take
   */
  private static boolean spinUntil(long end, int spinsPerLook, @Nullable ChannelEngine<?> watched) {
    long now = System.nanoTime();
    for (int still = 0; still < 8; ) {
      for (int i = 0; i < spinsPerLook; i++) {
        Thread.onSpinWait();
      }
      if (watched != null && mayTake(watched)) {
        return true;
      }
      long then = now;
      now = System.nanoTime();
      still = now == then ? still + 1 : 0;
      if (end - now <= 0) {
        break;
      }
    }
    return watched != null && mayTake(watched);
  }

  /**
   * Whether a batch may find something to take now: {@link ChannelEngine#receiveMayNotWait}, but
   * without reading the lane's tail on a buffered channel (the watch of {@link #spinForElements}
   * must not slow the sends it waits for). An element claimed and still being published reads as
   * none, so this answers only when to look, never that the channel is empty.
   */
  private static boolean mayTake(ChannelEngine<?> c) {
    if (c.slot != null) {
      return c.receiveMayNotWait();
    }
    return c.lane.headPublished() || c.closed || c.returned != 0 || c.senders.mayBeNonEmpty();
  }

  static <E> int tryReceiveMany(BufferedChannel<E> c, Collection<? super E> into, int max) {
    check(into, max);
    int k = takeInto(c, into, max);
    return k == 0 && c.isClosedForReceive()
        ? closedIfNone(c, Lane.MANY_CLOSED)
        : closedIfNone(c, k);
  }

  static <E> CompletableFuture<List<E>> receiveManyAsync(BufferedChannel<E> c, int max) {
    check(max);
    List<E> now = new ArrayList<>();
    int k = takeInto(c, now, max);
    if (k > 0) {
      return CompletableFuture.completedFuture(now);
    }
    if (k == Lane.MANY_CLOSED) {
      return CompletableFuture.failedFuture(c.closedForReceive());
    }
    CompletableFuture<List<E>> batch = new CompletableFuture<>();
    CompletableFuture<E> first = c.receiveAsync();
    first.whenComplete(
        (e, failure) -> {
          if (failure != null) {
            batch.completeExceptionally(failure);
            return;
          }
          List<E> run = new ArrayList<>();
          run.add(e);
          if (max > 1) {
            takeInto(c, run, max - 1);
          }
          if (!batch.complete(run)) {
            // Withdrawn meanwhile: what was taken for it goes back, in order.
            giveBack(c, run.toArray(), 0, run.size());
          }
        });
    // Withdrawing the batch withdraws its receive; one that took an element already goes on above,
    // and gives it back when it finds the batch done.
    batch.whenComplete((list, failure) -> first.cancel(false));
    return batch;
  }

  /** The longest run {@code sendAll} puts in with one claim. */
  static final int SEND_RUN = 64;

  /**
   * Sends every element, in order: runs of up to {@link #SEND_RUN} with one claim of the lane's
   * tail each while the lane has room and no flag is set, and one ordinary send (which waits, or
   * tells closed) for an element that finds no room.
   */
  static <E> int sendAll(BufferedChannel<E> c, Iterable<? extends E> elements)
      throws InterruptedException {
    Objects.requireNonNull(elements, "elements");
    Iterator<? extends E> it = elements.iterator();
    Object[] run = new Object[Math.min(SEND_RUN, Math.max(1, c.capacity))];
    int sent = 0;
    boolean nullFound = false;
    while (!nullFound && it.hasNext()) {
      int k = 0;
      while (k < run.length && it.hasNext()) {
        E e = it.next();
        if (e == null) {
          nullFound = true; // the elements before it are sent first
          break;
        }
        run[k++] = e;
      }
      for (int i = 0; i < k; ) {
        if (Thread.interrupted()) {
          throw interrupted(sent, new InterruptedException());
        }
        int want = Math.min(k - i, c.lane.roomHint());
        if (want < Math.min(k - i, Math.max(1, c.capacity / 2))) {
          want = Math.min(k - i, waitForRoom(c, Math.min(k - i, Math.max(1, c.capacity / 2))));
        }
        int m = want > 0 ? c.lane.offerMany(run, i, want) : 0;
        if (m <= 0) {
          // No room, or the lock's turn: this element the ordinary way.
          try {
            c.send(ChannelCore.cast(run[i]));
          } catch (InterruptedException e) {
            throw interrupted(sent, e);
          } catch (ChannelClosedException closed) {
            if (sent == 0) {
              throw closed;
            }
            return sent;
          }
          m = 1;
        }
        i += m;
        sent += m;
      }
      java.util.Arrays.fill(run, 0, k, null);
    }
    if (nullFound) {
      throw new NullPointerException(
          "element " + sent + " is null; the " + sent + " before it were sent");
    }
    return sent;
  }

  /**
   * Before a run that finds too little room falls back to a send that may queue a waiter, a
   * platform thread watches the room for a while ({@link Parker#SPIN_NANOS}): a queued sender sends
   * every receive through the lock, and a producer that runs ahead of its consumers would keep one
   * queued all the time.
   *
   * @return the room seen last
   */
  private static int waitForRoom(ChannelEngine<?> c, int wanted) {
    if (c.capacity == Integer.MAX_VALUE || Parker.SPIN_NANOS == 0 || Spinning.currentIsVirtual()) {
      return c.lane.roomHint();
    }
    long now = System.nanoTime();
    long end = now + Parker.SPIN_NANOS;
    int room;
    // The clock standing still for 8 readings also ends it (a model checker's clock does).
    for (int still = 0; (room = c.lane.roomHint()) < wanted && still < 8; ) {
      for (int s = 0; s < LOOK; s++) {
        Thread.onSpinWait();
      }
      long then = now;
      now = System.nanoTime();
      if (end - now <= 0) {
        break;
      }
      still = now == then ? still + 1 : 0;
    }
    return room;
  }

  private static InterruptedSendException interrupted(int sent, InterruptedException cause) {
    InterruptedSendException partial = new InterruptedSendException(sent);
    partial.initCause(cause);
    return partial;
  }

  /** How many elements a batch that watches the buffer waits for: half the buffer, up to max. */
  private static int target(ChannelCore<?> c, int max) {
    return Math.max(1, Math.min(max, c.capacity / 2));
  }

  private static void check(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("a batch takes at least 1 element, max was " + max);
    }
  }

  private static void check(Collection<?> into, int max) {
    Objects.requireNonNull(into, "into");
    check(max);
  }

  /** {@code k} from {@link #takeInto}, with a closed and drained channel turned into its error. */
  private static int closedIfNone(ChannelCore<?> c, int k) {
    if (k == Lane.MANY_CLOSED) {
      throw c.closedForReceive();
    }
    return k;
  }

  /** Adds {@code first}, taken by a wait, then takes up to {@code max - 1} more; returns those. */
  private static <E> int addFirstAndRest(
      ChannelEngine<E> c, Collection<? super E> into, E first, int max) {
    addAll(c, into, new Object[] {first}, 1);
    return max == 1 ? 0 : Math.max(0, takeInto(c, into, max - 1));
  }

  /**
   * Takes up to {@code max} elements now and adds them to {@code into}: in one step, except on an
   * unbounded channel, whose fast steps take at most {@link #UNBOUNDED_STEP} each.
   *
   * @return how many were added, or {@link Lane#MANY_CLOSED} if none was because the channel is
   *     closed and drained
   */
  private static <E> int takeInto(ChannelEngine<E> c, Collection<? super E> into, int max) {
    if (!mayTake(c) && !c.receiveMayNotWait()) {
      return 0; // LP: the lane's size read, empty and open (the caller checks closed after this)
    }
    boolean unbounded = c.capacity == Integer.MAX_VALUE;
    Object[] out = new Object[Math.min(max, unbounded ? UNBOUNDED_STEP : Math.max(1, c.capacity))];
    int total = 0;
    while (total < max) {
      int want = Math.min(out.length, max - total);
      int k = c.lane.pollMany(out, want);
      if (k == Lane.MANY_BLOCKED) {
        List<Object> run = new ArrayList<>();
        k = receiveLocked(c, run, max - total);
        if (k > 0) {
          addAll(c, into, run.toArray(), k);
        }
        return total == 0 ? k : total + Math.max(0, k); // the lock took all it could
      }
      if (k <= 0) {
        return total == 0 ? k : total;
      }
      addAll(c, into, out, k);
      total += k;
      if (k < want || !unbounded) {
        break; // a bounded lane's one step took all there was, up to max
      }
    }
    return total;
  }

  /**
   * Adds {@code run[0..k-1]} to {@code into}; if {@code into} refuses one, gives it and the rest
   * back to the channel and rethrows.
   */
  private static <E> void addAll(
      ChannelEngine<E> c, Collection<? super E> into, Object[] run, int k) {
    int j = 0;
    try {
      for (; j < k; j++) {
        into.add(ChannelCore.cast(run[j]));
        run[j] = null;
      }
    } catch (Throwable refused) {
      giveBack(c, run, j, k);
      throw refused;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The engine.

  /**
   * Takes up to {@code max} of the oldest elements under the lock, in one step, into {@code run}:
   * the buffer's, and then those of waiting sends, each of which is resumed after the unlock.
   *
   * @return how many were taken (0: none now), or {@link Lane#MANY_CLOSED} if the channel is closed
   *     and drained
   */
  private static <E> int receiveLocked(ChannelEngine<E> c, List<Object> run, int max) {
    if (!c.lockForClaims()) {
      return ClaimFrame.call(() -> receiveLocked(c, run, max));
    }
    Waiter<E> first = null;
    List<Waiter<E>> more = null;
    int k = 0;
    boolean drained;
    try {
      if (c.slot == null) {
        // No fast receive between two of the run's elements. (A rendezvous lane has none.)
        c.lane.markHead(Lane.SENDERS, true);
      }
      for (; k < max; k++) {
        E e = c.receiveLocked(); // LP of the run: its first locked receive
        if (e == null) {
          break;
        }
        run.add(e);
        Waiter<E> sender = c.takeResume();
        if (sender == null) {
          continue;
        }
        if (first == null) {
          first = sender;
        } else {
          if (more == null) {
            more = new ArrayList<>();
          }
          more.add(sender);
        }
      }
      drained = k == 0 && c.isClosedLocked();
      c.settle();
    } finally {
      c.lock.unlock();
    }
    resumeAll(first, more);
    return drained ? Lane.MANY_CLOSED : k;
  }

  /**
   * Gives {@code run[from..to-1]}, the end of a run this thread took and could not deliver, back to
   * the channel: to the receives waiting now, oldest element to oldest receive, and the rest to the
   * head of the buffer, in order, ahead of everything else. An element that no receive will ever
   * take (the channel was cancelled, or closed with nothing left) goes to the undelivered-element
   * handler, as a single give-back's does.
   */
  static <E> void giveBack(ChannelEngine<E> c, Object[] run, int from, int to) {
    if (from >= to) {
      return;
    }
    if (!c.lockForClaims()) {
      ClaimFrame.call(
          () -> {
            giveBack(c, run, from, to);
            return null;
          });
      return;
    }
    List<Waiter<E>> resumes = new ArrayList<>();
    List<E> drops = new ArrayList<>();
    try {
      int j = from;
      for (Waiter<E> r; j < to && (r = c.receivers.pollFirst()) != null; ) {
        E e = ChannelCore.cast(run[j]);
        r.item = e;
        if (r.tryClaim()) { // LP of run[j]: handed on to a waiting receive
          resumes.add(r);
          j++;
        }
      }
      // No receive waits any more: the rest goes back to the head, the last first.
      for (int m = to - 1; m >= j; m--) {
        c.giveBackLocked(ChannelCore.cast(run[m]));
        Waiter<E> r = c.takeResume();
        assert r == null : "a receive waits beside given-back elements";
        E dropped = c.takeDropped();
        if (dropped != null) {
          drops.add(dropped);
        }
      }
      c.settle();
    } finally {
      c.lock.unlock();
    }
    for (Waiter<E> r : resumes) {
      r.resume();
    }
    for (E e : drops) {
      c.undelivered(e);
    }
  }

  private static <E> void resumeAll(@Nullable Waiter<E> first, @Nullable List<Waiter<E>> more) {
    if (first != null) {
      first.resume();
    }
    if (more != null) {
      for (Waiter<E> w : more) {
        w.resume();
      }
    }
  }
}
