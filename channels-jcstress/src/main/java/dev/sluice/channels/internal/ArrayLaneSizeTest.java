/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ILI_Result;

/**
 * Invariant: {@link Lane#size()} is linearizable with the claims: each thread's {@code size()}
 * after its own offer or poll counts that operation, and the two sizes agree with one order of the
 * two operations.
 *
 * <p>An {@link ArrayLane} of capacity 2 holding {@code a}. One thread offers {@code b} and reads
 * the size; the other polls (it takes {@code a}) and reads the size. Each reading sees its own
 * operation, so the offerer reads 1 or 2 and the poller 0 or 1. The offerer reading 2 means the
 * poll came after its size, hence after the offer; the poller reading 0 means the offer came after
 * its size, hence after the poll: both at once is no order at all. This is the store-then-load
 * shape that needs the claims' {@code cas} and the volatile loads of {@code size()}: a claim word
 * published by a release store alone would allow it.
 */
@JCStressTest
@Outcome(id = "2, a, 1", expect = ACCEPTABLE, desc = "offer, its size, then the poll and its size")
@Outcome(id = "1, a, 1", expect = ACCEPTABLE, desc = "both operations before either size")
@Outcome(
    id = "1, a, 0",
    expect = ACCEPTABLE,
    desc = "the poll and its size, then the offer and its size")
@Outcome(
    id = "2, a, 0",
    expect = FORBIDDEN,
    desc = "each size missed the other's operation, though one came first")
@Outcome(
    expect = FORBIDDEN,
    desc = "a size out of range, the offer refused, or the poll did not take a")
@State
public class ArrayLaneSizeTest {
  private final ArrayLane<String> lane = holdingA();

  private static ArrayLane<String> holdingA() {
    ArrayLane<String> lane = new ArrayLane<>(2, false, false);
    if (lane.offer("a", false) != Lane.OK) {
      throw new IllegalStateException("a fresh lane refused an element");
    }
    return lane;
  }

  @Actor
  public void offerThenSize(ILI_Result r) {
    r.r1 = lane.offer("b", false) == Lane.OK ? lane.size() : -1;
  }

  @Actor
  public void pollThenSize(ILI_Result r) {
    // As text: jcstress serializes results, and the lane's markers (EMPTY) are not Serializable.
    r.r2 = String.valueOf(lane.poll(false));
    r.r3 = lane.size();
  }
}
