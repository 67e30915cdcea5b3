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
import org.openjdk.jcstress.infra.results.ZL_Result;

/**
 * Invariant: the claim's {@code cas} publishes the {@code item} written before it: a waiting side
 * that sees its waiter claimed ({@code isWaiting() == false}, as the spin and the park loop of
 * {@code Parker.await} see it) and then reads {@code item} reads the element, never {@code null}.
 *
 * <p>The claimer is the engine's {@code trySend} on a channel of capacity 1 with the receive
 * queued: {@code item} is a plain field written under the lock, and the waiting side reads it
 * without the lock, so only the {@code cas} (a release) and the waiting side's volatile load of the
 * state (an acquire) order the two.
 */
@JCStressTest
@Outcome(
    id = "true, waiting",
    expect = ACCEPTABLE,
    desc = "the claim not seen yet: the receive would look again")
@Outcome(id = "true, x", expect = ACCEPTABLE, desc = "the claim seen, and the element with it")
@Outcome(
    expect = FORBIDDEN,
    desc = "claimed but the element not seen: the receive would return null, the element lost")
@State
public class SoloWaiterClaimPublishesItemTest {
  private final BufferedChannel<String> channel = RecordingWaiter.oneSlot();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void send(ZL_Result r) {
    r.r1 = channel.trySend("x");
  }

  @Actor
  public void look(ZL_Result r) {
    r.r2 = receive.isWaiting() ? "waiting" : receive.item();
  }
}
