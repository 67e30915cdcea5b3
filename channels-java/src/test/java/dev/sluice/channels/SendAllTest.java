package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Sender#sendAll(Iterable)} at capacities 0, 1, 16 and unbounded: every element in order,
 * waiting while full, and an exact count of what was sent when an interrupt, a close or a null
 * element stops it part-way.
 */
class SendAllTest {
  private static Channel<Integer> channel(int capacity) {
    return capacity == 0
        ? Channel.rendezvous()
        : capacity == Integer.MAX_VALUE ? Channel.unbounded() : Channel.bounded(capacity);
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /** Receives until {@code n} elements came, or fails after 10 s without one. */
  private static List<Integer> receive(Channel<Integer> ch, int n) throws InterruptedException {
    List<Integer> got = new ArrayList<>();
    while (got.size() < n) {
      assertTrue(
          ch.receiveMany(got, n - got.size(), Duration.ofSeconds(10)) > 0, "stuck at " + got);
    }
    return got;
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void sendsEveryElementInOrder_waitingWhileFull(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Integer> sender = TestThreads.start(() -> ch.sendAll(range(0, 100)));
    assertEquals(range(0, 100), receive(ch, 100));
    assertEquals(100, sender.join());
    assertEquals(0, ch.size());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16})
  void interruptedWhileWaiting_countsWhatWasSent(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Integer> sender =
        TestThreads.start(() -> ch.sendAll(range(0, capacity + 5))).awaitParked();
    sender.thread().interrupt();
    InterruptedSendException e = assertThrows(InterruptedSendException.class, sender::join);
    assertEquals(capacity, e.sent(), "the buffer took that many, the next one waited");
    assertEquals(range(0, capacity), receive(ch, capacity));
    assertEquals(0, ch.size(), "nothing after the interrupted element was sent");
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void interruptedBeforehand_sendsNothing(int capacity) {
    Channel<Integer> ch = channel(capacity);
    Thread.currentThread().interrupt();
    InterruptedSendException e =
        assertThrows(InterruptedSendException.class, () -> ch.sendAll(List.of(1, 2)));
    assertEquals(0, e.sent());
    assertFalse(Thread.interrupted(), "thrown with the status cleared");
    assertEquals(0, ch.size());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16})
  void closedPartWay_returnsTheCount(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Integer> sender =
        TestThreads.start(() -> ch.sendAll(range(0, capacity + 5))).awaitParked();
    ch.close();
    assertEquals(capacity, sender.join());
    assertEquals(range(0, capacity), receive(ch, capacity));
    assertTrue(ch.isClosedForReceive());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void closedBeforehand_throws(int capacity) {
    Channel<Integer> ch = channel(capacity);
    ch.close();
    assertThrows(ChannelClosedException.class, () -> ch.sendAll(List.of(1)));
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, Integer.MAX_VALUE})
  void nullElement_throwsAfterSendingTheOnesBefore(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> ch.sendAll(Arrays.asList(7, null, 8)));
    assertTrue(e.getMessage().contains("1 before it were sent"), e.getMessage());
    assertEquals(List.of(7), receive(ch, 1));
    assertEquals(0, ch.size());
    assertThrows(NullPointerException.class, () -> ch.sendAll(null));
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, 1024, Integer.MAX_VALUE})
  void manyProducersSendingAll_everyElementOnce_eachProducersInItsOrder(int capacity)
      throws Exception {
    Channel<Integer> ch = channel(capacity);
    int producers = 3;
    int each = capacity == 1 ? 3_000 : 20_000; // at 1 place every element is a hand-off
    List<TestThreads.Started<Integer>> senders = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      senders.add(TestThreads.start(() -> ch.sendAll(range(base, base + each))));
    }
    // Runs of one producer's elements go in whole; another's may come between two runs.
    List<Integer> got = receive(ch, producers * each);
    int[] last = new int[producers];
    Arrays.fill(last, -1);
    boolean[] seen = new boolean[producers * each];
    for (int e : got) {
      assertFalse(seen[e], "received twice: " + e);
      seen[e] = true;
      int p = e / each;
      assertTrue(e > last[p], "producer " + p + "'s " + e + " came after its " + last[p]);
      last[p] = e;
    }
    for (TestThreads.Started<Integer> s : senders) {
      assertEquals(each, s.join());
    }
    assertEquals(0, ch.size());
  }
}
