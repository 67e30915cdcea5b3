/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LIL_Result;

/**
 * Invariant: a poll clears its slot before the sequence number that frees it for the next send
 * ({@code items[i] = null}, then {@code setRelease} of {@code seqs[i]} to {@code 2(p + n)}), and a
 * send writes only a slot it found freed: so an offer that reuses the slot a poll is emptying
 * neither overwrites the element being taken nor has its own element wiped by the poll's clear.
 *
 * <p>An {@link ArrayLane} of capacity 1 holding {@code a}: one slot, whose "holds p" and "free for
 * p + 1" differ only because the sequence numbers are doubled. A poll takes {@code a} while an
 * offer of {@code b} wants the same slot. The offer either reports {@code FULL} (it looked before
 * the poll claimed) or succeeds (it waits, if need be, for the poll to clear); the arbiter's poll
 * finds {@code b} exactly when the offer succeeded.
 */
@JCStressTest
@Outcome(id = "a, 0, b", expect = ACCEPTABLE, desc = "the poll freed the slot, the offer reused it")
@Outcome(
    id = "a, 1, EMPTY",
    expect = ACCEPTABLE,
    desc = "the offer found the lane full before the poll")
@Outcome(expect = FORBIDDEN, desc = "a overwritten, b wiped by the clear, or an element seen twice")
@State
public class ArrayLaneSlotReuseTest {
  private final ArrayLane<String> lane = filled();

  private static ArrayLane<String> filled() {
    ArrayLane<String> lane = new ArrayLane<>(1, false, false);
    if (lane.offer("a", false) != Lane.OK) {
      throw new IllegalStateException("a fresh lane refused an element");
    }
    return lane;
  }

  @Actor
  public void poll(LIL_Result r) {
    // As text: jcstress serializes results, and the lane's markers (EMPTY) are not Serializable.
    r.r1 = String.valueOf(lane.poll(false));
  }

  @Actor
  public void offer(LIL_Result r) {
    r.r2 = lane.offer("b", false);
  }

  @Arbiter
  public void rest(LIL_Result r) {
    r.r3 = String.valueOf(lane.poll(false));
  }
}
