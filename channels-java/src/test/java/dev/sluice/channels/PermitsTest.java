package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Permits ({@link Sender#reserve()} and its kin): a permit holds one place, so that held places
 * plus buffered elements never exceed the capacity; its send never waits; its release gives the
 * place to the oldest waiting send; a close voids it. At capacities 1, 16 and unbounded (and 20
 * 000, past the largest ring), and the refusal on rendezvous and dropping channels.
 */
class PermitsTest {
  private static final Duration SHORT = Duration.ofMillis(20);

  private static Channel<Integer> channel(int capacity) {
    return capacity == 0
        ? Channel.rendezvous()
        : capacity == Integer.MAX_VALUE ? Channel.unbounded() : Channel.bounded(capacity);
  }

  /** Fills a bounded channel to {@code capacity - free} elements 0, 1, 2, ... */
  private static void fillLeaving(Channel<Integer> ch, int free) {
    for (int i = 0; i < ch.capacity() - free; i++) {
      assertTrue(ch.trySend(i));
    }
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, 20_000, Integer.MAX_VALUE}) // 20 000: the linked lane of large ones
  void everyForm_givesAPermitWhoseSendIsReceived(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    List<Integer> got = new ArrayList<>();
    ch.reserve().send(1);
    if (capacity == 1) {
      assertNull(ch.tryReserve(), "the buffer is full: no place to reserve");
      got.add(ch.receive());
    }
    Permit<Integer> timed = ch.reserve(Duration.ofSeconds(1));
    assertNotNull(timed);
    timed.send(2);
    if (capacity == 1) {
      got.add(ch.receive());
    }
    Permit<Integer> now = ch.tryReserve();
    assertNotNull(now);
    now.send(3);
    if (capacity == 1) {
      got.add(ch.receive());
    }
    ch.reserveAsync().get(10, TimeUnit.SECONDS).send(4);
    while (got.size() < 4) {
      got.add(ch.receive());
    }
    assertEquals(List.of(1, 2, 3, 4), got);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, 20_000})
  void heldPlaces_countAsTaken(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    fillLeaving(ch, 1);
    Permit<Integer> permit = ch.tryReserve();
    assertNotNull(permit);
    assertFalse(ch.trySend(99), "the last place is held by the permit");
    assertNull(ch.tryReserve());
    assertFalse(ch.send(99, SHORT));
    assertNull(ch.reserve(SHORT));
    assertEquals(capacity - 1, ch.size(), "a held place is not an element");
    permit.send(-1);
    assertEquals(capacity, ch.size());
    for (int i = 0; i < capacity - 1; i++) {
      assertEquals(i, ch.receive());
    }
    assertEquals(-1, ch.receive());
  }

  @Test
  void permitsHeldTogether_neverExceedTheCapacity() throws Exception {
    Channel<Integer> ch = channel(16);
    List<Permit<Integer>> held = new ArrayList<>();
    for (Permit<Integer> p; (p = ch.tryReserve()) != null; ) {
      held.add(p);
    }
    assertEquals(16, held.size());
    assertFalse(ch.trySend(1));
    held.remove(0).release();
    assertTrue(ch.trySend(1), "a released place is free again");
    assertFalse(ch.trySend(2));
    for (Permit<Integer> p : held) {
      p.send(7);
    }
    assertEquals(16, ch.size());
  }

  @Test
  void moreHeldPlacesThanTheTailCounts_areCountedAllTheSame() throws Exception {
    // The tail word counts up to 15 held places; more are counted under the lock.
    Channel<Integer> ch = channel(100);
    assertTrue(ch.trySend(-1));
    List<Permit<Integer>> held = new ArrayList<>(ch.reserveMany(60));
    for (Permit<Integer> p; (p = ch.tryReserve()) != null; ) {
      held.add(p);
    }
    assertEquals(99, held.size(), "every place but the buffered one");
    assertFalse(ch.trySend(1));
    assertNull(ch.tryReserveMany(1));
    var waiting = TestThreads.start(ch::reserve);
    waiting.awaitParked();
    held.remove(held.size() - 1).release(); // the freed place goes to the waiting reserve
    Permit<Integer> granted = waiting.join();
    assertFalse(ch.trySend(1));
    for (int i = 0; i < held.size(); i++) {
      held.get(i).send(i);
    }
    granted.send(1000);
    assertEquals(100, ch.size());
    assertEquals(-1, ch.receive());
    for (int i = 0; i < 98; i++) {
      assertEquals(i, ch.receive());
    }
    assertEquals(1000, ch.receive());
    assertTrue(ch.isEmpty());
    assertTrue(ch.trySend(5), "nothing is held any more");
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {3, 40})
  void producersHoldingManyPermitsAtOnce_loseAndDuplicateNothing(int capacity) throws Exception {
    // At 40 places, four producers holding up to 12 each pass the tail's count of 15.
    Channel<Integer> ch = channel(capacity);
    int producers = 4;
    int each = 6_000;
    List<TestThreads.Started<Integer>> started = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      started.add(
          TestThreads.start(
              () -> {
                java.util.concurrent.ThreadLocalRandom random =
                    java.util.concurrent.ThreadLocalRandom.current();
                int next = 0;
                while (next < each) {
                  int n = Math.min(each - next, 1 + random.nextInt(Math.min(12, capacity)));
                  List<Permit<Integer>> held =
                      random.nextBoolean() ? ch.reserveMany(n) : List.of(ch.reserve());
                  for (Permit<Integer> permit : held) {
                    if (random.nextInt(5) == 0) {
                      permit.release(); // sent later, with another permit
                    } else {
                      permit.send(base + next++);
                    }
                  }
                }
                return each;
              }));
    }
    List<Integer> got = new ArrayList<>();
    while (got.size() < producers * each) {
      assertTrue(ch.receiveMany(got, 64, Duration.ofSeconds(10)) > 0, "stuck at " + got.size());
    }
    boolean[] seen = new boolean[producers * each];
    int[] last = new int[producers];
    java.util.Arrays.fill(last, -1);
    for (int e : got) {
      assertFalse(seen[e], "received twice: " + e);
      seen[e] = true;
      assertTrue(e > last[e / each], "a producer's elements came out of order");
      last[e / each] = e;
    }
    for (TestThreads.Started<Integer> t : started) {
      assertEquals(each, t.join());
    }
    assertTrue(ch.isEmpty());
    assertTrue(ch.toString().endsWith("waitingReceivers=0]"), "nothing held: " + ch);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16})
  void permitSend_neverWaits_andGoesAheadOfAWaitingSend(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    fillLeaving(ch, 1);
    Permit<Integer> permit = ch.reserve();
    var blocked =
        TestThreads.start(
            () -> {
              ch.send(100);
              return true;
            });
    blocked.awaitParked();
    permit.send(-1); // returns at once though a send waits and the buffer is full after it
    List<Integer> got = new ArrayList<>();
    for (int i = 0; i < capacity + 1; i++) {
      got.add(ch.receive());
    }
    assertTrue(blocked.join());
    assertEquals(-1, got.get(capacity - 1), "the permit's element took its held place");
    assertEquals(100, got.get(capacity));
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16})
  void release_givesThePlaceToTheOldestWaitingSend(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    fillLeaving(ch, 1);
    Permit<Integer> permit = ch.reserve();
    var sender =
        TestThreads.start(
            () -> {
              ch.send(100);
              return true;
            });
    sender.awaitParked();
    var reserver = TestThreads.start(ch::reserve);
    reserver.awaitParked();
    assertTrue(permit.release());
    assertTrue(sender.join(), "the oldest waiter, a send, took the released place");
    assertEquals(capacity, ch.size());
    assertFalse(reserver.outcome().isDone(), "nothing is free for the reserve behind it");
    assertEquals(capacity == 1 ? 100 : 0, ch.receive());
    Permit<Integer> second = reserver.join();
    second.send(200);
    List<Integer> rest = new ArrayList<>();
    while (!ch.isEmpty()) {
      rest.add(ch.receive());
    }
    if (capacity > 1) {
      assertEquals(100, rest.get(rest.size() - 2));
    }
    assertEquals(200, rest.get(rest.size() - 1));
  }

  @Test
  void aReceiveFreeingAPlace_grantsAWaitingReserve() throws Exception {
    Channel<Integer> ch = channel(1);
    ch.send(1);
    var reserver = TestThreads.start(ch::reserve);
    reserver.awaitParked();
    CompletableFuture<Permit<Integer>> async = ch.reserveAsync();
    assertFalse(async.isDone());
    assertEquals(1, ch.receive());
    Permit<Integer> first = reserver.join();
    assertFalse(async.isDone(), "one place freed, one reserve granted");
    first.release();
    async.get(10, TimeUnit.SECONDS).send(2);
    assertEquals(2, ch.receive());
  }

  @Test
  void aReceive_takesAWaitingSendsElement_whenEveryPlaceIsHeld() throws Exception {
    Channel<Integer> ch = channel(1);
    Permit<Integer> permit = ch.reserve(); // the buffer is empty, and its one place is held
    var sender =
        TestThreads.start(
            () -> {
              ch.send(5);
              return true;
            });
    sender.awaitParked();
    assertEquals(5, ch.receive(), "handed over directly: it needs no place");
    assertTrue(sender.join());
    permit.send(6);
    assertEquals(6, ch.receive());
  }

  @Test
  void aPermitsSendHandedToAWaitingReceive_freesItsPlaceForAWaitingReserve() throws Exception {
    // Found by the many-permits stress test on CI: the element went to the waiting receive, took
    // no place, and the place its permit held stayed free while a reserve waited for it.
    Channel<Integer> ch = channel(1);
    Permit<Integer> permit = ch.reserve();
    var receiver = TestThreads.start(ch::receive);
    receiver.awaitParked();
    var reserver = TestThreads.start(ch::reserve);
    reserver.awaitParked();
    permit.send(7);
    assertEquals(7, receiver.join());
    Permit<Integer> granted = reserver.join();
    assertFalse(ch.trySend(8), "the freed place is the waiting reserve's");
    granted.release();
  }

  @Test
  void aPermitsSend_handsToAWaitingReceive() throws Exception {
    Channel<Integer> ch = channel(1);
    Permit<Integer> permit = ch.reserve();
    var receiver = TestThreads.start(ch::receive);
    receiver.awaitParked();
    permit.send(9);
    assertEquals(9, receiver.join());
    assertTrue(ch.trySend(10), "the place is free again");
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, Integer.MAX_VALUE})
  void aPermit_isUsedOnce(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    Permit<Integer> sent = ch.reserve();
    assertThrows(NullPointerException.class, () -> sent.send(null));
    sent.send(1); // a null element left the permit unused
    assertThrows(IllegalStateException.class, () -> sent.send(2));
    assertFalse(sent.release());
    sent.close(); // nothing: it was used
    assertEquals(1, ch.receive());
    Permit<Integer> released = ch.reserve();
    assertTrue(released.release());
    assertFalse(released.release());
    assertThrows(IllegalStateException.class, () -> released.send(3));
    assertTrue(ch.isEmpty());
    assertTrue(ch.trySend(4), "the released place is free");
  }

  @Test
  void tryWithResources_givesBackAPermitThatWasNotSent() throws Exception {
    Channel<Integer> ch = channel(1);
    assertThrows(
        IllegalArgumentException.class,
        () -> {
          try (Permit<Integer> permit = ch.reserve()) {
            throw new IllegalArgumentException("the value could not be made: " + permit);
          }
        });
    assertTrue(ch.trySend(1), "the place went back");
    Channel<Integer> other = channel(1);
    try (Permit<Integer> permit = other.reserve()) {
      permit.send(2);
    }
    assertEquals(2, other.receive());
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, Integer.MAX_VALUE})
  void aClose_voidsEveryPermit(int capacity) throws Exception {
    Channel<Integer> ch = channel(capacity);
    Permit<Integer> permit = ch.reserve();
    Permit<Integer> other = ch.reserve(Duration.ofSeconds(1));
    if (capacity == 1) {
      assertNull(other);
    }
    ch.close();
    assertTrue(ch.isClosedForReceive(), "held places are not elements: nothing to drain");
    assertThrows(ChannelClosedException.class, () -> permit.send(1));
    assertThrows(IllegalStateException.class, () -> permit.send(1));
    if (other != null) {
      assertTrue(other.release(), "a void permit's release ends it");
    }
    assertThrows(ChannelClosedException.class, ch::reserve);
    assertThrows(ChannelClosedException.class, ch::tryReserve);
    assertThrows(ExecutionException.class, () -> ch.reserveAsync().get());
  }

  @Test
  void aCancel_voidsPermits_andTheirElementsStayWithTheCaller() throws Exception {
    List<Integer> undelivered = new CopyOnWriteArrayList<>();
    Channel<Integer> ch =
        Channel.<Integer>builder().capacity(2).onUndeliveredElement(undelivered::add).build();
    Permit<Integer> permit = ch.reserve();
    ch.send(1);
    ch.cancel();
    assertThrows(ChannelClosedException.class, () -> permit.send(2));
    assertEquals(List.of(1), undelivered, "only the buffered element was discarded");
  }

  @Test
  void aCloseFailsWaitingReserves() throws Exception {
    Channel<Integer> ch = channel(1);
    ch.send(1);
    var reserver = TestThreads.start(ch::reserve);
    reserver.awaitParked();
    CompletableFuture<Permit<Integer>> async = ch.reserveAsync();
    ch.close();
    assertThrows(ChannelClosedException.class, reserver::join);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> async.get(10, TimeUnit.SECONDS));
    assertInstanceOf(ChannelClosedException.class, e.getCause());
    assertEquals(1, ch.receive(), "the buffered element is still received");
  }

  @Test
  void anInterruptedReserve_holdsNoPlace() throws Exception {
    Channel<Integer> ch = channel(1);
    ch.send(1);
    var reserver = TestThreads.start(ch::reserve);
    reserver.awaitParked();
    reserver.thread().interrupt();
    assertThrows(InterruptedException.class, reserver::join);
    assertEquals(1, ch.receive());
    assertTrue(ch.trySend(2), "the interrupted reserve took no place");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, ch::reserve);
    assertFalse(Thread.interrupted());
  }

  @Test
  void aTimedOutReserve_holdsNoPlace() throws Exception {
    Channel<Integer> ch = channel(1);
    ch.send(1);
    assertNull(ch.reserve(SHORT));
    assertNull(ch.reserve(Duration.ZERO));
    assertEquals(1, ch.receive());
    assertTrue(ch.trySend(2));
  }

  @Test
  void aCancelledReserveAsync_holdsNoPlace_unlessGrantedFirst() throws Exception {
    Channel<Integer> ch = channel(1);
    ch.send(1);
    CompletableFuture<Permit<Integer>> async = ch.reserveAsync();
    assertTrue(async.cancel(false));
    assertEquals(1, ch.receive());
    assertTrue(ch.trySend(2), "the withdrawn reserve took no place");
    assertEquals(2, ch.receive());
    CompletableFuture<Permit<Integer>> granted = ch.reserveAsync(); // a place is free: granted now
    assertFalse(granted.cancel(false), "granted before the cancel");
    assertFalse(ch.trySend(3));
    granted.join().release();
    assertTrue(ch.trySend(3));
  }

  @Test
  void onReserve_winsWhenAPlaceFrees_andHandsThePermitToThen() throws Exception {
    Channel<Integer> ch = channel(1);
    Channel<String> other = Channel.bounded(1);
    ch.send(1);
    var selecting =
        TestThreads.start(
            () ->
                Select.<String>select(
                    ch.onReserve(
                        permit -> {
                          permit.send(2);
                          return "reserved";
                        }),
                    other.onReceive(s -> "received " + s)));
    selecting.awaitParked();
    assertEquals(1, ch.receive());
    assertEquals("reserved", selecting.join());
    assertEquals(2, ch.receive());
    assertTrue(other.trySend("x"));
    assertEquals("x", other.receive(), "the select's losing clause took nothing");
  }

  @Test
  void onReserve_thatLoses_holdsNoPlace_andOneWhoseThenThrows_releases() throws Exception {
    Channel<Integer> ch = channel(1);
    ch.send(1);
    String r = Select.select(ch.onReserve(p -> "reserved"), Select.orElse(() -> "else"));
    assertEquals("else", r);
    assertEquals(1, ch.receive());
    assertThrows(
        IllegalStateException.class,
        () ->
            Select.select(
                ch.onReserve(
                    p -> {
                      throw new IllegalStateException("then failed");
                    })));
    assertTrue(ch.trySend(2), "the permit of a failed then was released");
    ch.close();
    assertThrows(ChannelClosedException.class, () -> Select.select(ch.onReserve(p -> "x")));
  }

  @Test
  void reserveMany_holdsAllItsPlacesAtOnce() throws Exception {
    Channel<Integer> ch = channel(4);
    List<Permit<Integer>> three = ch.reserveMany(3);
    assertEquals(3, three.size());
    assertNull(ch.tryReserveMany(2), "one place is free, not two");
    assertTrue(ch.trySend(0));
    assertFalse(ch.trySend(1));
    for (int i = 0; i < 3; i++) {
      three.get(i).send(i + 1);
    }
    for (int i = 0; i < 4; i++) {
      assertEquals(i, ch.receive());
    }
    List<Permit<Integer>> all = ch.tryReserveMany(4);
    assertNotNull(all);
    all.forEach(Permit::release);
    assertThrows(IllegalArgumentException.class, () -> ch.reserveMany(5));
    assertThrows(IllegalArgumentException.class, () -> ch.tryReserveMany(0));
  }

  @Test
  void aWaitingReserveMany_getsItsPlacesOnceAllAreFree_andSendsGoAheadMeanwhile() throws Exception {
    Channel<Integer> ch = channel(2);
    ch.send(1);
    ch.send(2);
    var many = TestThreads.start(() -> ch.reserveMany(2));
    many.awaitParked();
    assertEquals(1, ch.receive());
    assertFalse(many.outcome().isDone(), "one place is free, two are wanted");
    assertTrue(ch.trySend(3), "a send that fits goes ahead of the waiting reserveMany");
    assertEquals(2, ch.receive());
    assertEquals(3, ch.receive());
    List<Permit<Integer>> permits = many.join();
    assertEquals(2, permits.size());
    assertFalse(ch.trySend(4));
    permits.forEach(Permit::release);
    assertTrue(ch.trySend(4));
  }

  @Test
  void twoWaitingReserveManys_neverWaitOnEachOther() throws Exception {
    Channel<Integer> ch = channel(2);
    ch.send(1);
    ch.send(2);
    var a = TestThreads.start(() -> ch.reserveMany(2));
    var b = TestThreads.start(() -> ch.reserveMany(2));
    a.awaitParked();
    b.awaitParked();
    ch.receive();
    ch.receive();
    // Both places are free now: one of the two holds them both; the other waits on, holding none.
    CompletableFuture.anyOf(a.outcome(), b.outcome()).get(10, TimeUnit.SECONDS);
    var first = a.outcome().isDone() ? a : b;
    var second = first == a ? b : a;
    assertFalse(ch.trySend(3), "the first holds both places");
    assertFalse(second.outcome().isDone());
    first.join().forEach(Permit::release);
    assertEquals(2, second.join().size());
  }

  @Test
  void anUnboundedChannelsPermits_holdNothingBack() throws Exception {
    Channel<Integer> ch = channel(Integer.MAX_VALUE);
    List<Permit<Integer>> permits = ch.reserveMany(1000);
    assertTrue(ch.trySend(1), "an unbounded buffer always has room");
    permits.get(0).send(2);
    permits.forEach(Permit::release);
    assertEquals(1, ch.receive());
    assertEquals(2, ch.receive());
  }

  @Test
  void rendezvousAndDroppingChannels_refusePermits() {
    List<Channel<Integer>> refusing =
        List.of(
            Channel.rendezvous(),
            Channel.<Integer>builder().capacity(4).overflow(BufferOverflow.DROP_OLDEST).build(),
            Channel.<Integer>builder().capacity(4).overflow(BufferOverflow.DROP_LATEST).build());
    for (Channel<Integer> ch : refusing) {
      assertThrows(UnsupportedOperationException.class, ch::reserve);
      assertThrows(UnsupportedOperationException.class, () -> ch.reserve(SHORT));
      assertThrows(UnsupportedOperationException.class, ch::tryReserve);
      assertThrows(UnsupportedOperationException.class, ch::reserveAsync);
      assertThrows(UnsupportedOperationException.class, () -> ch.onReserve(p -> 1));
      assertThrows(UnsupportedOperationException.class, () -> ch.reserveMany(1));
      assertThrows(UnsupportedOperationException.class, () -> ch.tryReserveMany(1));
    }
    UnsupportedOperationException e =
        assertThrows(UnsupportedOperationException.class, () -> Channel.rendezvous().reserve());
    assertTrue(e.getMessage().contains("rendezvous"), e.getMessage());
  }

  @Test
  void handles_reserveForTheirChannel_andRefuseOnceClosed() throws Exception {
    ChannelHandles<Integer> h = Channel.handles(2);
    SenderHandle<Integer> tx = h.sender();
    tx.reserve().send(1);
    Permit<Integer> viaView = tx.asSender().tryReserve();
    assertNotNull(viaView);
    viaView.send(2);
    assertNull(tx.tryReserve());
    assertEquals(1, h.receiver().receive());
    SenderHandle<Integer> second = tx.newSender();
    Permit<Integer> outliving = second.reserve();
    second.close();
    assertThrows(IllegalStateException.class, second::reserve);
    outliving.send(3); // the channel is open: tx still is
    tx.close(); // the last sending handle: the channel closes
    assertEquals(2, h.receiver().receive());
    assertEquals(3, h.receiver().receive());
    assertTrue(h.receiver().isClosedForReceive());
  }

  @Test
  void toString_showsHeldPlaces() throws Exception {
    Channel<Integer> ch = channel(4);
    Permit<Integer> permit = ch.reserve();
    assertTrue(ch.toString().contains("reserved=1"), ch.toString());
    permit.release();
    assertFalse(ch.toString().contains("reserved"), ch.toString());
  }
}
