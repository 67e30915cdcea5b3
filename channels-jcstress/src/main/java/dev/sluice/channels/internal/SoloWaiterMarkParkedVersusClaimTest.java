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
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * Invariant: no lost wake-up. A waiting thread announces that it parks ({@code markParked}, a
 * {@code cas} WAITING to PARKED) while a claimer claims ({@code tryClaim}, a {@code cas} to
 * CLAIMED): either the thread sees the claim and does not park, or the claimer sees PARKED and will
 * unpark it ({@code unparkOnResume}, which {@code ParkingWaiter.resume} acts on).
 *
 * <p>The claimer is the engine's {@code trySend} on a rendezvous channel with the receive queued;
 * the waiting side makes the call {@code Parker.await} makes before it parks. The forbidden outcome
 * is a thread that parks while its claimer skips the unpark: it would sleep forever with its
 * element handed over. The other mixed outcome (no park, but told to unpark) cannot happen with one
 * state word either; it would only cost a stray unpark, but would mean the state word no longer
 * decides.
 */
@JCStressTest
@Outcome(
    id = "true, true, 1",
    expect = ACCEPTABLE,
    desc = "parked first: the claimer saw PARKED and unparks")
@Outcome(
    id = "false, false, 1",
    expect = ACCEPTABLE,
    desc = "claimed first: the thread does not park, no unpark needed")
@Outcome(
    id = "true, false, .*",
    expect = FORBIDDEN,
    desc = "parked, and the claimer did not see it: a lost wake-up")
@Outcome(
    expect = FORBIDDEN,
    desc = "the announcement and the claim disagree, or resumed other than once")
@State
public class SoloWaiterMarkParkedVersusClaimTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void claim() {
    channel.trySend("x");
  }

  @Actor
  public void announcePark(ZZI_Result r) {
    r.r1 = receive.markParked();
  }

  @Arbiter
  public void resumed(ZZI_Result r) {
    r.r2 = receive.toldToUnpark;
    r.r3 = receive.resumes;
  }
}
