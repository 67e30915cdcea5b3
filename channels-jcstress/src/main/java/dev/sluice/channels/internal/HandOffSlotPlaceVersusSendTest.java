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
 * Invariant: a receive that leaves its waiter in a rendezvous channel's hand-off slot and a send
 * that looks at the slot meet or miss each other cleanly: the send either finds the slot empty (the
 * receive had not arrived, and the send reports nobody) or finds the waiter and claims it, handing
 * over its element, which the claim's {@code cas} publishes.
 *
 * <p>A receive's waiter through the engine's entry point ({@code receiveOrEnqueue}, which places it
 * in the empty slot), against {@code trySend} (no waiter of its own: it never waits). The arbiter
 * reads what the waiter holds and how often it was resumed. A send that reported success with the
 * waiter not holding its element, or a waiter resumed without a send, would lose or invent an
 * element.
 */
@JCStressTest
@Outcome(
    id = "true, x, 1",
    expect = ACCEPTABLE,
    desc = "the receive waited first; the send claimed it and handed x over")
@Outcome(
    id = "false, waiting, 0",
    expect = ACCEPTABLE,
    desc = "the send came first and found nobody; the receive still waits")
@Outcome(expect = FORBIDDEN, desc = "sent to nobody, or resumed without an element: lost")
@State
public class HandOffSlotPlaceVersusSendTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final RecordingWaiter<String> receive = new RecordingWaiter<>(channel, null);

  @Actor
  public void receive() {
    int outcome = channel.receiveOrEnqueue(receive);
    if (outcome != dev.sluice.channels.internal.Outcome.QUEUED) {
      throw new IllegalStateException("nothing to receive, yet " + outcome);
    }
  }

  @Actor
  public void send(ZLI_Result r) {
    r.r1 = channel.trySend("x");
  }

  @Arbiter
  public void after(ZLI_Result r) {
    r.r2 = receive.isWaiting() ? "waiting" : String.valueOf(receive.item());
    r.r3 = receive.resumes;
  }
}
