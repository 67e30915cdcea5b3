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
 * Invariant: a claim and a withdrawal of one {@link SoloWaiter} race on one {@code cas}, exactly
 * one of them wins, and a withdrawal that lost sees the element the claim handed over.
 *
 * <p>A send meets a queued receive on an empty channel of capacity 1 through the engine's own
 * {@code trySend} (under the lock: {@code item} written, then {@code tryClaim}), while the
 * receive's owner withdraws it, as an interrupted or timed-out {@code receive} does. Either the
 * send took place, the withdrawal reports that it came too late and reads the element ({@code
 * ParkingWaiter.await} then returns it), and the receive is resumed once; or the withdrawal won and
 * the send found nobody, and buffered its element, which the arbiter then takes. Both winning would
 * lose the element (sent, and the receive gone, with nothing buffered); neither would leave the
 * receive waiting for an element it already has; a lost withdrawal reading {@code null} would lose
 * the element too.
 */
@JCStressTest
@Outcome(
    id = "true, x, 1",
    expect = ACCEPTABLE,
    desc = "the claim won: sent; the withdrawal lost and read the element; resumed once")
@Outcome(
    id = "true, withdrawn+buffered, 0",
    expect = ACCEPTABLE,
    desc = "the withdrawal won: the send found no receive and buffered x; nothing resumed")
@Outcome(
    expect = FORBIDDEN,
    desc =
        "both won, or neither, or the element not seen, or resumed other than once: lost or duplicated")
@State
public class SoloWaiterClaimVersusWithdrawTest {
  private final BufferedChannel<String> channel = RecordingWaiter.oneSlot();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void send(ZLI_Result r) {
    r.r1 = channel.trySend("x");
  }

  @Actor
  public void withdraw(ZLI_Result r) {
    r.r2 = receive.withdraw() ? "withdrawn" : receive.item();
  }

  @Arbiter
  public void resumed(ZLI_Result r) {
    if ("withdrawn".equals(r.r2) && "x".equals(channel.tryReceive())) {
      r.r2 = "withdrawn+buffered";
    }
    r.r3 = receive.resumes;
  }
}
