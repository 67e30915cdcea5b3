package dev.sluice.channels.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A waiter that stands alone, not one clause of a select: its own state decides between claim and
 * withdrawal.
 *
 * <pre>
 *   WAITING --cas by a claimer (under the channel lock)--> CLAIMED    the operation happened
 *   WAITING --cas by the waiting side (no lock)----------> WITHDRAWN  it never will
 * </pre>
 *
 * Exactly one of the two {@code cas} succeeds, which is the whole exactly-once argument for a single
 * operation: a withdrawn waiter is never claimed, and a claimed one cannot be withdrawn.
 *
 * @param <E> the channel's element type
 */
public abstract class SoloWaiter<E> extends Waiter<E> {
  private static final int WAITING = 0;
  private static final int CLAIMED = 1;
  private static final int WITHDRAWN = 2;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(SoloWaiter.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile int state;

  /**
   * Creates a waiting waiter.
   *
   * @param channel the channel whose queue the waiter joins
   * @param item the element of a send, or {@code null} for a receive
   */
  protected SoloWaiter(BufferedChannel<E> channel, @Nullable E item) {
    super(channel, item);
  }

  @Override
  protected final boolean tryClaim() {
    // LP: of the operation, for a claim that transfers an element.
    return STATE.compareAndSet(this, WAITING, CLAIMED); // cas: publishes item/closed to the waiter
  }

  /**
   * Withdraws the operation and unlinks the waiter from its channel's queue.
   *
   * @return {@code true} if the operation will never happen; {@code false} if it was claimed first,
   *     and the claimer will {@link #resume()} it
   */
  public final boolean withdraw() {
    if (!STATE.compareAndSet(this, WAITING, WITHDRAWN)) { // cas: loses to a claim, or wins over all
      return false;
    }
    channel.unlink(this);
    return true;
  }

  /**
   * Whether the waiter still waits: neither claimed nor withdrawn.
   *
   * @return {@code true} while waiting
   */
  public final boolean isWaiting() {
    return state == WAITING; // lv
  }
}
