/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import org.jspecify.annotations.Nullable;

/**
 * One suspended channel operation, queued in a channel until a counterpart (or {@code close})
 * claims it: a send with its element, or a receive waiting for one.
 *
 * <p>Each face supplies its kind of waiter: a parked thread ({@link ParkingWaiter}), a future
 * ({@link FutureWaiter}), one clause of a select ({@link SelectWaiter}), or a Kotlin continuation.
 * The engine only calls {@link #tryClaim()} (under the channel lock, or holding the waiter alone
 * through a rendezvous channel's {@link HandOffSlot}) and, once the claim succeeded and every lock
 * is released, {@link #resume()}. A waiter whose claim cannot be split from its resumption says so
 * ({@link #resumesInClaim()}) and is claimed inside a {@link ClaimFrame}.
 *
 * <h2>The claim protocol</h2>
 *
 * The claimer writes {@link #item} (a receive's element) or {@link #closed} first, then claims with
 * a {@code cas}; the waiting side reads them after it saw the claim, so the {@code cas} publishes
 * them. A claim fails when the waiter was withdrawn (interrupt, timeout, cancellation) or, for a
 * select, when another clause won: then the claimer drops the waiter and moves on, and the fields
 * it wrote are never read. Only the holder of the lock of the channel whose queue holds the waiter,
 * or the one thread that took it out of the hand-off slot, writes its fields, so two claimers never
 * write the same waiter.
 *
 * @param <E> the channel's element type
 */
public abstract class Waiter<E> {
  /** The channel whose queue this waiter joins. */
  final BufferedChannel<E> channel;

  /**
   * Queue links, and the queue that holds this waiter (or null); guarded by {@code channel.lock}.
   */
  @Nullable Waiter<E> prev;

  @Nullable Waiter<E> next;
  @Nullable WaiterQueue<E> queue;

  /**
   * A send's element (set when the waiter is made), or the element handed to a receive (set by the
   * claimer before its claim).
   */
  @Nullable E item;

  /** Set by {@code close} before its claim: the operation failed because the channel closed. */
  boolean closed;

  /** {@link #slotSide()}: this waiter never waits in a hand-off slot. */
  public static final int NOT_IN_SLOT = 0;

  /** {@link #slotSide()}: a send's waiter that may wait in a hand-off slot. */
  public static final int SENDS = 1;

  /** {@link #slotSide()}: a receive's waiter that may wait in a hand-off slot. */
  public static final int RECEIVES = 2;

  /**
   * Creates a waiter for an operation on {@code channel}.
   *
   * @param channel the channel whose queue the waiter joins
   * @param item the element of a send, or {@code null} for a receive
   */
  protected Waiter(BufferedChannel<E> channel, @Nullable E item) {
    this.channel = channel;
    this.item = item;
  }

  /**
   * Claims this waiter's operation: after {@code true} it is the caller's to complete, and nobody
   * else's. Called with the channel lock held; must be a single atomic step, never user code.
   *
   * @return {@code true} if the claim succeeded, {@code false} if the operation was withdrawn or
   *     completed elsewhere
   */
  protected abstract boolean tryClaim();

  /**
   * Lets the waiting side go on after a successful claim: unpark, complete a future, resume a
   * continuation. Called once per successful claim, with no lock held; it may run user code.
   */
  protected abstract void resume();

  /**
   * Whether {@link #tryClaim()} also resumes the waiting side (a kotlinx.coroutines select does),
   * so that the engine must claim it inside a {@link ClaimFrame}. {@code false} unless overridden.
   *
   * @return {@code true} if the claim runs the waiting side's resumption
   */
  protected boolean resumesInClaim() {
    return false;
  }

  /**
   * Whether this waiter may wait in a rendezvous channel's {@link HandOffSlot}, without the lock,
   * and on which side. Only a waiter whose {@link #tryClaim()} is one {@code cas} of its own, that
   * does not resume in its claim, and whose every withdrawal unlinks it through the engine ({@link
   * ChannelEngine#removeWaiter}, which waits out a claim in progress) may answer other than {@link
   * #NOT_IN_SLOT}. The answer never changes over the waiter's life.
   *
   * @return {@link #SENDS}, {@link #RECEIVES} or {@link #NOT_IN_SLOT} (the default)
   */
  protected int slotSide() {
    return NOT_IN_SLOT;
  }

  /**
   * Whether the operation may spin for the channel lock before it parks its thread. {@code true}
   * unless overridden; a coroutine's waiter says {@code false}: a dispatcher thread that parks on
   * the lock lets the other threads run the coroutines that would hand it elements (see {@code
   * ChannelLock#lock(boolean)} for the figures).
   *
   * @return whether the operation's thread may spin for the lock
   */
  protected boolean spinsOnLock() {
    return true;
  }

  /**
   * Makes this waiter ready for another operation, for a face that reuses one waiter across many
   * suspensions of the same caller (the Kotlin face does): {@code item} becomes the new send's
   * element (or {@code null} for a receive), and the closed flag is cleared. Only by the waiter's
   * owner, while the waiter is in no queue and nobody can claim it: after its last operation was
   * claimed or withdrawn and unlinked, and before it is queued again, which publishes these writes
   * to the next claimer under the channel lock.
   *
   * @param item the element of the next send, or {@code null} for a receive
   */
  protected final void reuse(@Nullable E item) {
    assert queue == null : "a queued waiter cannot be reused";
    this.item = item;
    this.closed = false;
  }

  /**
   * The element handed to a receive by its claim.
   *
   * @return the element, or {@code null} if the claim reported a closed channel
   */
  public final @Nullable E item() {
    return item;
  }

  /**
   * Takes the element handed to a receive back out of this waiter, for a face that could not
   * deliver it (and gives it back to the channel): {@link #item()} is {@code null} from then on.
   * Only for a claimed waiter, by the thread that completes it.
   *
   * @return the element, or {@code null} if there was none
   */
  protected final @Nullable E takeItem() {
    E e = item;
    item = null;
    return e;
  }

  /**
   * Whether the claim reported that the channel closed, instead of a transfer.
   *
   * @return {@code true} if the operation failed on a closed channel
   */
  public final boolean isClosed() {
    return closed;
  }
}
