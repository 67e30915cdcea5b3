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
 * Invariant: close's claim publishes the {@code closed} flag written before its {@code cas}: a
 * waiting side that sees its waiter claimed ({@code isWaiting() == false}) reads {@code closed ==
 * true}.
 *
 * <p>{@code closed} is a plain field of the waiter, written by the engine's {@code close()} under
 * the lock and read by the waiting side without it. A claim seen with {@code closed == false} would
 * be taken for a transfer: the receive would return {@code null} as its element instead of
 * reporting the closed channel.
 */
@JCStressTest
@Outcome(
    id = "true, waiting",
    expect = ACCEPTABLE,
    desc = "the claim not seen yet: the receive would look again")
@Outcome(id = "true, closed", expect = ACCEPTABLE, desc = "the claim seen, and closed with it")
@Outcome(expect = FORBIDDEN, desc = "claimed but closed not seen: taken for a transfer of nothing")
@State
public class SoloWaiterClosePublishesClosedTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void close(ZL_Result r) {
    r.r1 = channel.close();
  }

  @Actor
  public void look(ZL_Result r) {
    if (receive.isWaiting()) {
      r.r2 = "waiting";
    } else {
      r.r2 = receive.isClosed() ? "closed" : "open";
    }
  }
}
