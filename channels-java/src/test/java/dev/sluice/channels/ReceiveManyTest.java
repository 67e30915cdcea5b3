package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every promise of the batch receives ({@link Receiver#receiveMany(Collection, int)}, its timed,
 * try and async forms) at capacities 0, 1, 16 and unbounded: the oldest elements in order, up to
 * {@code max}, each taken once, waiting senders served, nothing lost when the caller's collection
 * refuses an element or a future is withdrawn.
 */
class ReceiveManyTest {
  private static final Duration SHORT = Duration.ofMillis(20);

  private static Channel<Integer> channel(int capacity) {
    return capacity == 0
        ? Channel.rendezvous()
        : capacity == Integer.MAX_VALUE ? Channel.unbounded() : Channel.bounded(capacity);
  }

  /**
   * Puts {@code 0..n-1} in the channel: buffered, or, past the buffer, in sends that wait (async
   * ones, so that nothing blocks the test). Returns the waiting sends.
   */
  private static List<CompletableFuture<Void>> offer(Channel<Integer> ch, int n) {
    List<CompletableFuture<Void>> waiting = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!ch.trySend(i)) {
        waiting.add(ch.sendAsync(i));
      }
    }
    return waiting;
  }

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void badInput_throwsAndTakesNothing(int capacity) {
    Channel<Integer> ch = channel(capacity);
    offer(ch, 3);
    List<Integer> into = new ArrayList<>();
    assertThrows(NullPointerException.class, () -> ch.receiveMany(null, 1));
    assertThrows(NullPointerException.class, () -> ch.receiveMany(null, 1, SHORT));
    assertThrows(NullPointerException.class, () -> ch.receiveMany(into, 1, null));
    assertThrows(NullPointerException.class, () -> ch.tryReceiveMany(null, 1));
    assertThrows(IllegalArgumentException.class, () -> ch.receiveMany(into, 0));
    assertThrows(IllegalArgumentException.class, () -> ch.receiveMany(into, -1, SHORT));
    assertThrows(IllegalArgumentException.class, () -> ch.tryReceiveMany(into, 0));
    assertThrows(IllegalArgumentException.class, () -> ch.receiveManyAsync(0));
    assertTrue(into.isEmpty());
    List<Integer> all = new ArrayList<>();
    assertEquals(3, ch.tryReceiveMany(all, 10));
    assertEquals(range(0, 3), all, "the bad calls took nothing");
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void tryReceiveMany_takesTheOldestUpToMax_inOrder_andServesWaitingSenders(int capacity)
      throws Exception {
    Channel<Integer> ch = channel(capacity);
    List<CompletableFuture<Void>> waiting = offer(ch, 20);
    List<Integer> into = new ArrayList<>(List.of(-1));
    assertEquals(7, ch.tryReceiveMany(into, 7));
    assertEquals(List.of(-1, 0, 1, 2, 3, 4, 5, 6), into, "appended, oldest first");
    List<Integer> rest = new ArrayList<>();
    assertEquals(13, ch.tryReceiveMany(rest, 100));
    assertEquals(range(7, 20), rest);
    for (CompletableFuture<Void> send : waiting) {
      assertNull(send.get(5, TimeUnit.SECONDS), "every waiting send was served");
    }
    assertEquals(0, ch.tryReceiveMany(rest, 5), "empty now");
    assertEquals(0, ch.size());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void closedChannel_batchesDrainThenThrow(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    offer(ch, capacity == 0 ? 0 : Math.min(capacity, 5));
    int buffered = ch.size();
    ch.close(new IllegalStateException("done"));
    List<Integer> into = new ArrayList<>();
    if (buffered > 0) {
      assertEquals(buffered, ch.receiveMany(into, 100));
      assertEquals(range(0, buffered), into);
    }
    ChannelClosedException e =
        assertThrows(ChannelClosedException.class, () -> ch.receiveMany(into, 5));
    assertEquals("done", e.getCause().getMessage());
    assertThrows(ChannelClosedException.class, () -> ch.receiveMany(into, 5, SHORT));
    assertThrows(ChannelClosedException.class, () -> ch.tryReceiveMany(into, 5));
    ExecutionException async =
        assertThrows(
            ExecutionException.class, () -> ch.receiveManyAsync(5).get(5, TimeUnit.SECONDS));
    assertInstanceOf(ChannelClosedException.class, async.getCause());
    assertEquals(buffered, into.size(), "nothing more was added");
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void receiveMany_waitsForTheFirst_thenTakesWhatIsThere(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    List<Integer> into = new ArrayList<>();
    TestThreads.Started<Integer> batch =
        TestThreads.start(() -> ch.receiveMany(into, 10)).awaitParked();
    ch.send(42);
    assertEquals(1, batch.join());
    assertEquals(List.of(42), into);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void timedReceiveMany_timesOut_withZero_andTakesNothing(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    List<Integer> into = new ArrayList<>();
    assertEquals(0, ch.receiveMany(into, 4, SHORT));
    assertEquals(0, ch.receiveMany(into, 4, Duration.ZERO));
    assertEquals(0, ch.receiveMany(into, 4, Duration.ofSeconds(Long.MIN_VALUE / 2)));
    offer(ch, 3);
    assertEquals(3, ch.receiveMany(into, 4, Duration.ofSeconds(Long.MAX_VALUE / 2)));
    assertEquals(range(0, 3), into);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void interruptedReceiveMany_throws_takesNothing_andClearsTheFlag(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    List<Integer> into = new ArrayList<>();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> ch.receiveMany(into, 3));
    assertFalse(Thread.interrupted());
    if (capacity > 0) {
      ch.trySend(-1);
      Thread.currentThread().interrupt();
      assertThrows(
          InterruptedException.class,
          () -> ch.receiveMany(into, 3, Duration.ofSeconds(1)),
          "interrupted before: throws even with an element there, as receive() does");
      assertEquals(-1, ch.tryReceive());
    }
    TestThreads.Started<Integer> waiter =
        TestThreads.start(() -> ch.receiveMany(into, 3)).awaitParked();
    waiter.thread().interrupt();
    assertThrows(InterruptedException.class, waiter::join);
    offer(ch, 1);
    List<Integer> after = new ArrayList<>();
    assertEquals(1, ch.receiveMany(after, 3, Duration.ofSeconds(5)));
    assertEquals(List.of(0), after, "the interrupted batch took nothing");
    assertTrue(into.isEmpty());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void refusedElement_andTheRest_goBackToTheHead_inOrder(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    List<CompletableFuture<Void>> waiting = offer(ch, 6);
    List<Integer> kept = new ArrayList<>();
    Collection<Integer> picky =
        new ArrayList<>() {
          @Override
          public boolean add(Integer e) {
            if (e == 2) {
              throw new IllegalArgumentException("no 2");
            }
            return kept.add(e);
          }
        };
    assertThrows(IllegalArgumentException.class, () -> ch.tryReceiveMany(picky, 5));
    List<Integer> rest = new ArrayList<>();
    while (rest.size() + kept.size() < 6) {
      ch.receiveMany(rest, 10, Duration.ofSeconds(5));
    }
    assertEquals(List.of(0, 1), kept);
    assertEquals(range(2, 6), rest, "2 and everything after it, in order, nothing lost");
    for (CompletableFuture<Void> send : waiting) {
      assertNull(send.get(5, TimeUnit.SECONDS));
    }
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void refusedElement_goesToAWaitingReceive(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    offer(ch, capacity == 0 ? 2 : Math.min(capacity, 2));
    int there = ch.capacity() == 0 ? 2 : Math.min(capacity, 2);
    Collection<Integer> refusing =
        new ArrayList<>() {
          @Override
          public boolean add(Integer e) {
            throw new UnsupportedOperationException("read-only");
          }
        };
    assertThrows(UnsupportedOperationException.class, () -> ch.tryReceiveMany(refusing, 5));
    List<Integer> got = new ArrayList<>();
    while (got.size() < there) {
      got.add(ch.receive(Duration.ofSeconds(5)));
    }
    assertEquals(range(0, there), got);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void receiveManyAsync_completesWithABatch_orWithTheFirstToCome(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    CompletableFuture<List<Integer>> later = ch.receiveManyAsync(8);
    assertFalse(later.isDone());
    ch.send(7);
    assertEquals(List.of(7), later.get(5, TimeUnit.SECONDS));
    offer(ch, 5);
    assertEquals(range(0, 3), ch.receiveManyAsync(3).get(5, TimeUnit.SECONDS));
    assertEquals(range(3, 5), ch.receiveManyAsync(3).get(5, TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void cancelledReceiveManyAsync_takesNothing(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    CompletableFuture<List<Integer>> batch = ch.receiveManyAsync(4);
    assertTrue(batch.cancel(false));
    offer(ch, 1);
    assertEquals(List.of(0), ch.receiveManyAsync(4).get(5, TimeUnit.SECONDS));
  }

  @Test
  void unboundedBatch_largerThanAStep_takesEverythingInOrder() throws Exception {
    Channel<Integer> ch = Channel.unbounded();
    offer(ch, 5_000);
    List<Integer> into = new ArrayList<>();
    assertEquals(5_000, ch.receiveMany(into, Integer.MAX_VALUE));
    assertEquals(range(0, 5_000), into);
  }

  @Test
  void oneshot_batchOfOne() throws Exception {
    Oneshot<String> one = Oneshot.create();
    List<String> into = new ArrayList<>();
    assertEquals(0, one.tryReceiveMany(into, 3));
    one.send("v");
    assertEquals(1, one.receiveMany(into, 3));
    assertEquals(List.of("v"), into);
    assertThrows(ChannelClosedException.class, () -> one.receiveMany(into, 3, SHORT));
  }
}
