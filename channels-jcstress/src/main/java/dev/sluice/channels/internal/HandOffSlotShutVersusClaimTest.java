/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.sluice.channels.ChannelClosedException;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

/**
 * Invariant: the lock holder shuts the hand-off slot, moving its waiter to the queue, and a
 * counterpart claims the same waiter out of the slot, without ever both getting it: the lock
 * holder's {@code cas} to {@code LOCKED} and the counterpart's {@code cas} to {@code BUSY} race on
 * the slot, and the lock holder waits out a claim in progress.
 *
 * <p>One receive waits in a rendezvous channel's slot. {@code trySend} claims it without the lock
 * while {@code close()} takes the lock, shuts the slot and fails every queued waiter. Either the
 * send won (the receive holds x, and close found nobody), or close won (the receive saw the channel
 * closed, and the send found it closed); the receive is resumed once either way, and the channel
 * stays closed: a claimer that emptied a slot the lock holder had shut would open it again, and the
 * arbiter's {@code trySend} would find it open instead of closed.
 */
@JCStressTest
@Outcome(
    id = "true, true, x once",
    expect = ACCEPTABLE,
    desc = "the send claimed the receive first; close found nobody")
@Outcome(
    id = "false, true, closed once",
    expect = ACCEPTABLE,
    desc = "close shut the slot first and failed the receive; the send found the channel closed")
@Outcome(expect = FORBIDDEN, desc = "claimed twice, or by nobody, or sent into a closed channel")
@State
public class HandOffSlotShutVersusClaimTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void send(ZZL_Result r) {
    try {
      r.r1 = channel.trySend("x");
    } catch (RuntimeException closed) {
      r.r1 = false;
    }
  }

  @Actor
  public void close(ZZL_Result r) {
    r.r2 = channel.close();
  }

  @Arbiter
  public void after(ZZL_Result r) {
    String got = receive.isClosed() ? "closed" : String.valueOf(receive.item());
    String after;
    try {
      after = channel.trySend("y") ? " then sent" : " then open"; // the slot opened after close
    } catch (ChannelClosedException closed) {
      after = ""; // closed for good, as it must be
    }
    r.r3 = got + (receive.resumes == 1 ? " once" : " resumed " + receive.resumes) + after;
  }
}
