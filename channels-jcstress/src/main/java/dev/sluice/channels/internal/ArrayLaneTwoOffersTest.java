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
import org.openjdk.jcstress.infra.results.IIL_Result;

/**
 * Invariant: a place in the bounded lane is claimed by exactly one send ({@code cas} of {@code
 * tail}): of two offers into a lane of capacity 1 one succeeds and the other reports {@code FULL},
 * and the lane then holds the winner's element, once.
 *
 * <p>Results are {@code Lane.OK} (0) and {@code Lane.FULL} (1); the arbiter polls twice.
 */
@JCStressTest
@Outcome(
    id = "0, 1, a/EMPTY",
    expect = ACCEPTABLE,
    desc = "a took the place, b found the lane full")
@Outcome(
    id = "1, 0, b/EMPTY",
    expect = ACCEPTABLE,
    desc = "b took the place, a found the lane full")
@Outcome(
    expect = FORBIDDEN,
    desc = "both in (one overwritten), neither, or the lane holding something else")
@State
public class ArrayLaneTwoOffersTest {
  private final ArrayLane<String> lane = new ArrayLane<>(1, false, false);

  @Actor
  public void offerA(IIL_Result r) {
    r.r1 = lane.offer("a", false);
  }

  @Actor
  public void offerB(IIL_Result r) {
    r.r2 = lane.offer("b", false);
  }

  @Arbiter
  public void drain(IIL_Result r) {
    Object first = lane.poll(false);
    r.r3 = first + "/" + lane.poll(false);
  }
}
