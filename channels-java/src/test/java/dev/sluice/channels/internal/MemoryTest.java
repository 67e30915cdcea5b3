package dev.sluice.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.channels.BufferOverflow;
import dev.sluice.channels.Select;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Abandoned waiters leave nothing behind, and an unbounded channel gives memory back after a burst
 * (DESIGN.md section 3, "Memory"). Checked on the engine's own counts rather than on heap figures,
 * which are too noisy to assert on: a waiter still linked is exactly what would keep memory alive.
 */
class MemoryTest {
  private static final int MANY = 1_000_000;

  private static BufferedChannel<Integer> channel(int capacity) {
    return new BufferedChannel<>(capacity, BufferOverflow.SUSPEND, null);
  }

  @Test
  void timedOutReceives_onEmptyChannel_leaveNoWaiter() throws Exception {
    BufferedChannel<Integer> ch = channel(0);
    for (int i = 0; i < 1_000; i++) { // each really parks a little: keep this count modest
      assertEquals(null, ch.receive(Duration.ofNanos(1_000)));
    }
    assertEquals(0, ch.queuedWaiters());
  }

  @Test
  void cancelledReceiveFutures_onEmptyChannel_leaveNoWaiter() {
    BufferedChannel<Integer> ch = channel(0);
    for (int i = 0; i < MANY; i++) {
      CompletableFuture<Integer> f = ch.receiveAsync();
      assertTrue(f.cancel(false));
      if (i % 100_000 == 0) {
        assertEquals(0, ch.queuedWaiters());
      }
    }
    assertEquals(0, ch.queuedWaiters());
  }

  @Test
  void cancelledSendFutures_onFullChannel_leaveNoWaiter() {
    BufferedChannel<Integer> ch = channel(1);
    assertTrue(ch.trySend(0));
    for (int i = 0; i < MANY; i++) {
      assertTrue(ch.sendAsync(i).cancel(false));
    }
    assertEquals(0, ch.queuedWaiters());
    assertEquals(0, ch.tryReceive());
  }

  @Test
  void timedOutFutures_leaveNoWaiter() throws Exception {
    BufferedChannel<Integer> ch = channel(0);
    CompletableFuture<?>[] fs = new CompletableFuture<?>[10_000];
    for (int i = 0; i < fs.length; i++) {
      fs[i] = ch.receiveAsync().orTimeout(1, TimeUnit.MILLISECONDS);
    }
    CompletableFuture.allOf(fs).exceptionally(e -> null).get(30, TimeUnit.SECONDS);
    assertEquals(0, ch.queuedWaiters());
  }

  @Test
  void finishedSelects_leaveNoWaiterInTheChannelsThatLost() throws Exception {
    BufferedChannel<Integer> a = channel(1);
    BufferedChannel<Integer> b = channel(1);
    for (int i = 0; i < 100_000; i++) {
      CompletableFuture<Integer> f = Select.selectAsync(a.onReceive(x -> x), b.onReceive(x -> x));
      assertTrue(b.trySend(i));
      assertEquals(i, f.get());
    }
    assertEquals(0, a.queuedWaiters());
    assertEquals(0, b.queuedWaiters());
    for (int i = 0; i < 100_000; i++) {
      assertTrue(Select.selectAsync(a.onReceive(x -> x), b.onReceive(x -> x)).cancel(false));
    }
    assertEquals(0, a.queuedWaiters());
    assertEquals(0, b.queuedWaiters());
    assertEquals(
        "timeout",
        Select.select(
            a.onReceive(x -> "x"), Select.onTimeout(Duration.ofMillis(1), () -> "timeout")));
    assertEquals(0, a.queuedWaiters());
  }

  @Test
  void unboundedChannel_givesMemoryBackAfterABurst() {
    BufferedChannel<Integer> ch = channel(Integer.MAX_VALUE);
    long initial = ch.bufferSlots();
    for (int i = 0; i < MANY; i++) {
      ch.trySend(i);
    }
    assertTrue(ch.bufferSlots() >= MANY);
    for (int i = 0; i < MANY; i++) {
      assertEquals(i, ch.tryReceive());
    }
    assertEquals(initial, ch.bufferSlots(), "the chunks of the burst were let go");
  }

  @Test
  void boundedChannel_keepsItsArray_soTheFastPathDoesNotAllocate() {
    BufferedChannel<Integer> ch = channel(1024);
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 1024; i++) {
        assertTrue(ch.trySend(i));
      }
      assertFalse(ch.trySend(-1));
      for (int i = 0; i < 1024; i++) {
        assertEquals(i, ch.tryReceive());
      }
      assertEquals(1024, ch.bufferSlots(), "one array, kept");
    }
  }
}
