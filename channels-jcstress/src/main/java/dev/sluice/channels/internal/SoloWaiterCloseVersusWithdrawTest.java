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
import org.openjdk.jcstress.infra.results.ZLI_Result;

/**
 * Invariant: {@code close} fails a waiting operation through the same claim as a transfer, {@code
 * closed = true} written before the {@code cas}: it races a withdrawal on that one {@code cas}, and
 * a withdrawal that lost sees {@code closed}.
 *
 * <p>The engine's {@code close()} on a channel with a receive queued, against the receive's owner
 * withdrawing it (an interrupt or a timeout). Either close claimed it and the withdrawal, having
 * lost, reads {@code closed} (so the receive reports the closed channel) and the receive is resumed
 * once; or the withdrawal won and close found nobody to fail. A lost withdrawal that reads {@code
 * closed == false} would take the claim for a transfer and return a {@code null} element.
 */
@JCStressTest
@Outcome(
    id = "true, closed, 1",
    expect = ACCEPTABLE,
    desc = "close claimed it; the withdrawal lost and saw closed; resumed once")
@Outcome(
    id = "true, withdrawn, 0",
    expect = ACCEPTABLE,
    desc = "the withdrawal won; close found no waiter; nothing resumed")
@Outcome(
    expect = FORBIDDEN,
    desc = "claimed but closed not seen, or both won, or neither, or resumed other than once")
@State
public class SoloWaiterCloseVersusWithdrawTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void close(ZLI_Result r) {
    r.r1 = channel.close();
  }

  @Actor
  public void withdraw(ZLI_Result r) {
    if (receive.withdraw()) {
      r.r2 = "withdrawn";
    } else {
      r.r2 = receive.isClosed() ? "closed" : "open";
    }
  }

  @Arbiter
  public void resumed(ZLI_Result r) {
    r.r3 = receive.resumes;
  }
}
