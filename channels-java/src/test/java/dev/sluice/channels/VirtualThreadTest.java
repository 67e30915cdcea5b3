package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Thousands of virtual threads wait on channels at once and are all served. The surefire
 * configuration gives the virtual-thread scheduler two carrier threads, so a waiter that pinned its
 * carrier would starve the others and the test would not finish.
 *
 * <p>Runs on JDK 21+ (the JDK 25 pass of CI); skipped where the JDK has no virtual threads.
 */
class VirtualThreadTest {
  private static final int THREADS = 5_000;

  private static ExecutorService virtualThreads() {
    ExecutorService vts = TestThreads.virtualThreadExecutorOrNull();
    assumeTrue(vts != null, "this JDK has no virtual threads");
    return vts;
  }

  private static void shutDown(ExecutorService vts) throws InterruptedException {
    vts.shutdown();
    assertTrue(vts.awaitTermination(60, TimeUnit.SECONDS));
  }

  @Test
  void thousandsOfWaitingReceiversAndSenders_areAllServed() throws Exception {
    for (Channel<Integer> ch :
        List.of(Channel.<Integer>rendezvous(), Channel.<Integer>bounded(1))) {
      ExecutorService vts = virtualThreads();
      List<Future<Integer>> receivers = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        receivers.add(vts.submit(() -> ch.receive()));
      }
      for (int i = 0; i < THREADS; i++) {
        int value = i;
        vts.submit(
            () -> {
              ch.send(value);
              return null;
            });
      }
      BitSet seen = new BitSet();
      for (Future<Integer> r : receivers) {
        int v = r.get(60, TimeUnit.SECONDS);
        assertFalse(seen.get(v), "duplicate " + v);
        seen.set(v);
      }
      assertEquals(THREADS, seen.cardinality());
      shutDown(vts);
    }
  }

  @Test
  void thousandsOfTimedSenders_deliverExactlyWhatTheyReportSent() throws Exception {
    ExecutorService vts = virtualThreads();
    Channel<Integer> ch = Channel.bounded(4);
    List<Future<Boolean>> senders = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int value = i;
      senders.add(vts.submit(() -> ch.send(value, Duration.ofMillis(value % 7))));
    }
    BitSet received = new BitSet();
    Future<?> receiver =
        vts.submit(
            () -> {
              for (int v : ch) { // until closed and drained
                assertFalse(received.get(v), "duplicate " + v);
                received.set(v);
              }
              return null;
            });
    BitSet sent = new BitSet();
    for (int i = 0; i < THREADS; i++) {
      if (senders.get(i).get(60, TimeUnit.SECONDS)) {
        sent.set(i);
      }
    }
    ch.close();
    receiver.get(60, TimeUnit.SECONDS);
    assertEquals(sent, received, "received exactly what was reported sent");
    shutDown(vts);
  }
}
