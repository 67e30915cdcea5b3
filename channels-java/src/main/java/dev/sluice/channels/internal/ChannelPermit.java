/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import dev.sluice.channels.Permit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A permit the engine granted: one place its channel counts as reserved. Keeps one invariant: the
 * place is given up exactly once, by the one {@code cas} out of {@code OPEN} that wins, either into
 * a send ({@link ChannelEngine#sendPermitted}) or back to the channel ({@link
 * ChannelEngine#releasePermit}). A permit of an unbounded channel holds nothing (the channel counts
 * nothing) and its send is a plain one, which never waits there.
 *
 * @param <E> the element type
 */
public final class ChannelPermit<E> implements Permit<E> {
  private static final int OPEN = 0;
  private static final int SENT = 1;
  private static final int RELEASED = 2;

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(ChannelPermit.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ChannelEngine<E> channel;
  private volatile int state;

  /** A permit for a place {@code channel} reserved for it already. */
  ChannelPermit(ChannelEngine<E> channel) {
    this.channel = channel;
  }

  @Override
  public void send(E element) {
    Objects.requireNonNull(element, "element");
    if (!STATE.compareAndSet(this, OPEN, SENT)) { // cas: the permit's one use
      throw new IllegalStateException(
          state == SENT ? "this permit was used" : "this permit was released");
    }
    int outcome =
        channel.capacity == Integer.MAX_VALUE
            ? channel.trySendOutcome(element)
            : channel.sendPermitted(element);
    if (outcome == Outcome.CLOSED) {
      throw channel.closedForSend();
    }
    assert outcome == Outcome.SENT : "a permit's send found no room";
  }

  @Override
  public boolean release() {
    if (!STATE.compareAndSet(this, OPEN, RELEASED)) { // cas: the permit's one use
      return false;
    }
    if (channel.capacity != Integer.MAX_VALUE) {
      channel.releasePermit();
    }
    return true;
  }

  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    int s = state;
    return "Permit[" + (s == OPEN ? "unused" : s == SENT ? "sent" : "released") + "]";
  }
}
