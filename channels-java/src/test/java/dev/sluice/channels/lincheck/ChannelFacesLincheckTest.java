package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Select;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The waiting faces of a channel (blocking, timed, interruptible, {@link CompletableFuture},
 * select) under Lincheck's model checker: each test is a small concurrent program run through
 * {@link Lincheck#runConcurrentTest}, which explores its interleavings, including those of the
 * engine's lock, its {@code cas} claims and {@code LockSupport.park}.
 *
 * <p>Every waiting operation in these programs is guaranteed a counterpart (or a close, an
 * interrupt, a cancel), so every interleaving terminates. The checks are those of DESIGN.md section
 * 3: no element lost or duplicated, a cancelled future or an interrupted operation did not happen,
 * a losing select clause took nothing, a close fails waiting sends and keeps what is buffered, a
 * cancel hands every buffered element to the handler once.
 *
 * <p>What Lincheck 3.7 cannot do here: its {@code System.nanoTime()} is deterministic, so timeouts
 * never expire under it (see {@link WithdrawalRaceStressTest} for those races on real threads).
 */
class ChannelFacesLincheckTest {
  /** Interleavings explored per test; the long run ({@code -Pstress-long}) explores more. */
  private static final int INVOCATIONS = ChannelLincheckBase.longRun() ? 3_000 : 200;

  /**
   * Lincheck's defaults, but with a loop bound above {@code Parker}'s spin (256 rounds of {@code
   * onSpinWait} before it parks). With the default bound (50), a thread that must notice an
   * interrupt while no other thread can move spins past the bound and Lincheck reports "Concurrent
   * test has hung ... livelock due to non-terminating loops", although the spin ends by itself.
   * Lincheck 3.7 takes these settings only through its internal entry point.
   */
  private static final LincheckSettings SPIN_TOLERANT = new LincheckSettings(true, 10, 300, 20);

  /** A body that may throw checked exceptions: they fail the invocation. */
  interface Body {
    void run() throws Exception;
  }

  private static void explore(Body body) {
    Lincheck.runConcurrentTest(INVOCATIONS, new Program(body));
  }

  private static void exploreWith(LincheckSettings settings, Body body) {
    Lincheck.runConcurrentTestInternal$lincheck(INVOCATIONS, settings, new Program(body));
  }

  /** The block given to Lincheck; a class rather than a lambda, as {@link Forked} explains. */
  private static final class Program implements Runnable {
    private final Body body;

    Program(Body body) {
      this.body = body;
    }

    @Override
    public void run() {
      try {
        body.run();
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }

  private static Channel<Integer> channel(int capacity) {
    return capacity == 0 ? Channel.rendezvous() : Channel.bounded(capacity);
  }

  /** Takes what the channel holds now, until it is empty (or closed and drained). */
  private static List<Integer> drain(Channel<Integer> c) {
    List<Integer> out = new ArrayList<>();
    try {
      for (Integer e; (e = c.tryReceive()) != null; ) {
        out.add(e);
      }
    } catch (ChannelClosedException drained) {
      // closed and drained: nothing more
    }
    return out;
  }

  private static void check(boolean condition, String what, Object... facts) {
    if (!condition) {
      throw new AssertionError(what + " " + Arrays.deepToString(facts));
    }
  }

  /** Two blocking senders and one blocking receiver: each element arrives once. */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void blockingSendsAndReceivesExchangeEachElementOnce(int capacity) {
    explore(
        () -> {
          Channel<Integer> c = channel(capacity);
          Forked<Void> s1 =
              Forked.start(
                  () -> {
                    c.send(1);
                    return null;
                  });
          Forked<Void> s2 =
              Forked.start(
                  () -> {
                    c.send(2);
                    return null;
                  });
          int a = c.receive();
          int b = c.receive();
          s1.result();
          s2.result();
          check(Math.min(a, b) == 1 && Math.max(a, b) == 2, "received", a, b);
          check(c.tryReceive() == null && c.size() == 0, "left behind", c);
        });
  }

  /**
   * Two blocking receives and two blocking sends on a rendezvous channel: the first of a side to
   * wait does so in the hand-off slot, a second one shuts the slot and queues both under the lock,
   * and the slot opens again once the queues are empty. Each element arrives once, and nothing is
   * left waiting.
   */
  @Test
  void theHandOffSlotAndTheQueuesExchangeEachElementOnce() {
    explore(
        () -> {
          Channel<Integer> c = channel(0);
          Forked<Integer> r1 = Forked.start(c::receive);
          Forked<Integer> r2 = Forked.start(c::receive);
          Forked<Void> s1 =
              Forked.start(
                  () -> {
                    c.send(1);
                    return null;
                  });
          c.send(2);
          s1.result();
          int a = r1.result();
          int b = r2.result();
          check(Math.min(a, b) == 1 && Math.max(a, b) == 2, "received", a, b);
          check(!c.trySend(3) && c.tryReceive() == null, "someone still waits", c);
        });
  }

  /**
   * A receive waiting in the hand-off slot while {@code trySend} claims it without the lock and
   * {@code close} shuts the slot under the lock: the receive gets the element exactly when the send
   * reports it sent, and otherwise sees the channel closed.
   */
  @Test
  void closeAndSendRaceForTheReceiveInTheSlot() {
    explore(
        () -> {
          Channel<Integer> c = channel(0);
          Forked<Integer> receiver =
              Forked.start(
                  () -> {
                    try {
                      return c.receive();
                    } catch (ChannelClosedException closed) {
                      return -1;
                    }
                  });
          Forked<Boolean> closer = Forked.start(c::close);
          boolean sent = trySendOrClosed(c, 5);
          int received = receiver.result();
          check(closer.result(), "the only close returned false");
          check(
              sent ? received == 5 : received == -1,
              "send returned " + sent + ", received",
              received);
        });
  }

  /**
   * Mixed faces on the same queues: a future send, a blocking send, a future and a blocking
   * receive.
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void mixedFacesExchangeEachElementOnce(int capacity) {
    explore(
        () -> {
          Channel<Integer> c = channel(capacity);
          Forked<Void> asyncSender = Forked.start(() -> c.sendAsync(1).join());
          Forked<Void> blockingSender =
              Forked.start(
                  () -> {
                    c.send(2);
                    return null;
                  });
          CompletableFuture<Integer> first = c.receiveAsync();
          int second = c.receive();
          int firstValue = first.join();
          asyncSender.result();
          blockingSender.result();
          check(
              Math.min(firstValue, second) == 1 && Math.max(firstValue, second) == 2,
              "received",
              firstValue,
              second);
          check(c.tryReceive() == null, "left behind", c);
        });
  }

  /**
   * A waiting {@code receiveAsync} cancelled while a {@code trySend} comes: cancel returning true
   * means the receive did not happen, so the element (if sent) is still in the channel; false means
   * the future has it.
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void cancelledReceiveAsyncLeavesTheElement(int capacity) {
    explore(
        () -> {
          Channel<Integer> c = channel(capacity);
          CompletableFuture<Integer> f = c.receiveAsync();
          Forked<Boolean> sender = Forked.start(() -> c.trySend(7));
          Forked<Boolean> canceller = Forked.start(() -> f.cancel(false));
          boolean sent = sender.result();
          boolean cancelled = canceller.result();
          List<Integer> left = drain(c);
          if (cancelled) {
            check(f.isCancelled(), "cancel returned true, the future is not cancelled", f);
            check(left.equals(sent ? List.of(7) : List.of()), "after cancel", sent, left);
            check(capacity > 0 || !sent, "a rendezvous send succeeded without a receiver");
          } else {
            check(sent, "cancel lost to nothing");
            check(f.isDone() && !f.isCompletedExceptionally(), "the future", f);
            check(f.join() == 7 && left.isEmpty(), "after the hand-off", f.join(), left);
          }
        });
  }

  /**
   * A waiting {@code sendAsync} cancelled while a {@code tryReceive} comes: cancel returning true
   * means the element was not sent, and nobody receives it.
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void cancelledSendAsyncDidNotSend(int capacity) {
    explore(
        () -> {
          Channel<Integer> c = channel(capacity);
          if (capacity > 0) {
            check(c.trySend(1), "fill");
          }
          CompletableFuture<Void> f = c.sendAsync(2);
          Forked<Integer> receiver = Forked.start(c::tryReceive);
          Forked<Boolean> canceller = Forked.start(() -> f.cancel(false));
          Integer received = receiver.result();
          boolean cancelled = canceller.result();
          List<Integer> all = new ArrayList<>();
          if (received != null) {
            all.add(received);
          }
          all.addAll(drain(c));
          List<Integer> expected = new ArrayList<>();
          if (capacity > 0) {
            expected.add(1);
          }
          if (!cancelled) {
            expected.add(2);
            check(f.isDone() && !f.isCompletedExceptionally(), "the future", f);
          } else {
            check(f.isCancelled(), "cancel returned true, the future is not cancelled", f);
          }
          check(all.equals(expected), "received, in order", cancelled, all);
        });
  }

  /**
   * A timed send racing a timed receive. Under Lincheck's model checker {@code System.nanoTime()}
   * is deterministic (it returns the same value every call), so these timeouts never expire and
   * this explores only the hand-offs of the timed paths; the timed-out outcomes are raced on real
   * threads by {@link WithdrawalRaceStressTest}.
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void timedSendAndReceiveHandOffOnce(int capacity) {
    explore(
        () -> {
          Channel<Integer> c = channel(capacity);
          if (capacity > 0) {
            check(c.trySend(1), "fill");
          }
          Forked<Boolean> sender = Forked.start(() -> c.send(2, Duration.ofMillis(1)));
          Integer received = c.receive(Duration.ofMillis(1));
          boolean sent = sender.result();
          List<Integer> all = new ArrayList<>();
          if (received != null) {
            all.add(received);
          }
          all.addAll(drain(c));
          check(
              all.equals(
                  capacity == 0
                      ? (sent ? List.of(2) : List.of())
                      : (sent ? List.of(1, 2) : List.of(1))),
              "send returned " + sent + ", received",
              all);
        });
  }

  /**
   * A select receiving from two channels while each gets a {@code trySend}: the select takes
   * exactly one element, the other stays in its channel; on rendezvous channels a send that found
   * no waiting clause failed. Both channels are closed at the end, so a select that got nothing
   * fails with {@link ChannelClosedException} rather than waiting forever.
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1})
  void selectTakesExactlyOneElement(int capacity) {
    explore(
        () -> {
          Channel<Integer> a = channel(capacity);
          Channel<Integer> b = channel(capacity);
          Forked<String> selector =
              Forked.start(
                  () -> {
                    try {
                      return Select.select(a.onReceive(x -> "a" + x), b.onReceive(x -> "b" + x));
                    } catch (ChannelClosedException e) {
                      return "closed";
                    }
                  });
          Forked<Boolean> senderA = Forked.start(() -> a.trySend(1));
          boolean sentB = b.trySend(2);
          boolean sentA = senderA.result();
          a.close();
          b.close();
          String selected = selector.result();
          List<String> seen = new ArrayList<>();
          if (!selected.equals("closed")) {
            seen.add(selected);
          }
          drain(a).forEach(x -> seen.add("a" + x));
          drain(b).forEach(x -> seen.add("b" + x));
          List<String> sent = new ArrayList<>();
          if (sentA) {
            sent.add("a1");
          }
          if (sentB) {
            sent.add("b2");
          }
          Collections.sort(seen);
          check(seen.equals(sent), "sent " + sent + ", selected " + selected + ", seen", seen);
          check(capacity > 0 || sent.size() <= 1, "two rendezvous sends for one select", sent);
          check(capacity == 0 || !selected.equals("closed"), "select missed a buffered element");
        });
  }

  /**
   * A send waiting on a full channel while the channel closes and a receiver drains it: the send
   * either got into the channel (and its element is received after the buffered one) or failed with
   * {@link ChannelClosedException} and its element is not received.
   */
  @Test
  void closeFailsWaitingSendAndKeepsTheBuffer() {
    explore(
        () -> {
          Channel<Integer> c = channel(1);
          check(c.trySend(1), "fill");
          Forked<Boolean> sender =
              Forked.start(
                  () -> {
                    try {
                      c.send(2);
                      return true;
                    } catch (ChannelClosedException e) {
                      return false;
                    }
                  });
          Forked<Boolean> closer = Forked.start(c::close);
          List<Integer> received = new ArrayList<>();
          try {
            while (true) {
              received.add(c.receive());
            }
          } catch (ChannelClosedException drained) {
            // closed and drained
          }
          boolean sent = sender.result();
          check(closer.result(), "the only close returned false");
          check(
              received.equals(sent ? List.of(1, 2) : List.of(1)),
              "send returned " + sent + ", received",
              received);
        });
  }

  /**
   * {@code cancel} racing two {@code trySend}s and a {@code tryReceive}: every element that was
   * sent is received or handed to {@code onUndeliveredElement}, exactly once; the others appear
   * nowhere.
   */
  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 2})
  void cancelHandsEachBufferedElementToTheHandlerOnce(int capacity) {
    explore(
        () -> {
          ConcurrentLinkedQueue<Integer> undelivered = new ConcurrentLinkedQueue<>();
          Channel<Integer> c =
              Channel.<Integer>builder()
                  .capacity(capacity)
                  .onUndeliveredElement(undelivered::add)
                  .build();
          Forked<Boolean> s1 = Forked.start(() -> trySendOrClosed(c, 1));
          Forked<Boolean> s2 = Forked.start(() -> trySendOrClosed(c, 2));
          Forked<Void> canceller =
              Forked.start(
                  () -> {
                    c.cancel();
                    return null;
                  });
          Integer received;
          try {
            received = c.tryReceive();
          } catch (ChannelClosedException e) {
            received = null;
          }
          boolean sent1 = s1.result();
          boolean sent2 = s2.result();
          canceller.result();
          check(drain(c).isEmpty(), "elements left after cancel", c);
          List<Integer> accounted = new ArrayList<>(undelivered);
          if (received != null) {
            accounted.add(received);
          }
          Collections.sort(accounted);
          List<Integer> sent = new ArrayList<>();
          if (sent1) {
            sent.add(1);
          }
          if (sent2) {
            sent.add(2);
          }
          check(
              accounted.equals(sent),
              "sent " + sent + ", received " + received + ", undelivered",
              undelivered);
        });
  }

  /**
   * A blocking receive interrupted while a {@code trySend} comes: the receive either got the
   * element (and then the send succeeded) or threw {@link InterruptedException} (and then the send
   * found no receiver and failed). The element is never lost.
   */
  @Test
  void interruptedReceiveTookNothing() {
    exploreWith(
        SPIN_TOLERANT,
        () -> {
          Channel<Integer> c = channel(0);
          Forked<Integer> receiver =
              Forked.start(
                  () -> {
                    try {
                      return c.receive();
                    } catch (InterruptedException e) {
                      return -1;
                    }
                  });
          Forked<Void> interrupter =
              Forked.start(
                  () -> {
                    receiver.interrupt();
                    return null;
                  });
          boolean sent = c.trySend(5);
          interrupter.result();
          int received = receiver.result();
          check(
              sent ? received == 5 : received == -1,
              "send returned " + sent + ", received",
              received);
        });
  }

  /**
   * A blocking send on a full channel interrupted while a {@code tryReceive} makes room: the send
   * either got in (its element is received after the buffered one) or threw {@link
   * InterruptedException} and its element is nowhere.
   */
  @Test
  void interruptedSendDidNotSend() {
    exploreWith(
        SPIN_TOLERANT,
        () -> {
          Channel<Integer> c = channel(1);
          check(c.trySend(1), "fill");
          Forked<Boolean> sender =
              Forked.start(
                  () -> {
                    try {
                      c.send(2);
                      return true;
                    } catch (InterruptedException e) {
                      return false;
                    }
                  });
          Forked<Integer> receiver = Forked.start(c::tryReceive);
          Forked<Void> interrupter =
              Forked.start(
                  () -> {
                    sender.interrupt();
                    return null;
                  });
          interrupter.result();
          boolean sent = sender.result();
          List<Integer> all = new ArrayList<>();
          Integer first = receiver.result();
          if (first != null) {
            all.add(first);
          }
          all.addAll(drain(c));
          check(all.equals(sent ? List.of(1, 2) : List.of(1)), "send returned " + sent, all);
        });
  }

  private static boolean trySendOrClosed(Channel<Integer> c, int e) {
    try {
      return c.trySend(e);
    } catch (ChannelClosedException closed) {
      return false;
    }
  }
}
