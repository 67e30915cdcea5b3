package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * One setter counts a watch up from 0 to a target, then closes it; readers wait through random
 * faces (blocking, timed, try, a future cancelled at random, select beside an empty channel, select
 * with a fallback) and check what they see: every value newer than the one before (never an old
 * one, never one twice), and the last value, the target, seen before the close is reported. A lost
 * wake-up shows as a reader that never sees the target (the round times out); a change marked by a
 * withdrawn wait shows as a reader that misses the target.
 */
class WatchStressTest {
  private static final boolean LONG = "long".equals(System.getProperty("sluice.stress"));
  private static final int ROUNDS = LONG ? 2_000 : 60;
  private static final int TARGET = LONG ? 20_000 : 2_000;
  private static final int READERS = 3;

  @Test
  void readersSeeOnlyNewerValues_andAlwaysTheLast() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
    try {
      SplittableRandom seeds = new SplittableRandom(7);
      for (int round = 0; round < ROUNDS; round++) {
        Watch<Integer> watch = Watch.create(0);
        @SuppressWarnings("unchecked")
        Future<Integer>[] readers = new Future[READERS];
        List<Watch.Reader<Integer>> subscribed = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
          Watch.Reader<Integer> reader = watch.subscribe();
          subscribed.add(reader);
          SplittableRandom random = seeds.split();
          readers[r] = pool.submit(() -> read(reader, random));
        }
        // The setter yields every few sets (a number drawn per round), so that readers wait and
        // are woken often, instead of seeing most sets conflated.
        int yieldEvery = 1 + seeds.nextInt(64);
        pool.submit(
                () -> {
                  for (int i = 1; i <= TARGET; i++) {
                    watch.set(i);
                    if (i % yieldEvery == 0) {
                      Thread.yield();
                    }
                  }
                  watch.close();
                })
            .get(60, TimeUnit.SECONDS);
        for (Future<Integer> reader : readers) {
          int last;
          try {
            last = reader.get(20, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            throw new AssertionError(
                "round " + round + ": a reader waits after the close: " + subscribed, e);
          }
          assertEquals(TARGET, last, "round " + round + ": the last value seen");
        }
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /** Reads until the watch reports closed; returns the last value seen. */
  private static int read(Watch.Reader<Integer> reader, SplittableRandom random) throws Exception {
    Channel<Integer> never = Channel.rendezvous();
    int last = 0;
    while (true) {
      Integer v;
      try {
        switch (random.nextInt(6)) {
          case 0 -> v = reader.changed();
          case 1 -> v = reader.changed(Duration.ofNanos(random.nextInt(50_000)));
          case 2 -> {
            v = reader.tryChanged();
            if (v == null) {
              Thread.yield();
            }
          }
          case 3 -> {
            CompletableFuture<Integer> f = reader.changedAsync();
            if (random.nextBoolean() && f.cancel(false)) {
              v = null; // withdrawn: marked nothing
            } else {
              v = f.join();
            }
          }
          case 4 -> v = Select.select(never.onReceive(x -> x), reader.onChanged(x -> x));
          default -> {
            int got = Select.select(reader.onChanged(x -> x), Select.orElse(() -> -1));
            v = got == -1 ? null : got; // -1: nothing changed now
          }
        }
      } catch (ChannelClosedException e) {
        return last;
      } catch (CompletionException e) {
        if (e.getCause() instanceof ChannelClosedException) {
          return last;
        }
        throw e;
      }
      if (v != null) {
        if (v <= last) {
          fail("saw " + v + " after " + last);
        }
        last = v;
      }
    }
  }

  /**
   * A reader's future is cancelled just as a set wakes it, and the reader then looks with {@code
   * tryChanged}. When the cancel reports success, nothing was marked, so the look must see the
   * change. It did not (5 rounds in 20,000): the future's callback marked the change, then found
   * the future cancelled and unmarked it, and a look in between saw no change. Now the future is
   * claimed under the watch's lock before anything is marked.
   */
  @Test
  void aChangeIsSeenRightAfterASuccessfulCancel() throws Exception {
    int rounds = LONG ? 20_000 : 3_000;
    Watch<Integer> watch = Watch.create(0);
    Watch.Reader<Integer> reader = watch.subscribe();
    for (int v = 1; v <= rounds; v++) {
      CompletableFuture<Integer> f = reader.changedAsync();
      int value = v;
      CountDownLatch go = new CountDownLatch(1);
      Thread setter =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  throw new AssertionError(e);
                }
                watch.set(value);
              });
      setter.start();
      go.countDown();
      while (watch.get() != value) {
        Thread.onSpinWait();
      }
      boolean cancelled = f.cancel(false);
      Integer seen = reader.tryChanged();
      setter.join();
      if (cancelled) {
        assertEquals(value, seen, "round " + v + ": the cancel succeeded, so the change is unseen");
      } else {
        assertEquals(value, seen != null ? seen : f.get(10, TimeUnit.SECONDS), "round " + v);
      }
    }
  }
}
