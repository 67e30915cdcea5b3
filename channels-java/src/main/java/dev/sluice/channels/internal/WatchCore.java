/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
// Invariant: the value and its version change together, under the lock, and every change raises
// the signal of every open reader before the lock is released: a reader whose seen version is not
// the current one, or whose watch is closed, always has a token in its signal or in a wait's hands.
package dev.sluice.channels.internal;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.internal.Signal.Wakeups;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * The state machine behind {@code dev.sluice.channels.Watch}: the latest value, its version, the
 * closed flag and the open readers, under one lock. The public class delegates here; its javadoc is
 * the contract of each method.
 *
 * <p>Implementation notes. {@link #value} is volatile so that {@link #get()} takes no lock; it is
 * written only under {@link #lock}, together with {@link #version}. Each set raises the {@link
 * Signal} of every reader ({@link ReaderCore}) under the lock; the waits it wakes are resumed after
 * the unlock, by {@link Signal#signalling}, so no reader's callback runs under the lock. ADR 0004
 * explains why a reader waits on a token and then looks.
 *
 * @param <E> the type of the value
 */
public final class WatchCore<E> extends SignalledKind<ReaderCore<E>> {
  // The lock (SignalledKind) guards every field below, and each reader's seen, pending and closed.

  /**
   * Written under the lock; read without it by {@link #get()}, which needs no more than the latest.
   */
  volatile E value;

  /** How many times the value was set; the initial value is version 0. */
  long version;

  /**
   * A watch holding {@code initial}.
   *
   * @param initial the first value
   * @throws NullPointerException if {@code initial} is null
   */
  public WatchCore(E initial) {
    this.value = Objects.requireNonNull(initial, "initial");
  }

  /**
   * Replaces the value, and signals every reader.
   *
   * @param value the new value
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code value} is null
   */
  public void set(E value) {
    Objects.requireNonNull(value, "value");
    signalling(
        woken -> {
          checkOpen();
          publishLocked(value, woken);
          return null;
        });
  }

  /**
   * Replaces the value and returns the one it replaced, in one step under the lock.
   *
   * @param value the new value
   * @return the value before
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code value} is null
   */
  public E getAndSet(E value) {
    Objects.requireNonNull(value, "value");
    return signalling(
        woken -> {
          checkOpen();
          E before = this.value;
          publishLocked(value, woken);
          return before;
        });
  }

  /**
   * Replaces the value unless it equals the current one; {@code equals} runs under the lock.
   *
   * @param value the new value
   * @return {@code true} if the value was replaced
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code value} is null
   */
  public boolean setIfChanged(E value) {
    Objects.requireNonNull(value, "value");
    return signalling(
        woken -> {
          checkOpen();
          if (value.equals(this.value)) {
            return false;
          }
          publishLocked(value, woken);
          return true;
        });
  }

  /**
   * Replaces the value with {@code f} applied to it, under the lock.
   *
   * @param f computes the new value; it must not return {@code null}
   * @return the new value
   * @throws ChannelClosedException if the watch is closed
   * @throws NullPointerException if {@code f} is null or returns null
   */
  public E update(UnaryOperator<E> f) {
    Objects.requireNonNull(f, "f");
    return signalling(
        woken -> {
          checkOpen();
          E next = Objects.requireNonNull(f.apply(value), "the update returned null");
          publishLocked(next, woken);
          return next;
        });
  }

  /**
   * The current value; takes no lock.
   *
   * @return the current value
   */
  public E get() {
    return value; // a volatile read: as cheap as a field, for readers that poll
  }

  /**
   * How many readers are subscribed and not closed.
   *
   * @return the number of readers
   */
  public int readerCount() {
    return memberCount();
  }

  @Override
  void raiseLocked(ReaderCore<E> reader, Wakeups woken) {
    reader.signalLocked(woken);
  }

  /**
   * A new reader that has seen the current value; on a closed watch, one that finds it closed.
   *
   * @return the new reader's state machine
   */
  public ReaderCore<E> subscribe() {
    lock.lock();
    try {
      ReaderCore<E> r = new ReaderCore<>(this, version);
      joinLocked(r, new Wakeups()); // nobody waits on r yet: nothing to wake
      return r;
    } finally {
      lock.unlock();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new ChannelClosedException("watch is closed", null);
    }
  }

  private void publishLocked(E next, Wakeups woken) {
    value = next;
    version++;
    raiseAllLocked(woken);
  }

  /**
   * A snapshot for debugging: closed or not, the version and the reader count.
   *
   * @return a description of this watch's state
   */
  @Override
  public String toString() {
    lock.lock();
    try {
      return "Watch["
          + (closed ? "closed, " : "")
          + "version "
          + version
          + ", "
          + members.size()
          + " readers]";
    } finally {
      lock.unlock();
    }
  }
}
