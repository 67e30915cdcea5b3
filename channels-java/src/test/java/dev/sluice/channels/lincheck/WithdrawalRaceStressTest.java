package dev.sluice.channels.lincheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Races between a waiter's withdrawal (timeout, interrupt) and its claim by a counterpart, on real
 * threads, many rounds: the fallback for what {@link ChannelFacesLincheckTest} cannot explore.
 *
 * <p>Under Lincheck 3.7's model checker {@code System.nanoTime()} returns a constant, so a timed
 * wait never times out there; and the model checker did not reach the narrow window between a
 * waiter noticing its interrupt and withdrawing (a mutant that ignores a lost withdrawal survived
 * 10,000 invocations, while these tests fail on it within a few hundred rounds).
 */
class WithdrawalRaceStressTest {
  private static final int ROUNDS = ChannelLincheckBase.longRun() ? 200_000 : 20_000;

  private final CyclicBarrier barrier = new CyclicBarrier(2);

  // Written by the main thread before the first barrier of a round, read by the sender after it.
  private Channel<Integer> channel;
  private long sendTimeoutNanos;

  // Written by the sender before the second barrier of a round, read by the main thread after it.
  private boolean sent;
  private volatile Throwable senderFailure;

  /**
   * A send with a tiny timeout racing a receive with a tiny timeout (1 to 20 microseconds each,
   * drawn per round): a send that returned {@code false} was not received, one that returned {@code
   * true} was received exactly once (by the timed receive or, afterwards, from the buffer).
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void timedOutSendWasNotReceived(int capacity) throws Exception {
    Thread sender = new Thread(this::sendRounds, "timed-sender");
    sender.setDaemon(true);
    sender.start();
    int delivered = 0;
    int timedOut = 0;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int round = 0; round < ROUNDS; round++) {
      Channel<Integer> c = capacity == 0 ? Channel.rendezvous() : Channel.bounded(capacity);
      if (capacity > 0) {
        assertTrue(c.trySend(1), "fill");
      }
      channel = c;
      sendTimeoutNanos = 1 + random.nextLong(20_000);
      long receiveTimeoutNanos = 1 + random.nextLong(20_000);
      barrier.await(10, TimeUnit.SECONDS);
      Integer received = c.receive(Duration.ofNanos(receiveTimeoutNanos));
      barrier.await(10, TimeUnit.SECONDS);
      if (senderFailure != null) {
        throw new AssertionError("the sender failed in round " + round, senderFailure);
      }
      List<Integer> all = new ArrayList<>();
      if (received != null) {
        all.add(received);
      }
      try {
        for (Integer e; (e = c.tryReceive()) != null; ) {
          all.add(e);
        }
      } catch (ChannelClosedException unexpected) {
        throw new AssertionError("nobody closed the channel", unexpected);
      }
      List<Integer> expected = new ArrayList<>();
      if (capacity > 0) {
        expected.add(1);
      }
      if (sent) {
        expected.add(2);
        delivered++;
      } else {
        timedOut++;
      }
      assertEquals(expected, all, "round " + round + ": send returned " + sent);
    }
    channel = null;
    barrier.await(10, TimeUnit.SECONDS); // lets the sender see the end
    sender.join(10_000);
    System.out.printf(
        "timed send vs timed receive, capacity %d: %d delivered, %d timed out%n",
        capacity, delivered, timedOut);
    assertTrue(delivered > 0, "no send was delivered in " + ROUNDS + " rounds");
    assertTrue(timedOut > 0, "no send timed out in " + ROUNDS + " rounds");
  }

  // For the interrupt race: the round number the main thread has started, the last one the receiver
  // is ready for (its interrupt status cleared), and the last one it has finished, with its outcome
  // (-1: interrupted).
  private volatile int started;
  private volatile int ready;
  private volatile int finished;
  private volatile int outcome;

  /**
   * A blocking receive on a rendezvous channel, interrupted while a {@code trySend} comes, on real
   * threads: the receive got the element exactly when the send succeeded. Under Lincheck ({@link
   * ChannelFacesLincheckTest#interruptedReceiveTookNothing}) the interleaving in which the claim
   * lands between the receiver seeing its interrupt and withdrawing was not reached in 10,000
   * invocations; here it is raced directly.
   */
  @Test
  void interruptedReceiveTookNothing() throws Exception {
    Thread receiver = new Thread(this::receiveRounds, "interrupted-receiver");
    receiver.setDaemon(true);
    receiver.start();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int delivered = 0;
    int interrupted = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      Channel<Integer> c = Channel.rendezvous();
      channel = c;
      started = round; // publishes channel
      while (ready != round && finished != round) {
        Thread.yield(); // not a spin: on a loaded 2-core machine a spin starves the other side
      }
      int delay = random.nextInt(2_000);
      for (int i = 0; i < delay; i++) {
        Thread.onSpinWait();
      }
      boolean interruptFirst = random.nextBoolean();
      if (interruptFirst) {
        receiver.interrupt();
      }
      boolean sent = c.trySend(5);
      if (!interruptFirst) {
        receiver.interrupt();
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (finished != round) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("round " + round + ": the receiver did not end");
        }
        Thread.yield();
      }
      if (senderFailure != null) {
        throw new AssertionError("the receiver failed in round " + round, senderFailure);
      }
      assertEquals(sent ? 5 : -1, outcome, "round " + round + ": trySend returned " + sent);
      if (sent) {
        delivered++;
      } else {
        interrupted++;
      }
    }
    started = -1;
    receiver.join(10_000);
    System.out.printf(
        "interrupted receive vs trySend: %d delivered, %d interrupted%n", delivered, interrupted);
    assertTrue(delivered > 0, "no element was delivered in " + ROUNDS + " rounds");
    assertTrue(interrupted > 0, "no receive was interrupted in " + ROUNDS + " rounds");
  }

  private void receiveRounds() {
    try {
      for (int round = 1; ; round++) {
        int r;
        while ((r = started) != round && r != -1) {
          Thread.yield();
        }
        if (r == -1) {
          return;
        }
        Thread.interrupted(); // the previous round's interrupt, if it came after the receive
        ready = round; // from here on, an interrupt is this round's
        int got;
        try {
          got = channel.receive();
        } catch (InterruptedException e) {
          got = -1;
        }
        outcome = got;
        finished = round; // publishes outcome
      }
    } catch (Throwable t) {
      senderFailure = t;
      finished = started;
    }
  }

  private void sendRounds() {
    try {
      while (true) {
        barrier.await(10, TimeUnit.SECONDS);
        Channel<Integer> c = channel;
        if (c == null) {
          return;
        }
        sent = c.send(2, Duration.ofNanos(sendTimeoutNanos));
        barrier.await(10, TimeUnit.SECONDS);
      }
    } catch (Throwable t) {
      senderFailure = t;
      barrier.reset(); // wakes the main thread with BrokenBarrierException
    }
  }
}
