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
import org.openjdk.jcstress.infra.results.ZZL_Result;

/**
 * Invariant: a waiter in the hand-off slot is claimed by one counterpart only: the {@code cas} that
 * takes it out of the slot (to {@code BUSY}) admits one thread, and the other finds the slot busy,
 * then empty.
 *
 * <p>One receive waits in a rendezvous channel's slot; two {@code trySend}s race for it. Exactly
 * one succeeds, the receive holds that one's element and was resumed once.
 */
@JCStressTest
@Outcome(id = "true, false, a once", expect = ACCEPTABLE, desc = "the first send won")
@Outcome(id = "false, true, b once", expect = ACCEPTABLE, desc = "the second send won")
@Outcome(expect = FORBIDDEN, desc = "both sent to one receive, or neither: duplicated or lost")
@State
public class HandOffSlotTwoSendsTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final RecordingWaiter<String> receive = RecordingWaiter.queuedReceive(channel);

  @Actor
  public void first(ZZL_Result r) {
    r.r1 = channel.trySend("a");
  }

  @Actor
  public void second(ZZL_Result r) {
    r.r2 = channel.trySend("b");
  }

  @Arbiter
  public void after(ZZL_Result r) {
    r.r3 = receive.item() + (receive.resumes == 1 ? " once" : " resumed " + receive.resumes);
  }
}
