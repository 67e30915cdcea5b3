/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: the element with sequence number s is at ring[s % capacity] from the moment tail moves
// past s until the send of s + capacity overwrites it, and that send first sees tail at s +
// capacity;
// every send and the close raise the signal of every open subscriber before the lock is released.
package dev.sluice.channels.internal;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.internal.Signal.Wakeups;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * The state machine behind {@code dev.sluice.channels.Broadcast}: the ring of the last {@code
 * capacity} elements, the sequence number of the next send, the closed flag and the open
 * subscribers, under one lock. The public class delegates here; its javadoc is the contract of each
 * method. The subscribers' side is {@link SubscriberCore}.
 *
 * <p>Implementation notes. {@link #ring} and {@link #tail} are written under {@link #lock} only,
 * but read without it by a subscriber that holds its token ({@link SubscriberCore}'s lock-free
 * look): a slot is written with a release store before {@code tail} (volatile) moves past it, so a
 * reader that sees the slot's new element also sees the tail that says its old element is gone.
 * Each send raises the {@link Signal} of every subscriber under the lock; the waits it wakes are
 * resumed after the unlock, by {@link Signal#signalling}. ADR 0005 explains the token as a permit.
 *
 * @param <E> the type of the elements
 */
public final class BroadcastCore<E> extends SignalledKind<SubscriberCore<E>> {
  /** Release writes and acquire reads of the ring's slots, for the subscribers' lock-free reads. */
  static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

  /**
   * The element with sequence number {@code s} is at {@code ring[s % ring.length]}. Written under
   * the lock with release stores, before {@link #tail} moves past it.
   */
  final Object[] ring;

  /**
   * The sequence number of the next send: the ring holds the elements before it, at most its
   * length. Written under the lock; read without it by subscribers.
   */
  volatile long tail;

  /**
   * A broadcast that holds the last {@code capacity} elements.
   *
   * @param capacity at least 1
   * @throws IllegalArgumentException if {@code capacity} is less than 1
   */
  public BroadcastCore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.ring = new Object[capacity];
  }

  /**
   * Sends {@code element} to every current subscriber, overwriting the oldest if the ring is full.
   *
   * @param element the element
   * @return how many subscribers will receive it
   * @throws ChannelClosedException if the broadcast is closed
   * @throws NullPointerException if {@code element} is null
   */
  public int send(E element) {
    Objects.requireNonNull(element, "element");
    return signalling(
        woken -> {
          if (closed) {
            throw new ChannelClosedException("broadcast is closed", null);
          }
          long t = tail;
          // A release store: a lock-free reader that sees the slot's new element also sees the
          // tail that tells it the slot's old element is gone (SubscriberCore.tryReadHeld).
          SLOT.setRelease(ring, index(t), element);
          tail = t + 1; // LP of the send: a volatile store, after the slot's
          raiseAllLocked(woken);
          return members.size();
        });
  }

  /**
   * A new subscriber, which will receive every element sent from now on; on a closed broadcast, one
   * that finds it closed.
   *
   * @return the new subscriber's state machine
   */
  public SubscriberCore<E> subscribe() {
    return signalling(
        woken -> {
          SubscriberCore<E> s = new SubscriberCore<>(this, tail);
          joinLocked(s, woken);
          return s;
        });
  }

  /**
   * How many subscribers are subscribed and not closed.
   *
   * @return the number of subscribers
   */
  public int subscriberCount() {
    return memberCount();
  }

  @Override
  void raiseLocked(SubscriberCore<E> subscriber, Wakeups woken) {
    subscriber.signal.raiseLocked(woken);
  }

  /**
   * How many elements the ring holds.
   *
   * @return the capacity
   */
  public int capacity() {
    return ring.length;
  }

  /**
   * A snapshot for debugging: closed or not, how many were sent, the capacity, the subscribers.
   *
   * @return a description of this broadcast's state
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "Broadcast["
          + (closed ? "closed, " : "")
          + tail
          + " sent, capacity "
          + ring.length
          + ", "
          + members.size()
          + " subscribers]";
    } finally {
      lock.unlock();
    }
  }

  int index(long sequence) {
    return (int) (sequence % ring.length);
  }
}
