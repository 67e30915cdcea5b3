package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every timed operation of every kind at the edges of {@link Duration}: zero, a little negative,
 * hugely negative (whose nanoseconds do not fit in a {@code long}) and hugely positive.
 *
 * <p>A zero or negative timeout is the try form: it never waits, it still takes or sends when the
 * channel is ready, and it still throws on an interrupt it finds. A huge timeout waits as long as
 * it takes, and ends as an untimed operation would: with the element, the close or the interrupt.
 *
 * <p>These tests assert what the operations do, never how long they take. {@link #withoutHanging}
 * guards the calls that must not wait, so that a wait turns into a failure after {@link
 * #HANG_GUARD} instead of a hung build; the bound is generous and says nothing about speed.
 */
class TimeoutsTest {
  /** How long a call that must not wait may take before the test calls it hung: a guard only. */
  private static final Duration HANG_GUARD = Duration.ofSeconds(10);

  /** Rendezvous, one slot and unbounded: the three ways the engine stores (or does not store). */
  private static final int[] CAPACITIES = {0, 1, Integer.MAX_VALUE};

  /** The bounded capacities, where a send can find the channel full. */
  private static final int[] BOUNDED = {0, 1};

  // --- the timeouts -----------------------------------------------------------------------------

  /**
   * Timeouts that are already over. The last three are hugely negative: {@code ofNanos(MIN_VALUE)}
   * is the most negative that {@link Duration#toNanos()} can return, the other two overflow it.
   */
  static Stream<Duration> nonPositive() {
    return Stream.of(
        Duration.ZERO,
        Duration.ofNanos(-1),
        Duration.ofSeconds(-1),
        Duration.ofNanos(Long.MIN_VALUE),
        Duration.ofSeconds(Long.MIN_VALUE / 2),
        Duration.ofSeconds(Long.MIN_VALUE)); // the most negative Duration there is
  }

  /** Timeouts no test outlives: the first fits {@link Duration#toNanos()}, the rest overflow it. */
  static Stream<Duration> huge() {
    return Stream.of(
        Duration.ofNanos(Long.MAX_VALUE),
        Duration.ofSeconds(Long.MAX_VALUE / 2),
        Duration.ofSeconds(Long.MAX_VALUE),
        Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)); // the longest Duration there is
  }

  static Stream<Arguments> everyCapacityNonPositive() {
    return cross(CAPACITIES, TimeoutsTest::nonPositive);
  }

  static Stream<Arguments> boundedNonPositive() {
    return cross(BOUNDED, TimeoutsTest::nonPositive);
  }

  static Stream<Arguments> everyCapacityHuge() {
    return cross(CAPACITIES, TimeoutsTest::huge);
  }

  static Stream<Arguments> boundedHuge() {
    return cross(BOUNDED, TimeoutsTest::huge);
  }

  private static Stream<Arguments> cross(int[] capacities, Supplier<Stream<Duration>> timeouts) {
    return IntStream.of(capacities)
        .boxed()
        .flatMap(c -> timeouts.get().map(t -> Arguments.of(c, t)));
  }

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * Runs {@code op}, which must return without waiting, and returns its result or rethrows its
   * exception. If it waits instead, the test fails after {@link #HANG_GUARD}. The op runs in
   * another thread: an op that needs an interrupt sets it itself.
   */
  private static <T> T withoutHanging(ThrowingSupplier<T> op) {
    return assertTimeoutPreemptively(HANG_GUARD, op, "a timeout that is already over waited");
  }

  private static Channel<Integer> channel(int capacity) {
    return Channel.<Integer>builder().capacity(capacity).build();
  }

  /** Fills {@code ch}: nothing to do for a rendezvous channel, which is always full. */
  private static void fill(Channel<Integer> ch) {
    for (int i = 0; i < ch.capacity(); i++) {
      assertTrue(ch.trySend(i));
    }
  }

  /**
   * Makes {@code element} ready for a receive on {@code ch}: buffered, or for a rendezvous channel
   * held by a sender parked in it.
   *
   * @return the parked sender, or {@code null} if the element is buffered
   */
  private static TestThreads.@Nullable Started<Void> readyToReceive(
      Channel<Integer> ch, int element) {
    if (ch.capacity() > 0) {
      assertTrue(ch.trySend(element));
      return null;
    }
    return TestThreads.<Void>start(
            () -> {
              ch.send(element);
              return null;
            })
        .awaitParked();
  }

  /**
   * Makes {@code ch} ready for a send: empty, or for a rendezvous channel with a receiver parked in
   * it.
   *
   * @return the parked receiver, or {@code null} if the channel has room
   */
  private static TestThreads.@Nullable Started<Integer> readyToSend(Channel<Integer> ch) {
    return ch.capacity() > 0 ? null : TestThreads.start(ch::receive).awaitParked();
  }

  /** Selects a receive from {@code ch} ({@code "element e"}) or the timeout ({@code "timeout"}). */
  private static String selectReceiveOrTimeout(Channel<Integer> ch, Duration timeout)
      throws InterruptedException {
    return Select.select(
        ch.onReceive(e -> "element " + e), Select.onTimeout(timeout, () -> "timeout"));
  }

  /** As {@link #selectReceiveOrTimeout}, asynchronously. */
  private static CompletableFuture<String> selectAsyncReceiveOrTimeout(
      Channel<Integer> ch, Duration timeout) {
    return Select.selectAsync(
        ch.onReceive(e -> "element " + e), Select.onTimeout(timeout, () -> "timeout"));
  }

  // --- Channel.receive(Duration) ----------------------------------------------------------------

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityNonPositive")
  void channelReceive_nonPositiveTimeoutWhenEmpty_returnsNull(int capacity, Duration timeout) {
    Channel<Integer> ch = channel(capacity);
    assertNull(withoutHanging(() -> ch.receive(timeout)));
    assertTrue(ch.isEmpty());
    assertEquals(capacity > 0, ch.trySend(1), "the timed-out receive left no waiter behind");
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityNonPositive")
  void channelReceive_nonPositiveTimeoutWhenReady_takesTheElement(int capacity, Duration timeout)
      throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Void> sender = readyToReceive(ch, 7);
    assertEquals(7, withoutHanging(() -> ch.receive(timeout)));
    if (sender != null) {
      sender.join();
    }
    assertTrue(ch.isEmpty());
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityNonPositive")
  void channelReceive_nonPositiveTimeoutWhenInterrupted_throwsAndTakesNothing(
      int capacity, Duration timeout) throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Void> sender = readyToReceive(ch, 7);
    assertThrows(
        InterruptedException.class,
        () ->
            withoutHanging(
                () -> {
                  Thread.currentThread().interrupt();
                  return ch.receive(timeout);
                }));
    assertEquals(7, ch.tryReceive(), "the element is still there");
    if (sender != null) {
      sender.join();
    }
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityHuge")
  void channelReceive_hugeTimeout_returnsTheElementSentWhileWaiting(int capacity, Duration timeout)
      throws Exception {
    Channel<Integer> ch = channel(capacity);
    var receiver = TestThreads.start(() -> ch.receive(timeout)).awaitParked();
    ch.send(3);
    assertEquals(3, receiver.join());
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityHuge")
  void channelReceive_hugeTimeoutWhenClosedWhileWaiting_throwsClosed(
      int capacity, Duration timeout) {
    Channel<Integer> ch = channel(capacity);
    var receiver = TestThreads.start(() -> ch.receive(timeout)).awaitParked();
    assertTrue(ch.close());
    assertThrows(ChannelClosedException.class, receiver::join);
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityHuge")
  void channelReceive_hugeTimeoutWhenInterruptedWhileWaiting_throwsInterrupted(
      int capacity, Duration timeout) {
    Channel<Integer> ch = channel(capacity);
    var receiver = TestThreads.start(() -> ch.receive(timeout)).awaitParked();
    receiver.thread().interrupt();
    assertThrows(InterruptedException.class, receiver::join);
  }

  // --- Channel.send(E, Duration) ----------------------------------------------------------------

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("boundedNonPositive")
  void channelSend_nonPositiveTimeoutWhenFull_returnsFalseAndSendsNothing(
      int capacity, Duration timeout) {
    Channel<Integer> ch = channel(capacity);
    fill(ch);
    assertFalse(withoutHanging(() -> ch.send(9, timeout)));
    assertEquals(capacity, ch.size());
    for (int i = 0; i < capacity; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive(), "the timed-out send left no waiter behind");
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityNonPositive")
  void channelSend_nonPositiveTimeoutWhenReady_sends(int capacity, Duration timeout)
      throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Integer> receiver = readyToSend(ch);
    assertTrue(withoutHanging(() -> ch.send(5, timeout)));
    assertEquals(5, receiver != null ? receiver.join() : ch.tryReceive());
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("everyCapacityNonPositive")
  void channelSend_nonPositiveTimeoutWhenInterrupted_throwsAndSendsNothing(
      int capacity, Duration timeout) throws Exception {
    Channel<Integer> ch = channel(capacity);
    TestThreads.Started<Integer> receiver = readyToSend(ch);
    assertThrows(
        InterruptedException.class,
        () ->
            withoutHanging(
                () -> {
                  Thread.currentThread().interrupt();
                  return ch.send(5, timeout);
                }));
    if (receiver != null) {
      ch.send(6);
      assertEquals(6, receiver.join(), "the receiver still waited: 5 was not handed over");
    } else {
      assertTrue(ch.isEmpty());
    }
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("boundedHuge")
  void channelSend_hugeTimeoutWhenFull_sendsOnceThereIsRoom(int capacity, Duration timeout)
      throws Exception {
    Channel<Integer> ch = channel(capacity);
    fill(ch);
    var sender = TestThreads.start(() -> ch.send(9, timeout)).awaitParked();
    for (int i = 0; i < capacity; i++) {
      assertEquals(i, ch.receive());
    }
    assertEquals(9, ch.receive());
    assertTrue(sender.join());
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("boundedHuge")
  void channelSend_hugeTimeoutWhenClosedWhileWaiting_throwsClosed(int capacity, Duration timeout) {
    Channel<Integer> ch = channel(capacity);
    fill(ch);
    var sender = TestThreads.start(() -> ch.send(9, timeout)).awaitParked();
    assertTrue(ch.close());
    assertThrows(ChannelClosedException.class, sender::join);
    assertEquals(capacity, ch.size(), "the waiting element stayed with its sender");
  }

  @ParameterizedTest(name = "capacity {0}, {1}")
  @MethodSource("boundedHuge")
  void channelSend_hugeTimeoutWhenInterruptedWhileWaiting_throwsInterrupted(
      int capacity, Duration timeout) {
    Channel<Integer> ch = channel(capacity);
    fill(ch);
    var sender = TestThreads.start(() -> ch.send(9, timeout)).awaitParked();
    sender.thread().interrupt();
    assertThrows(InterruptedException.class, sender::join);
    assertEquals(capacity, ch.size());
  }

  // --- Broadcast.Subscriber.receive(Duration) ---------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void broadcastReceive_nonPositiveTimeoutWhenNothingWasSent_returnsNull(Duration timeout) {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    assertNull(withoutHanging(() -> s.receive(timeout)));
    assertTrue(s.isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void broadcastReceive_nonPositiveTimeoutWhenAnElementWaits_takesIt(Duration timeout) {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    b.send(1);
    b.send(2);
    assertEquals(1, withoutHanging(() -> s.receive(timeout)));
    assertEquals(2, withoutHanging(() -> s.receive(timeout)));
    assertNull(withoutHanging(() -> s.receive(timeout)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void broadcastReceive_nonPositiveTimeoutWhenInterrupted_throwsAndTakesNothing(Duration timeout) {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    b.send(1);
    assertThrows(
        InterruptedException.class,
        () ->
            withoutHanging(
                () -> {
                  Thread.currentThread().interrupt();
                  return s.receive(timeout);
                }));
    assertEquals(1, s.size(), "the element is still there");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void broadcastReceive_hugeTimeout_returnsTheElementSentWhileWaiting(Duration timeout)
      throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    var receiver = TestThreads.start(() -> s.receive(timeout)).awaitParked();
    b.send(3);
    assertEquals(3, receiver.join());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void broadcastReceive_hugeTimeoutWhenClosedWhileWaiting_throwsClosed(Duration timeout) {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    var receiver = TestThreads.start(() -> s.receive(timeout)).awaitParked();
    assertTrue(b.close());
    assertThrows(ChannelClosedException.class, receiver::join);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void broadcastReceive_hugeTimeoutWhenInterruptedWhileWaiting_throwsInterrupted(Duration timeout) {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    var receiver = TestThreads.start(() -> s.receive(timeout)).awaitParked();
    receiver.thread().interrupt();
    assertThrows(InterruptedException.class, receiver::join);
  }

  // --- Watch.Reader.changed(Duration) -----------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void watchChanged_nonPositiveTimeoutWhenNothingChanged_returnsNull(Duration timeout) {
    Watch<Integer> w = Watch.create(0);
    Watch.Reader<Integer> r = w.subscribe();
    assertNull(withoutHanging(() -> r.changed(timeout)));
    assertFalse(r.hasChanged());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void watchChanged_nonPositiveTimeoutAfterASet_returnsTheValue(Duration timeout) {
    Watch<Integer> w = Watch.create(0);
    Watch.Reader<Integer> r = w.subscribe();
    w.set(1);
    assertEquals(1, withoutHanging(() -> r.changed(timeout)));
    assertNull(withoutHanging(() -> r.changed(timeout)), "seen now");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void watchChanged_nonPositiveTimeoutWhenInterrupted_throwsAndMarksNothing(Duration timeout) {
    Watch<Integer> w = Watch.create(0);
    Watch.Reader<Integer> r = w.subscribe();
    w.set(1);
    assertThrows(
        InterruptedException.class,
        () ->
            withoutHanging(
                () -> {
                  Thread.currentThread().interrupt();
                  return r.changed(timeout);
                }));
    assertTrue(r.hasChanged(), "the change is still unseen");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void watchChanged_hugeTimeout_returnsTheValueSetWhileWaiting(Duration timeout) throws Exception {
    Watch<Integer> w = Watch.create(0);
    Watch.Reader<Integer> r = w.subscribe();
    var reader = TestThreads.start(() -> r.changed(timeout)).awaitParked();
    w.set(3);
    assertEquals(3, reader.join());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void watchChanged_hugeTimeoutWhenClosedWhileWaiting_throwsClosed(Duration timeout) {
    Watch<Integer> w = Watch.create(0);
    Watch.Reader<Integer> r = w.subscribe();
    var reader = TestThreads.start(() -> r.changed(timeout)).awaitParked();
    assertTrue(w.close());
    assertThrows(ChannelClosedException.class, reader::join);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void watchChanged_hugeTimeoutWhenInterruptedWhileWaiting_throwsInterrupted(Duration timeout) {
    Watch<Integer> w = Watch.create(0);
    Watch.Reader<Integer> r = w.subscribe();
    var reader = TestThreads.start(() -> r.changed(timeout)).awaitParked();
    reader.thread().interrupt();
    assertThrows(InterruptedException.class, reader::join);
  }

  // --- Oneshot.receive(Duration) ----------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void oneshotReceive_nonPositiveTimeoutBeforeTheValue_returnsNull(Duration timeout) {
    Oneshot<String> o = Oneshot.create();
    assertNull(withoutHanging(() -> o.receive(timeout)));
    assertFalse(o.isClosedForReceive());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void oneshotReceive_nonPositiveTimeoutWhenTheValueIsThere_takesIt(Duration timeout) {
    Oneshot<String> o = Oneshot.create();
    o.send("v");
    assertEquals("v", withoutHanging(() -> o.receive(timeout)));
    assertTrue(o.isClosedForReceive());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void oneshotReceive_nonPositiveTimeoutWhenInterrupted_throwsAndTakesNothing(Duration timeout) {
    Oneshot<String> o = Oneshot.create();
    o.send("v");
    assertThrows(
        InterruptedException.class,
        () ->
            withoutHanging(
                () -> {
                  Thread.currentThread().interrupt();
                  return o.receive(timeout);
                }));
    assertEquals("v", o.tryReceive(), "the value is still there");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void oneshotReceive_hugeTimeout_returnsTheValueSentWhileWaiting(Duration timeout)
      throws Exception {
    Oneshot<String> o = Oneshot.create();
    var receiver = TestThreads.start(() -> o.receive(timeout)).awaitParked();
    o.send("late");
    assertEquals("late", receiver.join());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void oneshotReceive_hugeTimeoutWhenClosedWhileWaiting_throwsClosed(Duration timeout) {
    Oneshot<String> o = Oneshot.create();
    var receiver = TestThreads.start(() -> o.receive(timeout)).awaitParked();
    assertTrue(o.close());
    assertThrows(ChannelClosedException.class, receiver::join);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void oneshotReceive_hugeTimeoutWhenInterruptedWhileWaiting_throwsInterrupted(Duration timeout) {
    Oneshot<String> o = Oneshot.create();
    var receiver = TestThreads.start(() -> o.receive(timeout)).awaitParked();
    receiver.thread().interrupt();
    assertThrows(InterruptedException.class, receiver::join);
  }

  // --- Select.onTimeout(Duration, ...) ----------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void selectOnTimeout_nonPositiveWhenNothingIsReady_choosesTheTimeout(Duration timeout) {
    Channel<Integer> ch = channel(1);
    String r = withoutHanging(() -> selectReceiveOrTimeout(ch, timeout));
    assertEquals("timeout", r);
    assertTrue(ch.trySend(1), "the select left no receive behind");
    assertEquals(1, ch.tryReceive());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void selectOnTimeout_nonPositiveWhenAClauseIsReady_choosesTheClause(Duration timeout) {
    Channel<Integer> ch = channel(1);
    assertTrue(ch.trySend(1));
    String r =
        withoutHanging(
            () ->
                Select.select(
                    Select.onTimeout(timeout, () -> "timeout"), ch.onReceive(e -> "element " + e)));
    assertEquals("element 1", r, "the timeout is ready only after the other clauses were tried");
    assertTrue(ch.isEmpty());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void selectOnTimeout_nonPositiveWhenInterrupted_throwsAndTakesNothing(Duration timeout) {
    Channel<Integer> ch = channel(1);
    assertTrue(ch.trySend(1));
    assertThrows(
        InterruptedException.class,
        () ->
            withoutHanging(
                () -> {
                  Thread.currentThread().interrupt();
                  return selectReceiveOrTimeout(ch, timeout);
                }));
    assertEquals(1, ch.tryReceive(), "the element is still there");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nonPositive")
  void selectAsyncOnTimeout_nonPositiveWhenNothingIsReady_completesWithTheTimeout(Duration timeout)
      throws Exception {
    Channel<Integer> ch = channel(1);
    CompletableFuture<String> r = selectAsyncReceiveOrTimeout(ch, timeout);
    assertEquals("timeout", r.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void selectOnTimeout_huge_returnsTheClauseThatBecomesReady(Duration timeout) throws Exception {
    Channel<Integer> ch = channel(0);
    var selecting = TestThreads.start(() -> selectReceiveOrTimeout(ch, timeout)).awaitParked();
    ch.send(4);
    assertEquals("element 4", selecting.join());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void selectOnTimeout_hugeWhenClosedWhileWaiting_throwsClosed(Duration timeout) {
    Channel<Integer> ch = channel(0);
    var selecting = TestThreads.start(() -> selectReceiveOrTimeout(ch, timeout)).awaitParked();
    assertTrue(ch.close());
    assertThrows(ChannelClosedException.class, selecting::join);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void selectOnTimeout_hugeWhenInterruptedWhileWaiting_throwsInterrupted(Duration timeout) {
    Channel<Integer> ch = channel(0);
    var selecting = TestThreads.start(() -> selectReceiveOrTimeout(ch, timeout)).awaitParked();
    selecting.thread().interrupt();
    assertThrows(InterruptedException.class, selecting::join);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("huge")
  void selectAsyncOnTimeout_huge_completesWithTheClauseThatBecomesReady(Duration timeout)
      throws Exception {
    Channel<Integer> ch = channel(0);
    CompletableFuture<String> r = selectAsyncReceiveOrTimeout(ch, timeout);
    assertFalse(r.isDone());
    ch.send(4);
    assertEquals("element 4", r.get(HANG_GUARD.toSeconds(), TimeUnit.SECONDS));
  }
}
