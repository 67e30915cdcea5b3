package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sending and receiving handles ({@link SenderHandle}, {@link ReceiverHandle}, {@link WeakSender},
 * {@link ChannelHandles}): the channel closes when its last sending handle does and is cancelled
 * when its last receiving handle does, at capacities 0, 1, 16 and unbounded; a closed handle
 * refuses use; and the count is race-free.
 */
class HandlesTest {
  private static final Duration LONG = Duration.ofSeconds(10);

  private static Channel<Integer> channel(int capacity) {
    return capacity == 0
        ? Channel.rendezvous()
        : capacity == Integer.MAX_VALUE ? Channel.unbounded() : Channel.bounded(capacity);
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void producersWithAHandleEach_closeTheChannelWhenTheLastIsDone(int capacity) throws Exception {
    Channel<Integer> jobs = channel(capacity);
    int producers = 4;
    int each = 500;
    CountDownLatch started = new CountDownLatch(producers);
    List<Thread> threads = new ArrayList<>();
    List<SenderHandle<Integer>> handles = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      // All made before any producer starts: one that finished early would otherwise be the last.
      handles.add(jobs.newSender());
    }
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      SenderHandle<Integer> mine = handles.get(p);
      Thread t =
          new Thread(
              () -> {
                try (SenderHandle<Integer> tx = mine) {
                  started.countDown();
                  for (int i = 0; i < each; i++) {
                    tx.send(base + i);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      threads.add(t);
    }
    started.await();
    long sum = 0;
    int n = 0;
    for (int e : jobs) { // ends when the last producer closed its handle and the buffer is drained
      sum += e;
      n++;
    }
    assertEquals(producers * each, n);
    assertEquals((long) producers * each * (producers * each - 1) / 2, sum);
    assertTrue(jobs.isClosedForReceive());
    for (Thread t : threads) {
      t.join();
    }
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {1, 16, Integer.MAX_VALUE})
  void lastReceiverClosing_cancelsTheChannel_andTheBufferGoesToTheHandler(int capacity) {
    List<Integer> undelivered = new CopyOnWriteArrayList<>();
    Channel<Integer> ch =
        Channel.<Integer>builder()
            .capacity(capacity)
            .onUndeliveredElement(undelivered::add)
            .build();
    SenderHandle<Integer> tx = ch.newSender();
    ReceiverHandle<Integer> rx1 = ch.newReceiver();
    ReceiverHandle<Integer> rx2 = rx1.newReceiver();
    assertTrue(tx.trySend(1));
    CompletableFuture<Void> gone = tx.closed();
    rx1.close();
    assertFalse(gone.isDone(), "one receiver is still there");
    assertFalse(ch.isClosedForSend());
    rx2.close();
    assertTrue(gone.isDone(), "closed() completes when nobody can receive");
    assertThrows(ChannelClosedException.class, () -> tx.trySend(2));
    assertEquals(List.of(1), undelivered);
  }

  @Test
  void aClosedHandle_refusesUse_withoutTouchingTheChannel_andClosesOnce() throws Exception {
    Channel<Integer> ch = Channel.bounded(4);
    SenderHandle<Integer> tx = ch.newSender();
    SenderHandle<Integer> other = tx.newSender();
    tx.close();
    tx.close(); // nothing: not a second release
    assertTrue(tx.isReleased());
    assertFalse(ch.isClosedForSend(), "another sending handle is open");
    assertThrows(IllegalStateException.class, () -> tx.send(1));
    assertThrows(IllegalStateException.class, () -> tx.trySend(1));
    assertThrows(IllegalStateException.class, () -> tx.sendAsync(1));
    assertThrows(IllegalStateException.class, () -> tx.send(1, LONG));
    assertThrows(IllegalStateException.class, () -> tx.sendAll(List.of(1)));
    assertThrows(IllegalStateException.class, () -> tx.onSend(1, () -> 1));
    assertThrows(IllegalStateException.class, tx::isClosedForSend);
    assertThrows(IllegalStateException.class, tx::closed);
    assertThrows(IllegalStateException.class, tx::newSender);
    assertThrows(IllegalStateException.class, tx::downgrade);
    assertEquals(0, ch.size(), "no use of the closed handle reached the channel");
    other.close();
    assertTrue(ch.isClosedForSend());

    ReceiverHandle<Integer> rx = Channel.<Integer>bounded(1).newReceiver();
    rx.close();
    rx.close();
    assertThrows(IllegalStateException.class, rx::receive);
    assertThrows(IllegalStateException.class, rx::tryReceive);
    assertThrows(IllegalStateException.class, () -> rx.receiveMany(new ArrayList<>(), 1));
    assertThrows(IllegalStateException.class, rx::iterator);
    assertThrows(IllegalStateException.class, rx::newReceiver);
  }

  @Test
  void endedHandles_refuseNewOnes_withChannelClosedException() {
    Channel<Integer> ch = Channel.bounded(2);
    ch.newSender().close();
    assertTrue(ch.isClosedForSend());
    assertThrows(ChannelClosedException.class, ch::newSender);
    ch.newReceiver().close();
    assertThrows(ChannelClosedException.class, ch::newReceiver);
  }

  @Test
  void anExplicitClose_stillClosesAChannelWithHandles() throws Exception {
    Channel<Integer> ch = Channel.bounded(2);
    SenderHandle<Integer> tx = ch.newSender();
    CompletableFuture<Void> closed = tx.closed();
    ch.close();
    assertTrue(closed.isDone());
    assertThrows(ChannelClosedException.class, () -> tx.send(1));
    assertTrue(tx.isClosedForSend());
    tx.close(); // the count ends; the channel was closed already
    assertThrows(ChannelClosedException.class, ch::newSender);
  }

  @Test
  void weakSender_doesNotKeepTheChannelOpen_andUpgradesOnlyWhileAHandleIs() throws Exception {
    ChannelHandles<String> h = Channel.handles(4);
    WeakSender<String> weak = h.sender().downgrade();
    assertEquals(1, weak.senderCount());
    SenderHandle<String> strong = weak.upgrade();
    assertNotNull(strong);
    assertEquals(2, weak.senderCount());
    strong.send("from the upgrade");
    strong.close();
    h.sender().close();
    assertEquals(0, weak.senderCount());
    assertNull(weak.upgrade(), "every sending handle closed");
    assertEquals("from the upgrade", h.receiver().receive());
    assertThrows(ChannelClosedException.class, () -> h.receiver().receive());
    assertTrue(weak.sameChannel(h.receiver()));
  }

  @Test
  void channelHandles_ownTheirChannel_andViewsCloseTheHandle() throws Exception {
    ChannelHandles<Integer> h = Channel.<Integer>builder().capacity(8).buildHandles();
    Sender<Integer> asSender = h.sender().asSender();
    Receiver<Integer> asReceiver = h.receiver().asReceiver();
    asSender.send(1);
    assertTrue(asSender.sameChannel(asReceiver));
    assertTrue(h.sender().sameChannel(h.receiver()));
    IllegalStateException why = new IllegalStateException("done");
    assertTrue(asSender.close(why), "closes the handle, the last one: the channel closes");
    assertFalse(asSender.close(), "closed once");
    assertTrue(h.sender().isReleased());
    assertEquals(1, asReceiver.receive());
    ChannelClosedException e = assertThrows(ChannelClosedException.class, asReceiver::receive);
    assertSame(why, e.getCause());
    asReceiver.cancel();
    assertTrue(h.receiver().isReleased());
    assertThrows(
        IllegalArgumentException.class,
        () -> new ChannelHandles<>(Channel.<Integer>handles(1).sender(), h.receiver()));
  }

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 16, Integer.MAX_VALUE})
  void handlesMadeWhileTheLastCloses_keepItOpenOrAreRefused_andEveryAcceptedSendArrives(
      int capacity) throws Exception {
    for (int round = 0; round < 50; round++) {
      Channel<Integer> ch = channel(capacity);
      SenderHandle<Integer> first = ch.newSender();
      AtomicInteger sent = new AtomicInteger();
      AtomicInteger refused = new AtomicInteger();
      int racers = 4;
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int r = 0; r < racers; r++) {
        int id = r;
        Thread t =
            new Thread(
                () -> {
                  try {
                    go.await();
                    try (SenderHandle<Integer> mine = ch.newSender()) {
                      mine.send(id);
                      sent.incrementAndGet();
                    }
                  } catch (ChannelClosedException e) {
                    refused.incrementAndGet();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        t.start();
        threads.add(t);
      }
      go.countDown();
      first.close();
      List<Integer> got = new ArrayList<>();
      for (int e : ch) {
        got.add(e);
      }
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertFalse(t.isAlive());
      }
      assertEquals(sent.get(), got.size(), "every send that returned was received");
      assertEquals(racers, sent.get() + refused.get());
      assertTrue(ch.isClosedForSend());
      assertInstanceOf(ChannelClosedException.class, assertThrows(Exception.class, ch::newSender));
    }
  }

  @Test
  void aHandlerThatClosesTheSameHandleAgain_returnsAtOnce() {
    AtomicReference<ReceiverHandle<Integer>> self = new AtomicReference<>();
    List<Integer> undelivered = new ArrayList<>();
    Channel<Integer> ch =
        Channel.<Integer>builder()
            .capacity(2)
            .onUndeliveredElement(
                e -> {
                  undelivered.add(e);
                  self.get().close(); // the close in progress is this thread's: no wait
                })
            .build();
    ReceiverHandle<Integer> rx = ch.newReceiver();
    self.set(rx);
    assertTrue(ch.trySend(1));
    rx.close();
    assertEquals(List.of(1), undelivered);
    assertTrue(ch.isClosedForSend());
  }

  @Test
  void onClosed_letsAProducersSelectStopWhenItsConsumersGoAway() throws Exception {
    ChannelHandles<Integer> h = Channel.handles(1);
    SenderHandle<Integer> tx = h.sender();
    Channel<Integer> upstream = Channel.rendezvous();
    TestThreads.Started<String> producer =
        TestThreads.start(
                () ->
                    Select.select(
                        upstream.onReceive(x -> "got work"), tx.onClosed(() -> "consumers gone")))
            .awaitParked();
    h.receiver().close();
    assertEquals("consumers gone", producer.join());
    // Every later select sees the close too: the clause puts the signal back.
    assertEquals("again", Select.select(tx.onClosed(() -> "again")));
    assertEquals("async", Select.selectAsync(tx.onClosed(() -> "async")).get(5, TimeUnit.SECONDS));
    assertEquals("closed", Select.select(tx.onClosed(() -> "closed"), Select.orElse(() -> "open")));
  }

  @Test
  void onClosed_besideAnOnSendOfTheSameChannel_theCloseFailsTheSelectAsTheSendWould()
      throws Exception {
    ChannelHandles<Integer> h = Channel.handles(1);
    SenderHandle<Integer> tx = h.sender();
    assertTrue(tx.trySend(0)); // full: the next send waits
    TestThreads.Started<String> producer =
        TestThreads.start(
                () -> Select.select(tx.onSend(1, () -> "sent"), tx.onClosed(() -> "gone")))
            .awaitParked();
    h.receiver().close();
    assertThrows(ChannelClosedException.class, producer::join);
  }

  @Test
  void onClosed_isNotChosenWhileTheChannelIsOpen() throws Exception {
    ChannelHandles<Integer> h = Channel.handles(4);
    assertEquals(
        "open", Select.select(h.sender().onClosed(() -> "closed"), Select.orElse(() -> "open")));
    assertEquals(
        "sent",
        Select.select(h.sender().onClosed(() -> "closed"), h.sender().onSend(1, () -> "sent")));
    assertThrows(NullPointerException.class, () -> h.sender().onClosed(null));
  }
}
