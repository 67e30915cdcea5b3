package dev.sluice.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.ChannelClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's entry points for other faces (the Kotlin face plugs in through them): outcomes
 * instead of exceptions, caller-made waiters, give-back and the close handler.
 */
class EngineApiTest {
  private static BufferedChannel<Integer> channel(int capacity) {
    return new BufferedChannel<>(capacity, BufferOverflow.SUSPEND, null);
  }

  /** A waiter that records its resumption. */
  private static final class TestWaiter extends SoloWaiter<Integer> {
    final AtomicInteger resumed = new AtomicInteger();

    TestWaiter(BufferedChannel<Integer> channel, @Nullable Integer item) {
      super(channel, item);
    }

    @Override
    protected void resume() {
      resumed.incrementAndGet();
    }
  }

  /** A waiter whose claim would resume it, as a kotlinx select's does. */
  private static final class ClaimResumingWaiter extends SoloWaiter<Integer> {
    ClaimResumingWaiter(BufferedChannel<Integer> channel) {
      super(channel, null);
    }

    @Override
    protected void resume() {}

    @Override
    protected boolean resumesInClaim() {
      return true;
    }
  }

  @Test
  void trySendDeferred_claimsAWaitingReceive_butLeavesItsResumptionToTheCaller() {
    BufferedChannel<Integer> ch = channel(1);
    TestWaiter w = new TestWaiter(ch, null);
    assertEquals(Outcome.QUEUED, ch.receiveOrEnqueue(w));
    List<Waiter<?>> later = new ArrayList<>();
    assertEquals(Outcome.SENT, ch.trySendDeferred(5, later));
    assertEquals(5, w.item());
    assertEquals(0, w.resumed.get(), "not resumed by the send");
    assertEquals(List.of(w), later);
    BufferedChannel.resumeAll(later);
    assertEquals(1, w.resumed.get());
    assertEquals(Outcome.SENT, ch.trySendDeferred(6, later), "buffered: nobody to resume");
    assertEquals(Outcome.FULL, ch.trySendDeferred(7, later));
    assertEquals(1, later.size());
  }

  @Test
  void trySendDeferred_outsideAFrame_doesNothingWhenAWaiterResumesInItsClaim() {
    BufferedChannel<Integer> ch = channel(1);
    ClaimResumingWaiter w = new ClaimResumingWaiter(ch);
    assertEquals(Outcome.QUEUED, ClaimFrame.call(() -> ch.receiveOrEnqueue(w)));
    List<Waiter<?>> later = new ArrayList<>();
    assertEquals(Outcome.NEEDS_FRAME, ch.trySendDeferred(1, later));
    assertNull(w.item(), "nothing was done");
    assertTrue(later.isEmpty());
    assertEquals(Outcome.SENT, ClaimFrame.call(() -> ch.trySendDeferred(1, later)));
    assertEquals(1, w.item());
  }

  @Test
  void trySendOutcome_reportsSentFullAndClosed() {
    BufferedChannel<Integer> ch = channel(1);
    assertEquals(Outcome.SENT, ch.trySendOutcome(1));
    assertEquals(Outcome.FULL, ch.trySendOutcome(2));
    ch.close();
    assertEquals(Outcome.CLOSED, ch.trySendOutcome(3));
    assertEquals(1, ch.tryReceive());
  }

  @Test
  void sendOrEnqueue_whenFull_queuesUntilAReceiveClaimsIt() {
    BufferedChannel<Integer> ch = channel(1);
    assertTrue(ch.trySend(1));
    TestWaiter w = new TestWaiter(ch, 2);
    assertEquals(Outcome.QUEUED, ch.sendOrEnqueue(w));
    assertEquals(0, w.resumed.get());
    assertEquals(1, ch.tryReceive());
    assertEquals(1, w.resumed.get());
    assertFalse(w.isClosed());
    assertEquals(2, ch.tryReceive());
  }

  @Test
  void sendOrEnqueue_withRoom_sendsAndDoesNotQueue() {
    BufferedChannel<Integer> ch = channel(1);
    TestWaiter w = new TestWaiter(ch, 7);
    assertEquals(Outcome.SENT, ch.sendOrEnqueue(w));
    assertEquals(0, ch.queuedWaiters());
    assertEquals(7, ch.tryReceive());
  }

  @Test
  void sendOrEnqueue_whenClosed_reportsClosed() {
    BufferedChannel<Integer> ch = channel(1);
    ch.close();
    assertEquals(Outcome.CLOSED, ch.sendOrEnqueue(new TestWaiter(ch, 1)));
  }

  @Test
  void receiveOrEnqueue_withAnElement_putsItInTheWaiter() {
    BufferedChannel<Integer> ch = channel(2);
    assertTrue(ch.trySend(5));
    TestWaiter w = new TestWaiter(ch, null);
    assertEquals(Outcome.RECEIVED, ch.receiveOrEnqueue(w));
    assertEquals(5, w.item());
    assertEquals(0, w.resumed.get());
  }

  @Test
  void receiveOrEnqueue_whenEmpty_queuesUntilASendClaimsIt() {
    BufferedChannel<Integer> ch = channel(0);
    TestWaiter w = new TestWaiter(ch, null);
    assertEquals(Outcome.QUEUED, ch.receiveOrEnqueue(w));
    assertTrue(ch.trySend(9));
    assertEquals(1, w.resumed.get());
    assertEquals(9, w.item());
  }

  @Test
  void receiveOrEnqueue_whenClosedAndDrained_reportsClosed_andAQueuedOneIsClaimedClosed() {
    BufferedChannel<Integer> ch = channel(1);
    TestWaiter queued = new TestWaiter(ch, null);
    assertEquals(Outcome.QUEUED, ch.receiveOrEnqueue(queued));
    ch.close();
    assertEquals(1, queued.resumed.get());
    assertTrue(queued.isClosed());
    assertEquals(Outcome.CLOSED, ch.receiveOrEnqueue(new TestWaiter(ch, null)));
  }

  @Test
  void pollOrNull_returnsNullWhenEmptyOrClosed_neverThrows() {
    BufferedChannel<Integer> ch = channel(1);
    assertNull(ch.pollOrNull());
    assertTrue(ch.trySend(1));
    ch.close();
    assertEquals(1, ch.pollOrNull());
    assertNull(ch.pollOrNull());
    assertTrue(ch.isClosedForReceive());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 3, Integer.MAX_VALUE})
  void giveBack_goesToTheHead_aheadOfBufferedElements(int capacity) {
    BufferedChannel<Integer> ch = channel(capacity);
    if (capacity > 0) {
      assertTrue(ch.trySend(2));
    }
    ch.giveBack(1);
    assertEquals(capacity > 0 ? 2 : 1, ch.size());
    assertFalse(ch.isEmptyForReceive());
    assertEquals(1, ch.tryReceive());
    if (capacity > 0) {
      assertEquals(2, ch.tryReceive());
    }
    assertNull(ch.tryReceive());
    assertTrue(ch.isEmptyForReceive());
  }

  @Test
  void giveBack_twice_theLastGivenIsReceivedFirst() {
    BufferedChannel<Integer> ch = channel(4);
    ch.giveBack(2);
    ch.giveBack(1);
    assertEquals(1, ch.tryReceive());
    assertEquals(2, ch.tryReceive());
  }

  @Test
  void giveBack_withAWaitingReceive_handsItOn() throws Exception {
    BufferedChannel<Integer> ch = channel(0);
    CompletableFuture<Integer> waiting = ch.receiveAsync();
    ch.giveBack(4);
    assertEquals(4, waiting.get());
    assertEquals(0, ch.size());
  }

  @Test
  void giveBack_skipsAWithdrawnReceive() throws Exception {
    BufferedChannel<Integer> ch = channel(1);
    CompletableFuture<Integer> gone = ch.receiveAsync();
    TestWaiter w = new TestWaiter(ch, null);
    assertEquals(Outcome.QUEUED, ch.receiveOrEnqueue(w));
    assertTrue(gone.cancel(false));
    ch.giveBack(4);
    assertEquals(1, w.resumed.get());
    assertEquals(4, w.item());
  }

  @Test
  void giveBack_onAClosedChannelStillHoldingElements_isReceivedFirst() throws Exception {
    BufferedChannel<Integer> ch = channel(2);
    assertTrue(ch.trySend(4));
    ch.close();
    ch.giveBack(3);
    assertEquals(3, ch.receive());
    assertEquals(4, ch.receive());
    assertTrue(ch.isClosedForReceive());
    assertThrows(ChannelClosedException.class, ch::tryReceive);
  }

  @Test
  void giveBack_onAClosedAndDrainedChannel_goesToTheUndeliveredHandler() {
    // Receivers may have seen it closed for receive already: none would ever take the element.
    List<Integer> undelivered = new ArrayList<>();
    BufferedChannel<Integer> ch =
        new BufferedChannel<>(1, BufferOverflow.SUSPEND, undelivered::add);
    ch.close();
    assertTrue(ch.isClosedForReceive());
    ch.giveBack(3);
    assertEquals(List.of(3), undelivered);
    assertTrue(ch.isClosedForReceive());
  }

  @Test
  void giveBack_dropOldestWhenFull_dropsTheGivenBackElement_whichIsTheOldest() {
    List<Integer> undelivered = new ArrayList<>();
    BufferedChannel<Integer> ch =
        new BufferedChannel<>(1, BufferOverflow.DROP_OLDEST, undelivered::add);
    assertTrue(ch.trySend(2));
    ch.giveBack(1);
    assertEquals(List.of(1), undelivered);
    assertEquals(2, ch.tryReceive());
  }

  @Test
  void dropOldest_sendDropsGivenBackElementsFirst() {
    List<Integer> undelivered = new ArrayList<>();
    BufferedChannel<Integer> ch =
        new BufferedChannel<>(2, BufferOverflow.DROP_OLDEST, undelivered::add);
    assertTrue(ch.trySend(2));
    ch.giveBack(1);
    assertTrue(ch.trySend(3));
    assertEquals(List.of(1), undelivered);
    assertEquals(2, ch.size());
    assertEquals(2, ch.tryReceive());
    assertEquals(3, ch.tryReceive());
  }

  @Test
  void dropLatest_givenBackElementsCountAgainstTheCapacity() {
    List<Integer> undelivered = new ArrayList<>();
    BufferedChannel<Integer> ch =
        new BufferedChannel<>(2, BufferOverflow.DROP_LATEST, undelivered::add);
    assertTrue(ch.trySend(2));
    ch.giveBack(1);
    assertTrue(ch.trySend(3)); // sent, and dropped: the buffer holds two
    assertEquals(List.of(3), undelivered);
    assertEquals(1, ch.tryReceive());
    assertEquals(2, ch.tryReceive());
    assertNull(ch.tryReceive());
  }

  @Test
  void giveBack_onACancelledChannel_goesToTheUndeliveredHandler() {
    List<Integer> undelivered = new ArrayList<>();
    BufferedChannel<Integer> ch =
        new BufferedChannel<>(1, BufferOverflow.SUSPEND, undelivered::add);
    ch.cancel();
    ch.giveBack(8);
    assertEquals(List.of(8), undelivered);
    assertTrue(ch.isClosedForReceive());
  }

  @Test
  void cancel_discardsGivenBackElementsToo() {
    List<Integer> undelivered = new ArrayList<>();
    BufferedChannel<Integer> ch =
        new BufferedChannel<>(2, BufferOverflow.SUSPEND, undelivered::add);
    assertTrue(ch.trySend(2));
    ch.giveBack(1);
    ch.cancel();
    assertEquals(List.of(1, 2), undelivered);
    assertEquals(0, ch.size());
    assertTrue(ch.isClosedForReceive());
  }

  @Test
  void giveBack_whileASendWaits_keepsTheSendWaitingUntilTheBufferHasRoom() throws Exception {
    BufferedChannel<Integer> ch = channel(1);
    assertTrue(ch.trySend(2));
    CompletableFuture<Void> sending = ch.sendAsync(3);
    ch.giveBack(1);
    assertEquals(1, ch.tryReceive());
    assertFalse(sending.isDone());
    assertEquals(2, ch.tryReceive());
    assertTrue(sending.isDone());
    assertEquals(3, ch.tryReceive());
  }

  @Test
  void invokeOnClose_runsOnceOnClose_withTheCause() {
    BufferedChannel<Integer> ch = channel(1);
    AtomicReference<@Nullable Throwable> seen = new AtomicReference<>();
    AtomicInteger runs = new AtomicInteger();
    ch.invokeOnClose(
        cause -> {
          runs.incrementAndGet();
          seen.set(cause);
        });
    IllegalStateException cause = new IllegalStateException("done");
    assertTrue(ch.close(cause));
    assertFalse(ch.close());
    ch.cancel();
    assertEquals(1, runs.get());
    assertSame(cause, seen.get());
    assertThrows(IllegalStateException.class, () -> ch.invokeOnClose(c -> {}));
  }

  @Test
  void invokeOnClose_onAClosedChannel_runsAtOnce() {
    BufferedChannel<Integer> ch = channel(1);
    ch.close();
    AtomicInteger runs = new AtomicInteger();
    ch.invokeOnClose(cause -> runs.incrementAndGet());
    assertEquals(1, runs.get());
    assertThrows(IllegalStateException.class, () -> ch.invokeOnClose(c -> {}));
  }

  @Test
  void invokeOnClose_twice_throws() {
    BufferedChannel<Integer> ch = channel(1);
    ch.invokeOnClose(cause -> {});
    assertThrows(IllegalStateException.class, () -> ch.invokeOnClose(c -> {}));
  }

  @Test
  void invokeOnClose_onCancel_getsTheCancelCause() {
    BufferedChannel<Integer> ch = channel(1);
    AtomicReference<@Nullable Throwable> seen = new AtomicReference<>();
    ch.invokeOnClose(seen::set);
    CancellationException why = new CancellationException("why");
    ch.cancel(why);
    assertSame(why, seen.get());
    assertSame(why, ch.closeCauseOrNull());
  }

  @Test
  void isEmptyForReceive_falseWhileASendWaitsOnARendezvous_andWhenClosed() {
    BufferedChannel<Integer> ch = channel(0);
    assertTrue(ch.isEmptyForReceive());
    CompletableFuture<Void> sending = ch.sendAsync(1);
    assertFalse(ch.isEmptyForReceive());
    assertTrue(sending.cancel(false));
    assertTrue(ch.isEmptyForReceive());
    ch.close();
    assertFalse(ch.isEmptyForReceive());
  }
}
