package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ChannelBuilderTest {

  @Test
  void factories_rejectBadCapacities() {
    assertThrows(IllegalArgumentException.class, () -> Channel.bounded(0));
    assertThrows(IllegalArgumentException.class, () -> Channel.bounded(-1));
    assertThrows(IllegalArgumentException.class, () -> Channel.builder().capacity(-1));
    assertThrows(NullPointerException.class, () -> Channel.builder().overflow(null));
    assertThrows(NullPointerException.class, () -> Channel.builder().onUndeliveredElement(null));
  }

  @Test
  void capacity_isReported() {
    assertEquals(0, Channel.rendezvous().capacity());
    assertEquals(3, Channel.bounded(3).capacity());
    assertEquals(Integer.MAX_VALUE, Channel.unbounded().capacity());
    assertEquals(0, Channel.builder().build().capacity());
    assertEquals(5, Channel.builder().capacity(5).build().capacity());
    assertEquals(
        Integer.MAX_VALUE, Channel.builder().capacity(ChannelBuilder.UNBOUNDED).build().capacity());
  }

  @Test
  void rendezvousWithDroppingPolicy_getsABufferOfOne() {
    Channel<Integer> c =
        Channel.<Integer>builder().capacity(0).overflow(BufferOverflow.DROP_OLDEST).build();
    assertEquals(1, c.capacity());
    assertTrue(c.trySend(1));
    assertTrue(c.trySend(2));
    assertEquals(2, c.tryReceive());
  }

  @Test
  void dropOldest_keepsTheNewest_andHandsTheOldestToTheHandler() throws Exception {
    List<Integer> dropped = new ArrayList<>();
    Channel<Integer> c =
        Channel.<Integer>builder()
            .capacity(2)
            .overflow(BufferOverflow.DROP_OLDEST)
            .onUndeliveredElement(dropped::add)
            .build();
    for (int i = 1; i <= 5; i++) {
      c.send(i); // never waits
    }
    assertTrue(c.trySend(6));
    c.sendAsync(7).get();
    assertEquals(List.of(1, 2, 3, 4, 5), dropped);
    assertEquals(6, c.tryReceive());
    assertEquals(7, c.tryReceive());
    assertNull(c.tryReceive());
  }

  @Test
  void dropLatest_keepsTheOldest_andHandsTheNewToTheHandler() throws Exception {
    List<Integer> dropped = new ArrayList<>();
    Channel<Integer> c =
        Channel.<Integer>builder()
            .capacity(2)
            .overflow(BufferOverflow.DROP_LATEST)
            .onUndeliveredElement(dropped::add)
            .build();
    for (int i = 1; i <= 4; i++) {
      assertTrue(c.trySend(i), "a dropping channel reports every send as done");
    }
    assertEquals("ok", Select.select(c.onSend(5, () -> "ok")));
    assertEquals(List.of(3, 4, 5), dropped);
    assertEquals(1, c.tryReceive());
    assertEquals(2, c.tryReceive());
  }

  @Test
  void droppingChannel_stillHandsOverToWaitingReceivers() throws Exception {
    Channel<Integer> c =
        Channel.<Integer>builder().capacity(1).overflow(BufferOverflow.DROP_LATEST).build();
    CompletableFuture<Integer> r = c.receiveAsync();
    assertTrue(c.trySend(1));
    assertEquals(1, r.get());
  }

  @Test
  void undeliveredHandlerFailure_goesToTheUncaughtHandler_andTheSendStillSucceeds() {
    RuntimeException boom = new RuntimeException("handler failed");
    Channel<Integer> c =
        Channel.<Integer>builder()
            .capacity(1)
            .overflow(BufferOverflow.DROP_OLDEST)
            .onUndeliveredElement(
                e -> {
                  throw boom;
                })
            .build();
    List<Throwable> uncaught =
        withUncaughtHandler(
            () -> {
              assertTrue(c.trySend(1));
              assertTrue(c.trySend(2), "the send took effect: it must not look failed");
              assertTrue(c.sendAsync(3).isDone() && !c.sendAsync(4).isCompletedExceptionally());
            });
    assertEquals(List.of(boom, boom, boom), uncaught);
    assertEquals(4, c.tryReceive());
  }

  @Test
  void cancel_handsEveryElementToTheHandler_evenWhenItThrows() {
    List<Integer> seen = new ArrayList<>();
    Channel<Integer> c =
        Channel.<Integer>builder()
            .capacity(3)
            .onUndeliveredElement(
                e -> {
                  seen.add(e);
                  throw new AssertionError("for " + e); // even an Error
                })
            .build();
    c.trySend(1);
    c.trySend(2);
    c.trySend(3);
    List<Throwable> uncaught = withUncaughtHandler(c::cancel);
    assertEquals(3, uncaught.size());
    assertEquals(List.of(1, 2, 3), seen);
    assertTrue(c.isClosedForReceive());
  }

  private static List<Throwable> withUncaughtHandler(Runnable body) {
    List<Throwable> uncaught = new ArrayList<>();
    Thread t = Thread.currentThread();
    Thread.UncaughtExceptionHandler before = t.getUncaughtExceptionHandler();
    t.setUncaughtExceptionHandler((thread, e) -> uncaught.add(e));
    try {
      body.run();
    } finally {
      t.setUncaughtExceptionHandler(before);
    }
    return uncaught;
  }

  @Test
  void toString_describesTheState() {
    Channel<Integer> c = Channel.bounded(4);
    c.trySend(1);
    c.close();
    String s = c.toString();
    assertTrue(s.contains("capacity=4") && s.contains("buffered=1") && s.contains("closed"), s);
  }
}
