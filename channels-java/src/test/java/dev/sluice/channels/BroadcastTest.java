package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Every promise of {@link Broadcast}'s javadoc, one test each. */
class BroadcastTest {

  private static Broadcast.Received<Integer> value(int v) {
    Broadcast<Integer> b = Broadcast.create(1);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    b.send(v);
    return s.tryReceive();
  }

  @Test
  void everySubscriberReceivesEveryElementSentAfterItSubscribed_inOrder() throws Exception {
    Broadcast<Integer> events = Broadcast.create(8);
    Broadcast.Subscriber<Integer> early = events.subscribe();
    events.send(1);
    Broadcast.Subscriber<Integer> late = events.subscribe();
    events.send(2);
    events.send(3);
    assertEquals(1, early.receive());
    assertEquals(2, early.receive());
    assertEquals(3, early.receive());
    assertEquals(2, late.receive(), "a subscriber starts after the elements sent before it");
    assertEquals(3, late.receive());
    assertNull(early.tryReceive());
  }

  @Test
  void sendReturnsHowManySubscribersWillReceive_andNeverWaits() {
    Broadcast<String> b = Broadcast.create(2);
    assertEquals(0, b.send("nobody"));
    Broadcast.Subscriber<String> a = b.subscribe();
    b.subscribe();
    for (int i = 0; i < 1000; i++) {
      assertEquals(
          2, b.send("e" + i), "a send never waits for the subscribers that do not receive");
    }
    assertEquals(2, a.size(), "the ring holds the last two");
  }

  @Test
  void aWaitingSubscriberIsWokenBySend() throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> first = b.subscribe();
    Broadcast.Subscriber<Integer> second = b.subscribe();
    TestThreads.Started<Integer> a = TestThreads.start(first::receive).awaitParked();
    TestThreads.Started<Integer> c = TestThreads.start(second::receive).awaitParked();
    b.send(7);
    assertEquals(7, a.join());
    assertEquals(7, c.join());
  }

  @Test
  void aSubscriberThatFellBehindIsToldHowManyItMissed_thenGoesOnFromTheOldestHeld()
      throws Exception {
    Broadcast<Integer> b = Broadcast.create(3);
    Broadcast.Subscriber<Integer> slow = b.subscribe();
    for (int i = 0; i < 10; i++) {
      b.send(i);
    }
    LaggedException lag = assertThrows(LaggedException.class, slow::receive);
    assertEquals(7, lag.missed());
    assertEquals(7, slow.receive(), "the oldest element still held");
    assertEquals(8, slow.receive());
    assertEquals(9, slow.receive());
    assertNull(slow.receive(Duration.ZERO));
  }

  @Test
  void tryReceiveAndFuturesReportALagAsAResult() throws Exception {
    Broadcast<Integer> b = Broadcast.create(2);
    Broadcast.Subscriber<Integer> slow = b.subscribe();
    for (int i = 0; i < 5; i++) {
      b.send(i);
    }
    Broadcast.Received<Integer> lag = slow.tryReceive();
    assertTrue(lag.isLagged());
    assertEquals(3, lag.missed());
    assertNull(lag.valueOrNull());
    assertEquals(3, assertThrows(LaggedException.class, lag::value).missed());
    Broadcast.Received<Integer> three = slow.tryReceive();
    assertFalse(three.isLagged());
    assertEquals(0, three.missed());
    assertEquals(3, three.value());
    assertEquals(value(3), three);

    for (int i = 5; i < 9; i++) {
      b.send(i);
    }
    Broadcast.Received<Integer> futureLag = slow.receiveAsync().get(10, TimeUnit.SECONDS);
    assertTrue(futureLag.isLagged());
    assertEquals(3, futureLag.missed(), "4 was still held; 4, 5 and 6 were overwritten");
    assertEquals(7, slow.receiveAsync().get(10, TimeUnit.SECONDS).value());
  }

  @Test
  void aFutureCompletesOnSend_andACancelledOneReceivedNothing() throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    CompletableFuture<Broadcast.Received<Integer>> abandoned = s.receiveAsync();
    assertTrue(abandoned.cancel(false));
    CompletableFuture<Broadcast.Received<Integer>> next = s.receiveAsync();
    assertFalse(next.isDone());
    b.send(1);
    b.send(2);
    assertEquals(1, next.get(10, TimeUnit.SECONDS).value(), "the cancelled future took nothing");
    assertEquals(2, s.receiveAsync().get(10, TimeUnit.SECONDS).value());
  }

  @Test
  void aFutureCancelledAsItIsCompletedGivesItsElementBack() throws Exception {
    // A dependent of the token's arrival cancels the result before the look completes it: the
    // element taken for it must come back, first.
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    List<CompletableFuture<Broadcast.Received<Integer>>> results = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      CompletableFuture<Broadcast.Received<Integer>> f = s.receiveAsync();
      Thread canceller = new Thread(() -> f.cancel(false));
      canceller.start();
      b.send(i);
      canceller.join();
      results.add(f);
      Broadcast.Received<Integer> got =
          f.isCancelled() ? s.receiveAsync().get(10, TimeUnit.SECONDS) : f.get();
      assertEquals(i, got.value(), "round " + i + ": every element once, in order");
    }
    assertNull(s.tryReceive());
  }

  @Test
  void aFuturesDependantsMayReceiveFromTheSameSubscriber() throws Exception {
    // The future completes after its look hands the token on: a dependant, running in the
    // sender's thread, may wait on the same subscriber, and a later send wakes it.
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    CompletableFuture<List<Integer>> both =
        s.receiveAsync()
            .thenApply(
                first -> {
                  try {
                    return List.of(first.value(), s.receive(Duration.ofSeconds(10)));
                  } catch (InterruptedException e) {
                    throw new AssertionError(e);
                  }
                });
    Thread sender = new Thread(() -> b.send(1)); // runs the dependant, which waits for 2
    sender.start();
    while (sender.getState() != Thread.State.TIMED_WAITING && sender.isAlive()) {
      Thread.onSpinWait();
    }
    b.send(2);
    sender.join();
    assertEquals(List.of(1, 2), both.get(10, TimeUnit.SECONDS));
  }

  @Test
  void aFutureCompletedFromOutsideReceivedNothing_andOneThatAlreadyReceivedRefusesIt()
      throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    CompletableFuture<Broadcast.Received<Integer>> timedOut = s.receiveAsync();
    timedOut.orTimeout(1, TimeUnit.MILLISECONDS);
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> timedOut.get(10, TimeUnit.SECONDS));
    assertInstanceOf(TimeoutException.class, e.getCause());
    b.send(1);
    assertEquals(1, s.tryReceive().value(), "the timed-out future took nothing");
    b.send(2);
    CompletableFuture<Broadcast.Received<Integer>> done = s.receiveAsync();
    assertFalse(done.complete(null), "it received 2: an outside completion changes nothing");
    assertEquals(2, done.get().value());
    assertFalse(done.cancel(false), "it received 2: too late to cancel");
  }

  @Test
  void closeLetsSubscribersDrain_thenTheyFailInsteadOfWaiting() throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> waiting = b.subscribe();
    Broadcast.Subscriber<Integer> behind = b.subscribe();
    TestThreads.Started<Integer> w = TestThreads.start(waiting::receive).awaitParked();
    b.send(1);
    assertEquals(1, w.join());
    b.send(2);
    assertEquals(2, waiting.receive());
    w = TestThreads.start(waiting::receive).awaitParked();
    assertTrue(b.close());
    assertThrows(ChannelClosedException.class, w::join);
    assertFalse(behind.isClosedForReceive());
    assertEquals(1, behind.receive());
    assertEquals(2, behind.tryReceive().value());
    assertTrue(behind.isClosedForReceive());
    assertThrows(ChannelClosedException.class, behind::receive);
    assertThrows(ChannelClosedException.class, behind::tryReceive);
    ExecutionException e =
        assertThrows(
            ExecutionException.class, () -> behind.receiveAsync().get(10, TimeUnit.SECONDS));
    assertInstanceOf(ChannelClosedException.class, e.getCause());
    assertThrows(ChannelClosedException.class, () -> b.send(3));
    assertFalse(b.close());
    assertTrue(b.isClosed());
    assertThrows(ChannelClosedException.class, () -> b.subscribe().receive());
  }

  @Test
  void aLaggedSubscriberOfAClosedBroadcastHearsTheLagThenTheRest() throws Exception {
    Broadcast<Integer> b = Broadcast.create(2);
    Broadcast.Subscriber<Integer> slow = b.subscribe();
    for (int i = 0; i < 4; i++) {
      b.send(i);
    }
    b.close();
    assertEquals(2, assertThrows(LaggedException.class, slow::receive).missed());
    assertEquals(2, slow.receive());
    assertEquals(3, slow.receive());
    assertThrows(ChannelClosedException.class, slow::receive);
  }

  @Test
  void unsubscribingStopsCounting_andFailsTheSubscribersReceives() throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    Broadcast.Subscriber<Integer> other = b.subscribe();
    assertEquals(2, b.subscriberCount());
    TestThreads.Started<Integer> waiting = TestThreads.start(s::receive).awaitParked();
    s.close();
    assertThrows(ChannelClosedException.class, waiting::join);
    assertEquals(1, b.subscriberCount());
    assertEquals(1, b.send(9));
    assertThrows(ChannelClosedException.class, s::tryReceive);
    assertTrue(s.isClosedForReceive());
    assertTrue(s.isEmpty());
    assertEquals(0, s.size());
    s.close(); // twice: nothing
    assertEquals(9, other.receive());
  }

  @Test
  void selectIsChosenOnSend_andALosingClauseReceivedNothing() throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    Channel<String> other = Channel.bounded(1);
    other.send("first");
    b.send(1);
    assertEquals(
        "first", Select.select(other.onReceive(x -> x), s.onReceive(v -> "broadcast " + v)));
    assertEquals(1, s.size(), "the losing clause received nothing");
    assertEquals(
        "broadcast 1", Select.select(other.onReceive(x -> x), s.onReceive(v -> "broadcast " + v)));
    TestThreads.Started<String> waiting =
        TestThreads.start(
                () -> Select.select(other.onReceive(x -> x), s.onReceive(v -> "broadcast " + v)))
            .awaitParked();
    b.send(2);
    assertEquals("broadcast 2", waiting.join());
  }

  @Test
  void aSelectOnALaggedSubscriberThrowsTheLag_andOnAClosedOneFails() throws Exception {
    Broadcast<Integer> b = Broadcast.create(1);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    b.send(1);
    b.send(2);
    assertEquals(
        1, assertThrows(LaggedException.class, () -> Select.select(s.onReceive(v -> v))).missed());
    assertEquals(Integer.valueOf(2), Select.<Integer>select(s.onReceive(v -> v)));
    b.close();
    assertThrows(ChannelClosedException.class, () -> Select.select(s.onReceive(v -> v)));
  }

  @Test
  void sizeAndIsEmptyCountWhatCanBeReceivedNow() {
    Broadcast<Integer> b = Broadcast.create(3);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    assertTrue(s.isEmpty());
    assertEquals(0, s.size());
    b.send(1);
    b.send(2);
    assertFalse(s.isEmpty());
    assertEquals(2, s.size());
    for (int i = 0; i < 5; i++) {
      b.send(i);
    }
    assertEquals(3, s.size(), "no more than the ring holds");
    assertEquals(3, b.capacity());
  }

  @Test
  void aTimedReceiveReturnsNullWhenNothingCame() throws Exception {
    Broadcast<Integer> b = Broadcast.create(2);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    assertNull(s.receive(Duration.ofMillis(20)));
    assertNull(s.receive(Duration.ZERO));
    b.send(4);
    assertEquals(4, s.receive(Duration.ofSeconds(10)));
    TestThreads.Started<Integer> waiting =
        TestThreads.start(() -> s.receive(Duration.ofDays(1))).awaitParked();
    b.send(5);
    assertEquals(5, waiting.join());
  }

  @Test
  void anInterruptedReceiveReceivedNothing() throws Exception {
    Broadcast<Integer> b = Broadcast.create(2);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    b.send(1);
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, s::receive);
    assertEquals(1, s.size());
    assertEquals(1, s.receive());
    TestThreads.Started<Integer> waiting = TestThreads.start(s::receive).awaitParked();
    waiting.thread().interrupt();
    assertThrows(InterruptedException.class, waiting::join);
    b.send(2);
    assertEquals(2, s.tryReceive().value());
  }

  @Test
  void callbacksRunOutsideTheBroadcastLock_soASubscriberClosedFromOneDoesNotStrandAnother()
      throws Exception {
    Broadcast<Integer> b = Broadcast.create(2);
    Broadcast.Subscriber<Integer> first = b.subscribe();
    Broadcast.Subscriber<Integer> second = b.subscribe();
    Broadcast.Subscriber<Integer> third = b.subscribe();
    first.receiveAsync().thenRun(first::close); // runs in the sending thread
    TestThreads.Started<Integer> waiting = TestThreads.start(second::receive).awaitParked();
    b.send(1);
    assertEquals(1, waiting.join());
    assertEquals(1, third.tryReceive().value());
    assertEquals(2, b.subscriberCount());
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Broadcast.create(0));
    assertThrows(IllegalArgumentException.class, () -> Broadcast.create(-1));
    assertThrows(IllegalArgumentException.class, () -> new LaggedException(0));
    Broadcast<String> b = Broadcast.create(1);
    Broadcast.Subscriber<String> s = b.subscribe();
    assertThrows(NullPointerException.class, () -> b.send(null));
    assertThrows(NullPointerException.class, () -> s.receive(null));
    assertThrows(NullPointerException.class, () -> s.onReceive(null));
    assertTrue(s.isEmpty(), "a refused send sent nothing");
  }

  @Test
  void resubscribe_startsAtTheSendersPosition_independentOfTheOriginal() throws Exception {
    Broadcast<Integer> b = Broadcast.create(4);
    Broadcast.Subscriber<Integer> first = b.subscribe();
    b.send(1);
    b.send(2);
    Broadcast.Subscriber<Integer> second = first.resubscribe();
    assertTrue(second.isEmpty(), "it starts after what was sent before it");
    b.send(3);
    assertEquals(List.of(1, 2, 3), List.of(first.receive(), first.receive(), first.receive()));
    assertEquals(3, second.receive());
    assertEquals(2, b.subscriberCount());
    first.close();
    Broadcast.Subscriber<Integer> third = first.resubscribe();
    b.send(4);
    assertEquals(4, third.receive(), "a closed subscriber resubscribes too");
    b.close();
    assertThrows(ChannelClosedException.class, () -> first.resubscribe().receive());
  }
}
