package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Channel} keeps, whatever its capacity: one test per promise of the
 * javadoc and of DESIGN.md section 3. Subclasses only say which channel to test.
 */
abstract class ChannelContractTest {
  private static final Duration SHORT = Duration.ofMillis(20);

  /** A new, open, empty channel of the capacity under test. */
  abstract Channel<Integer> newChannel();

  private Channel<Integer> ch = newChannel();

  private boolean buffered() {
    return ch.capacity() > 0;
  }

  /** Fills the channel's buffer; nothing for a rendezvous channel, 10 000 for an unbounded one. */
  private int fill() {
    int n = ch.capacity() == Integer.MAX_VALUE ? 10_000 : ch.capacity();
    for (int i = 0; i < n; i++) {
      assertTrue(ch.trySend(i));
    }
    return n;
  }

  private boolean bounded() {
    return ch.capacity() != Integer.MAX_VALUE;
  }

  // --- null and bad input -----------------------------------------------------------------------

  @Test
  void everySend_null_throwsNpeAndChangesNothing() {
    assertThrows(NullPointerException.class, () -> ch.send(null));
    assertThrows(NullPointerException.class, () -> ch.send(null, SHORT));
    assertThrows(NullPointerException.class, () -> ch.send(1, null));
    assertThrows(NullPointerException.class, () -> ch.trySend(null));
    assertThrows(NullPointerException.class, () -> ch.sendAsync(null));
    assertThrows(NullPointerException.class, () -> ch.onSend(null, () -> 1));
    assertThrows(NullPointerException.class, () -> ch.onSend(1, null));
    assertThrows(NullPointerException.class, () -> ch.onReceive(null));
    assertThrows(NullPointerException.class, () -> ch.receive(null));
    assertThrows(NullPointerException.class, () -> ch.close(null));
    assertEquals(0, ch.size());
    assertFalse(ch.isClosedForSend());
  }

  // --- FIFO and buffering -----------------------------------------------------------------------

  @Test
  void trySend_buffersUpToCapacity_thenReportsFull() {
    int n = fill();
    assertEquals(n, ch.size());
    if (bounded()) {
      assertFalse(ch.trySend(-1), "full: the element is refused");
      assertEquals(n, ch.size());
    }
  }

  @Test
  void tryReceive_returnsElementsInSendOrder() {
    int n = fill();
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive());
    assertTrue(ch.isEmpty());
  }

  @Test
  void tryReceive_whenEmpty_returnsNull() {
    assertNull(ch.tryReceive());
  }

  @Test
  void sendAndReceive_acrossThreads_keepOrder() throws Exception {
    int n = 2_000;
    var producer =
        TestThreads.start(
            () -> {
              for (int i = 0; i < n; i++) {
                ch.send(i);
              }
              return null;
            });
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.receive());
    }
    producer.join();
  }

  @Test
  void waitingReceivers_areServedFirstComeFirstServed() throws Exception {
    var first = TestThreads.start(ch::receive).awaitParked();
    var second = TestThreads.start(ch::receive).awaitParked();
    assertTrue(ch.trySend(1));
    assertTrue(ch.trySend(2));
    assertEquals(1, first.join());
    assertEquals(2, second.join());
  }

  @Test
  void waitingSenders_areServedFirstComeFirstServed() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    var first =
        TestThreads.start(
                () -> {
                  ch.send(100);
                  return null;
                })
            .awaitParked();
    var second =
        TestThreads.start(
                () -> {
                  ch.send(200);
                  return null;
                })
            .awaitParked();
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.receive());
    }
    assertEquals(100, ch.receive());
    assertEquals(200, ch.receive());
    first.join();
    second.join();
  }

  @Test
  void trySend_rendezvousWithWaitingReceiver_handsOver() throws Exception {
    var receiver = TestThreads.start(ch::receive).awaitParked();
    assertTrue(ch.trySend(7));
    assertEquals(7, receiver.join());
  }

  @Test
  void tryReceive_withWaitingSender_takesItsElement() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    var sender =
        TestThreads.start(
                () -> {
                  ch.send(99);
                  return null;
                })
            .awaitParked();
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertEquals(99, ch.tryReceive());
    sender.join();
  }

  // --- timeouts ---------------------------------------------------------------------------------

  @Test
  void sendTimed_whenFull_timesOutAndDoesNotSend() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    assertFalse(ch.send(-1, SHORT));
    assertEquals(n, ch.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive(), "the timed-out element is not in the channel");
  }

  @Test
  void sendTimed_withZeroOrNegativeTimeout_isTrySend() throws Exception {
    assertEquals(buffered(), ch.send(1, Duration.ZERO));
    assertEquals(ch.capacity() > 1, ch.send(2, Duration.ofSeconds(-1)));
  }

  @Test
  void receiveTimed_whenEmpty_timesOutWithNull() throws Exception {
    assertNull(ch.receive(SHORT));
    assertNull(ch.receive(Duration.ZERO));
    assertTrue(ch.trySend(1) || !buffered());
  }

  @Test
  void receiveTimed_getsElementSentWhileWaiting() throws Exception {
    var receiver = TestThreads.start(() -> ch.receive(Duration.ofSeconds(20))).awaitParked();
    ch.send(5);
    assertEquals(5, receiver.join());
  }

  @Test
  void timedOutReceive_doesNotTakeALaterElement() throws Exception {
    assertNull(ch.receive(SHORT));
    var receiver = TestThreads.start(ch::receive).awaitParked();
    ch.send(3);
    assertEquals(3, receiver.join(), "the timed-out waiter is gone; the live one gets it");
  }

  // --- interruption -----------------------------------------------------------------------------

  @Test
  void send_interruptedOnEntry_throwsAndSendsNothing() {
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, () -> ch.send(1));
    assertFalse(Thread.interrupted(), "InterruptedException clears the status");
    assertNull(ch.tryReceive());
  }

  @Test
  void receive_interruptedOnEntry_throwsAndTakesNothing() throws Exception {
    int n = fill();
    Thread.currentThread().interrupt();
    assertThrows(InterruptedException.class, ch::receive);
    assertEquals(n, ch.size());
  }

  @Test
  void send_interruptedWhileWaiting_throwsAndDoesNotSend() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    var sender =
        TestThreads.start(
                () -> {
                  ch.send(-1);
                  return null;
                })
            .awaitParked();
    sender.thread().interrupt();
    assertThrows(InterruptedException.class, sender::join);
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive(), "the interrupted send's element is not in the channel");
  }

  @Test
  void receive_interruptedWhileWaiting_throwsAndTakesNothing() throws Exception {
    var receiver = TestThreads.start(ch::receive).awaitParked();
    receiver.thread().interrupt();
    assertThrows(InterruptedException.class, receiver::join);
    if (buffered()) {
      assertTrue(ch.trySend(1));
      assertEquals(1, ch.tryReceive(), "the element went to the buffer, not the gone receiver");
    } else {
      assertFalse(ch.trySend(1), "no receiver waits any more");
    }
  }

  // --- close ------------------------------------------------------------------------------------

  @Test
  void close_returnsTrueOnce() {
    assertTrue(ch.close());
    assertFalse(ch.close());
    assertFalse(ch.close(new RuntimeException()));
    assertTrue(ch.isClosedForSend());
  }

  @Test
  void sends_afterClose_failWithClosedException() {
    ch.close();
    assertThrows(ChannelClosedException.class, () -> ch.send(1));
    assertThrows(ChannelClosedException.class, () -> ch.send(1, SHORT));
    assertThrows(ChannelClosedException.class, () -> ch.trySend(1));
    ExecutionException e = assertThrows(ExecutionException.class, () -> ch.sendAsync(1).get());
    assertInstanceOf(ChannelClosedException.class, e.getCause());
  }

  @Test
  void receives_afterClose_drainBufferThenFail() throws Exception {
    int n = fill();
    ch.close();
    assertEquals(n == 0, ch.isClosedForReceive());
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.receive());
    }
    assertTrue(ch.isClosedForReceive());
    ChannelClosedException e = assertThrows(ChannelClosedException.class, ch::receive);
    assertNull(e.getCause());
    assertThrows(ChannelClosedException.class, ch::tryReceive);
    assertThrows(ChannelClosedException.class, () -> ch.receive(SHORT));
    ExecutionException async =
        assertThrows(ExecutionException.class, () -> ch.receiveAsync().get());
    assertInstanceOf(ChannelClosedException.class, async.getCause());
  }

  @Test
  void closeWithCause_givesReceiversTheCause() {
    IllegalStateException cause = new IllegalStateException("upstream failed");
    assertTrue(ch.close(cause));
    assertFalse(ch.close(new RuntimeException("later")), "the first cause stays");
    assertSame(cause, assertThrows(ChannelClosedException.class, ch::receive).getCause());
    assertSame(cause, assertThrows(ChannelClosedException.class, () -> ch.send(1)).getCause());
  }

  @Test
  void close_failsWaitingReceivers() throws Exception {
    var receiver = TestThreads.start(ch::receive).awaitParked();
    ch.close();
    assertThrows(ChannelClosedException.class, receiver::join);
  }

  @Test
  void close_failsWaitingSenders_whoKeepTheirElements() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    var sender =
        TestThreads.start(
                () -> {
                  ch.send(-1);
                  return null;
                })
            .awaitParked();
    CompletableFuture<Void> asyncSend = ch.sendAsync(-2);
    ch.close();
    assertThrows(ChannelClosedException.class, sender::join);
    assertInstanceOf(
        ChannelClosedException.class,
        assertThrows(ExecutionException.class, asyncSend::get).getCause());
    List<Integer> drained = new ArrayList<>();
    ch.forEach(drained::add);
    assertEquals(n, drained.size(), "only the buffered elements; the failed sends kept theirs");
    assertFalse(drained.contains(-1));
    assertFalse(drained.contains(-2));
  }

  // --- cancel -----------------------------------------------------------------------------------

  @Test
  void cancel_closesAndDiscardsBufferIntoHandler() {
    List<Integer> undelivered = new ArrayList<>();
    Channel<Integer> c =
        Channel.<Integer>builder()
            .capacity(ch.capacity())
            .onUndeliveredElement(undelivered::add)
            .build();
    int n = ch.capacity() == Integer.MAX_VALUE ? 100 : ch.capacity();
    for (int i = 0; i < n; i++) {
      assertTrue(c.trySend(i));
    }
    c.cancel();
    assertTrue(c.isClosedForSend());
    assertTrue(c.isClosedForReceive());
    assertEquals(0, c.size());
    assertEquals(n, undelivered.size());
    for (int i = 0; i < n; i++) {
      assertEquals(i, undelivered.get(i));
    }
    ChannelClosedException e = assertThrows(ChannelClosedException.class, c::tryReceive);
    assertInstanceOf(CancellationException.class, e.getCause());
  }

  @Test
  void cancel_afterClose_stillDiscards() {
    AtomicInteger undelivered = new AtomicInteger();
    Channel<Integer> c =
        Channel.<Integer>builder()
            .capacity(Math.max(ch.capacity(), 1))
            .onUndeliveredElement(e -> undelivered.incrementAndGet())
            .build();
    assertTrue(c.trySend(1));
    c.close(new IllegalStateException("first"));
    c.cancel();
    assertEquals(1, undelivered.get());
    assertEquals(
        "first",
        assertThrows(ChannelClosedException.class, c::tryReceive).getCause().getMessage(),
        "the close's cause stays");
  }

  // --- futures ----------------------------------------------------------------------------------

  @Test
  void receiveAsync_completesWhenElementArrives() throws Exception {
    CompletableFuture<Integer> f = ch.receiveAsync();
    assertFalse(f.isDone());
    assertTrue(ch.trySend(4));
    assertEquals(4, f.get(10, TimeUnit.SECONDS));
  }

  @Test
  void receiveAsync_cancelled_takesNoElement() throws Exception {
    CompletableFuture<Integer> f = ch.receiveAsync();
    assertTrue(f.cancel(false));
    assertTrue(f.isCancelled());
    if (buffered()) {
      assertTrue(ch.trySend(1));
      assertEquals(1, ch.tryReceive());
    } else {
      assertFalse(ch.trySend(1), "the cancelled receive is no longer waiting");
    }
  }

  @Test
  void receiveAsync_afterElementHandedOver_cannotBeCancelled() throws Exception {
    CompletableFuture<Integer> f = ch.receiveAsync();
    assertTrue(ch.trySend(8));
    assertFalse(f.cancel(true));
    assertEquals(8, f.get());
  }

  @Test
  void receiveAsync_orTimeout_takesNoElement() throws Exception {
    CompletableFuture<Integer> f = ch.receiveAsync().orTimeout(10, TimeUnit.MILLISECONDS);
    ExecutionException e = assertThrows(ExecutionException.class, f::get);
    assertInstanceOf(TimeoutException.class, e.getCause());
    if (buffered()) {
      assertTrue(ch.trySend(1));
      assertEquals(1, ch.tryReceive());
    } else {
      assertFalse(ch.trySend(1));
    }
  }

  @Test
  void receiveAsync_completeAsyncByCaller_withdrawsTheReceive() throws Exception {
    CompletableFuture<Integer> f = ch.receiveAsync();
    assertEquals(-5, f.completeAsync(() -> -5).get(10, TimeUnit.SECONDS));
    if (buffered()) {
      assertTrue(ch.trySend(1));
      assertEquals(1, ch.tryReceive(), "the element went to the buffer, not the withdrawn future");
    } else {
      assertFalse(ch.trySend(1), "no receiver waits any more");
    }
  }

  @Test
  void receiveAsync_cancelledTwice_answersTrueTwice() {
    CompletableFuture<Integer> f = ch.receiveAsync();
    assertTrue(f.cancel(false));
    assertTrue(f.cancel(false));
  }

  @Test
  void receiveAsync_completedByCaller_withdrawsTheReceive() {
    CompletableFuture<Integer> f = ch.receiveAsync();
    assertTrue(f.complete(-5));
    assertEquals(-5, f.join());
    assertEquals(buffered(), ch.trySend(1), "no receiver waits any more");
  }

  @Test
  void sendAsync_completesWhenTaken() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    CompletableFuture<Void> f = ch.sendAsync(-1);
    assertFalse(f.isDone());
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertEquals(-1, ch.receive());
    f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void sendAsync_cancelled_doesNotSend() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    CompletableFuture<Void> f = ch.sendAsync(-1);
    assertTrue(f.cancel(true));
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive(), "the cancelled send did not send");
  }

  @Test
  void sendAsync_orTimeout_doesNotSend() throws Exception {
    int n = fill();
    assumeTrue(bounded());
    CompletableFuture<Void> f = ch.sendAsync(-1).orTimeout(10, TimeUnit.MILLISECONDS);
    assertInstanceOf(
        TimeoutException.class, assertThrows(ExecutionException.class, f::get).getCause());
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive());
  }

  @Test
  void pendingSendAsync_cannotBeObtruded() {
    fill();
    assumeTrue(bounded());
    CompletableFuture<Void> f = ch.sendAsync(1);
    assertThrows(UnsupportedOperationException.class, () -> f.obtrudeValue(null));
    assertThrows(UnsupportedOperationException.class, () -> f.obtrudeException(new Exception()));
  }

  @Test
  void futureCallback_runsWithTheChannelUnlocked() throws Exception {
    CompletableFuture<Boolean> otherThreadSawIt = new CompletableFuture<>();
    CompletableFuture<Void> echo = new CompletableFuture<>();
    ch.receiveAsync()
        .thenAccept(
            first -> {
              // Runs in the thread that handed the element over. Were the channel still locked,
              // another thread could not use it and this would time out.
              try {
                otherThreadSawIt.complete(
                    CompletableFuture.supplyAsync(() -> ch.size() >= 0).get(10, TimeUnit.SECONDS));
              } catch (Exception e) {
                otherThreadSawIt.completeExceptionally(e);
              }
              ch.sendAsync(first + 1).thenRun(() -> echo.complete(null));
            });
    ch.send(1);
    assertTrue(otherThreadSawIt.get(20, TimeUnit.SECONDS));
    assertEquals(2, ch.receive(), "the callback's own send went through");
    echo.get(10, TimeUnit.SECONDS);
  }

  @Test
  void dependentFutures_arePlainCompletableFutures() {
    CompletableFuture<Integer> f = ch.receiveAsync();
    CompletableFuture<Integer> g = f.thenApply(x -> x + 1);
    assertTrue(g.complete(0), "a dependent can be completed freely");
    assertFalse(f.isDone());
    assertTrue(f.cancel(false));
  }

  // --- iteration --------------------------------------------------------------------------------

  @Test
  void iterator_receivesUntilClosedAndDrained() throws Exception {
    var producer =
        TestThreads.start(
            () -> {
              for (int i = 0; i < 100; i++) {
                ch.send(i);
              }
              ch.close();
              return null;
            });
    int expected = 0;
    for (int x : ch) {
      assertEquals(expected++, x);
    }
    assertEquals(100, expected);
    producer.join();
  }

  @Test
  void iterator_onChannelClosedWithCause_throwsIt() {
    RuntimeException cause = new RuntimeException("boom");
    ch.close(cause);
    Iterator<Integer> it = ch.iterator();
    assertSame(cause, assertThrows(ChannelClosedException.class, it::hasNext).getCause());
  }

  @Test
  void iterator_interrupted_throwsCancellationAndKeepsInterrupt() {
    Thread.currentThread().interrupt();
    Iterator<Integer> it = ch.iterator();
    assertThrows(CancellationException.class, it::hasNext);
    assertTrue(Thread.interrupted());
  }

  @Test
  void stream_collectsEverythingUntilClose() throws Exception {
    var producer =
        TestThreads.start(
            () -> {
              for (int i = 0; i < 50; i++) {
                ch.send(i);
              }
              ch.close();
              return null;
            });
    List<Integer> all = ch.stream().collect(Collectors.toList());
    assertEquals(50, all.size());
    for (int i = 0; i < 50; i++) {
      assertEquals(i, all.get(i));
    }
    producer.join();
  }

  // --- select -----------------------------------------------------------------------------------

  @Test
  void select_receivesFromTheReadyChannel() throws Exception {
    Channel<Integer> other = newChannel();
    var sender =
        TestThreads.start(
            () -> {
              other.send(42);
              return null;
            });
    String r = Select.select(ch.onReceive(x -> "ch " + x), other.onReceive(x -> "other " + x));
    assertEquals("other 42", r);
    sender.join();
  }

  @Test
  void select_isBiasedToTheFirstReadyClause() throws Exception {
    assumeTrue(buffered());
    Channel<Integer> other = newChannel();
    assertTrue(ch.trySend(1));
    assertTrue(other.trySend(2));
    assertEquals(1, (int) Select.select(ch.onReceive(x -> x), other.onReceive(x -> x)));
    assertEquals(2, (int) Select.select(ch.onReceive(x -> x), other.onReceive(x -> x)));
  }

  @Test
  void selectUnbiased_choosesEachReadyClauseSometimes() throws Exception {
    assumeTrue(buffered());
    Channel<Integer> other = newChannel();
    int firsts = 0;
    for (int i = 0; i < 200; i++) {
      assertTrue(ch.trySend(1));
      assertTrue(other.trySend(2));
      int r = Select.selectUnbiased(ch.onReceive(x -> x), other.onReceive(x -> x));
      if (r == 1) {
        firsts++;
        assertEquals(2, other.tryReceive());
      } else {
        assertEquals(1, ch.tryReceive());
      }
    }
    assertTrue(firsts > 0 && firsts < 200, "both clauses were chosen: " + firsts + "/200");
  }

  @Test
  void select_losingSendClause_doesNotSend() throws Exception {
    assumeTrue(bounded());
    int n = fill();
    Channel<Integer> other = newChannel();
    var sender =
        TestThreads.start(
            () -> {
              other.send(9);
              return null;
            });
    String r = Select.select(ch.onSend(-1, () -> "sent"), other.onReceive(x -> "got " + x));
    assertEquals("got 9", r);
    sender.join();
    for (int i = 0; i < n; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertNull(ch.tryReceive(), "the losing onSend did not send");
  }

  @Test
  void select_losingReceiveClause_takesNothing() throws Exception {
    Channel<Integer> other = newChannel();
    CompletableFuture<String> selected =
        Select.selectAsync(ch.onReceive(x -> "ch"), other.onReceive(x -> "other"));
    if (buffered()) {
      assertTrue(other.trySend(1));
    } else {
      other.send(1, Duration.ofSeconds(10));
    }
    assertEquals("other", selected.get(10, TimeUnit.SECONDS));
    if (buffered()) {
      assertTrue(ch.trySend(5));
      assertEquals(5, ch.tryReceive(), "the losing onReceive left the element in the channel");
    } else {
      assertFalse(ch.trySend(5), "the losing onReceive no longer waits");
    }
  }

  @Test
  void select_onSend_handsOverToAWaitingReceiver() throws Exception {
    var receiver = TestThreads.start(ch::receive).awaitParked();
    assertEquals("sent", Select.select(ch.onSend(11, () -> "sent")));
    assertEquals(11, receiver.join());
  }

  @Test
  void select_waitsForAClause() throws Exception {
    var selector = TestThreads.start(() -> Select.select(ch.onReceive(x -> x * 10))).awaitParked();
    ch.send(3);
    assertEquals(30, selector.join());
  }

  @Test
  void select_onTimeout_firesWhenNothingIsReady() throws Exception {
    String r = Select.select(ch.onReceive(x -> "got"), Select.onTimeout(SHORT, () -> "timed out"));
    assertEquals("timed out", r);
    if (buffered()) {
      assertTrue(ch.trySend(1));
      assertEquals(1, ch.tryReceive(), "the timed-out select took nothing");
    } else {
      assertFalse(ch.trySend(1), "the timed-out select no longer waits");
    }
  }

  @Test
  void select_orElse_neverWaits() throws Exception {
    assertEquals(
        "nothing", Select.select(ch.onReceive(x -> "got"), Select.orElse(() -> "nothing")));
  }

  @Test
  void select_onClosedChannel_failsAsTheOperationWould() {
    RuntimeException cause = new RuntimeException("done");
    ch.close(cause);
    assertSame(
        cause,
        assertThrows(ChannelClosedException.class, () -> Select.select(ch.onReceive(x -> x)))
            .getCause());
    assertThrows(ChannelClosedException.class, () -> Select.select(ch.onSend(1, () -> 1)));
  }

  @Test
  void select_waiting_failsWhenChannelCloses() throws Exception {
    var selector = TestThreads.start(() -> Select.select(ch.onReceive(x -> x))).awaitParked();
    ch.close();
    assertThrows(ChannelClosedException.class, selector::join);
  }

  @Test
  void select_interruptedWhileWaiting_throwsAndTakesNothing() throws Exception {
    var selector = TestThreads.start(() -> Select.select(ch.onReceive(x -> x))).awaitParked();
    selector.thread().interrupt();
    assertThrows(InterruptedException.class, selector::join);
    assertEquals(buffered(), ch.trySend(1), "the interrupted select no longer waits");
  }

  @Test
  void select_thenFunctionThrows_propagates() throws Exception {
    assumeTrue(buffered());
    assertTrue(ch.trySend(1));
    IllegalStateException oops = new IllegalStateException("oops");
    assertSame(
        oops,
        assertThrows(
            IllegalStateException.class,
            () ->
                Select.select(
                    ch.onReceive(
                        x -> {
                          throw oops;
                        }))));
    assertNull(ch.tryReceive(), "the element was received before the function ran");
  }

  @Test
  void select_rejectsBadClauses() {
    assertThrows(IllegalArgumentException.class, () -> Select.select());
    assertThrows(NullPointerException.class, () -> Select.select((SelectClause<Object>) null));
    assertThrows(
        IllegalArgumentException.class, () -> Select.select(new SelectClause<Object>() {}));
    assertThrows(NullPointerException.class, () -> Select.onTimeout(null, () -> 1));
    assertThrows(NullPointerException.class, () -> Select.orElse(null));
  }

  @Test
  void selectAsync_completesWhenAClauseWins() throws Exception {
    CompletableFuture<Integer> f = Select.selectAsync(ch.onReceive(x -> x + 1));
    assertFalse(f.isDone());
    ch.send(1, Duration.ofSeconds(10));
    assertEquals(2, f.get(10, TimeUnit.SECONDS));
  }

  @Test
  void selectAsync_cancelled_hasNoEffect() throws Exception {
    CompletableFuture<Integer> f = Select.selectAsync(ch.onReceive(x -> x));
    assertTrue(f.cancel(false));
    if (buffered()) {
      assertTrue(ch.trySend(1));
      assertEquals(1, ch.tryReceive());
    } else {
      assertFalse(ch.trySend(1));
    }
  }

  @Test
  void selectAsync_onTimeout_completesFromTheTimer() throws Exception {
    CompletableFuture<String> f =
        Select.selectAsync(ch.onReceive(x -> "got"), Select.onTimeout(SHORT, () -> "late"));
    assertEquals("late", f.get(10, TimeUnit.SECONDS));
  }

  @Test
  void selectAsync_timeoutDependents_doNotHoldUpOtherTimeouts() throws Exception {
    CompletableFuture<String> second =
        Select.selectAsync(
            ch.onReceive(x -> "got"), Select.onTimeout(Duration.ofMillis(40), () -> "2"));
    CompletableFuture<String> first =
        Select.selectAsync(ch.onReceive(x -> "got"), Select.onTimeout(SHORT, () -> "1"))
            .thenApply(v -> v + second.join()); // blocks until the later timeout fires
    assertEquals("12", first.get(20, TimeUnit.SECONDS));
  }

  @Test
  void selectAsync_thenFunctionThrows_failsTheFuture() {
    assumeTrue(buffered());
    assertTrue(ch.trySend(1));
    CompletableFuture<Object> f =
        Select.selectAsync(
            ch.onReceive(
                x -> {
                  throw new IllegalStateException("oops");
                }));
    CompletionException e = assertThrows(CompletionException.class, f::join);
    assertInstanceOf(IllegalStateException.class, e.getCause());
  }
}
