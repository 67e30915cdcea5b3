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
 * Invariant: in the unbounded lane, a send makes its chunk and links it ({@code cas} of {@code
 * next}) before it claims, and writes its element with a release store after the claim; so a poll
 * racing it at the first position of a chunk not made yet gets the element or {@code EMPTY}, never
 * {@code null}, and finds the chunk the send linked.
 *
 * <p>A {@link LinkedLane} whose first chunk has been filled and drained, so both positions stand at
 * {@link LinkedLane#CHUNK} and the next chunk does not exist. An offer of {@code x} against a poll;
 * the arbiter polls what is left.
 */
@JCStressTest
@Outcome(
    id = "0, x, EMPTY",
    expect = ACCEPTABLE,
    desc = "the poll took the element from the new chunk")
@Outcome(
    id = "0, EMPTY, x",
    expect = ACCEPTABLE,
    desc = "the poll came first and found the lane empty; the element stayed in")
@Outcome(expect = FORBIDDEN, desc = "the element lost, torn, or taken twice")
@State
public class LinkedLaneNewChunkTest {
  private final LinkedLane<String> lane = atChunkEnd();

  /** An unbounded lane whose positions are both at the start of a chunk that does not exist yet. */
  static LinkedLane<String> atChunkEnd() {
    LinkedLane<String> lane = new LinkedLane<>(Long.MAX_VALUE, false, false);
    for (int i = 0; i < LinkedLane.CHUNK; i++) {
      if (lane.offer("filler", false) != Lane.OK || !"filler".equals(lane.poll(false))) {
        throw new IllegalStateException("a lone thread could not pass an element through the lane");
      }
    }
    return lane;
  }

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
