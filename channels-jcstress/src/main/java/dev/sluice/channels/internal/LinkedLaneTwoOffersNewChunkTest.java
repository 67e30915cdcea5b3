/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIL_Result;

/**
 * Invariant: two sends that both find the next chunk missing make one chunk between them: each
 * tries to link its own with a {@code cas} of {@code next}, and the loser uses the winner's. Both
 * elements then sit in the one linked chunk, and a receive finds each once, in the order of the
 * claims.
 *
 * <p>A {@link LinkedLane} at the end of its first chunk (see {@link LinkedLaneNewChunkTest}); two
 * offers, then the arbiter looks at the second chunk and drains the lane. An element left in a
 * chunk that lost the race would never be found: a poll of its place waits for it forever, and
 * jcstress 0.16 has no timeout for an arbiter (nor for its own first, sequential check of a test).
 * So the arbiter first looks for both elements by walking the chunks from the lane's head chunk, a
 * private field read through a private lookup (the tests share the engine's module on the class
 * path), and polls only when both are there; otherwise the outcome names what it found.
 */
@JCStressTest
@Outcome(id = "0, 0, a/b/EMPTY", expect = ACCEPTABLE, desc = "a claimed first")
@Outcome(id = "0, 0, b/a/EMPTY", expect = ACCEPTABLE, desc = "b claimed first")
@Outcome(
    expect = FORBIDDEN,
    desc = "an element in no linked chunk (lost), duplicated, or an offer refused")
@State
public class LinkedLaneTwoOffersNewChunkTest {
  private static final VarHandle HEAD_CHUNK;

  static {
    try {
      HEAD_CHUNK =
          MethodHandles.privateLookupIn(LinkedLane.class, MethodHandles.lookup())
              .findVarHandle(LinkedLane.class, "headChunk", LinkedLane.Chunk.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final LinkedLane<String> lane = LinkedLaneNewChunkTest.atChunkEnd();

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
    LinkedLane.Chunk c = (LinkedLane.Chunk) HEAD_CHUNK.getVolatile(lane);
    while (c != null && c.start < LinkedLane.CHUNK) {
      c = c.next;
    }
    Object at0 = c == null ? null : c.items[0];
    Object at1 = c == null ? null : c.items[1];
    if (at0 == null || at1 == null) {
      r.r3 = "unreachable: " + at0 + "/" + at1; // a poll would wait forever
      return;
    }
    Object first = lane.poll(false);
    Object second = lane.poll(false);
    r.r3 = first + "/" + second + "/" + lane.poll(false);
  }
}
