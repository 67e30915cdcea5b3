/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.channels.internal;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.CompletableFuture;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZL_Result;

/**
 * Invariant: {@code cancel(...) == true} on the future of {@code receiveAsync} means the receive
 * did not happen. The future's {@code cancel} first withdraws its {@link FutureWaiter}, and that
 * withdrawal races the engine's claim on the waiter's one {@code cas}: exactly one wins, and the
 * future ends as the winner says.
 *
 * <p>A {@code FutureWaiter} queued on a rendezvous channel as {@code receiveAsync} queues it; a
 * send ({@code trySend}) against {@code cancel(false)}. Either the send took place, the cancel
 * returned {@code false}, and the future completed with the element; or the cancel won, the send
 * found no receive, and the future is cancelled. A cancel that returned {@code true} after the
 * claim would lose the element; a future left incomplete would hang its dependents.
 */
@JCStressTest
@Outcome(
    id = "true, false, x",
    expect = ACCEPTABLE,
    desc = "the claim won: sent; cancel returned false; the future has the element")
@Outcome(
    id = "false, true, cancelled",
    expect = ACCEPTABLE,
    desc = "the cancel won: the send found no receive; the future is cancelled")
@Outcome(expect = FORBIDDEN, desc = "both won, or neither, or the future disagrees with the winner")
@State
public class WaiterFutureCancelVersusClaimTest {
  private final BufferedChannel<String> channel = RecordingWaiter.rendezvous();
  private final CompletableFuture<String> future = queuedReceiveAsync(channel);

  private static CompletableFuture<String> queuedReceiveAsync(BufferedChannel<String> channel) {
    FutureWaiter<String, String> w = new FutureWaiter<>(channel, null, false);
    int outcome = channel.receiveOrEnqueue(w);
    if (outcome != dev.sluice.channels.internal.Outcome.QUEUED) {
      throw new IllegalStateException(
          "the receive was not queued: " + dev.sluice.channels.internal.Outcome.name(outcome));
    }
    return w.future;
  }

  @Actor
  public void send(ZZL_Result r) {
    r.r1 = channel.trySend("x");
  }

  @Actor
  public void cancel(ZZL_Result r) {
    r.r2 = future.cancel(false);
  }

  @Arbiter
  public void outcome(ZZL_Result r) {
    if (future.isCancelled()) {
      r.r3 = "cancelled";
    } else {
      r.r3 = future.getNow(null); // null if the future was never completed
    }
  }
}
