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
import org.openjdk.jcstress.infra.results.ILL_Result;

/**
 * Invariant: in the bounded lane, an element is written before the sequence number that announces
 * it ({@code items[i]} plain, then {@code setRelease} of {@code seqs[i]}), so a poll racing the
 * offer gets the element or {@code EMPTY}, never {@code null} and never a half-published slot.
 *
 * <p>An {@link ArrayLane} of capacity 1, empty, both operations on the lock-free path ({@code
 * locked = false}, no flag set). A poll that finds the place claimed but not yet published waits
 * for the publication, so it answers {@code EMPTY} only if the offer had not claimed yet; whatever
 * it did not take, the arbiter's poll finds.
 */
@JCStressTest
@Outcome(id = "0, x, EMPTY", expect = ACCEPTABLE, desc = "the poll took the element")
@Outcome(
    id = "0, EMPTY, x",
    expect = ACCEPTABLE,
    desc = "the poll came first and found the lane empty; the element stayed in")
@Outcome(expect = FORBIDDEN, desc = "the element lost, torn, or taken twice")
@State
public class ArrayLaneOfferVersusPollTest {
  private final ArrayLane<String> lane = new ArrayLane<>(1, false, false);

  @Actor
  public void offer(ILL_Result r) {
    r.r1 = lane.offer("x", false);
  }

  @Actor
  public void poll(ILL_Result r) {
    // As text: jcstress serializes results, and the lane's markers (EMPTY) are not Serializable.
    r.r2 = String.valueOf(lane.poll(false));
  }

  @Arbiter
  public void rest(ILL_Result r) {
    r.r3 = String.valueOf(lane.poll(false));
  }
}
