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
 * One sender sends 0, 1, 2, ... through a broadcast (a capacity drawn per round, from 1), then
 * closes it; subscribers receive through random faces (blocking, timed, try, a future cancelled at
 * random, select beside an empty channel, select with a fallback) and account for every element:
 * each element received must be the next one expected, and each lag reported moves the expectation
 * on by exactly its count. At the close, every subscriber must have accounted for every element
 * sent: received or reported missed, none twice, none silently skipped. A lost wake-up shows as a
 * subscriber that waits after the close (the round times out); an element taken by a withdrawn
 * receive shows as a gap.
 */
class BroadcastStressTest {
  private static final boolean LONG = "long".equals(System.getProperty("sluice.stress"));
  private static final int ROUNDS = LONG ? 2_000 : 60;
  private static final int SENT = LONG ? 20_000 : 2_000;
  private static final int SUBSCRIBERS = 3;

  /** From always lagging to never (the largest holds every element of a round). */
  private static final int[] CAPACITIES = {1, 2, 3, 16, 256, 1 << 15};

  @Test
  void everyElementIsReceivedOnceOrReportedMissed_inOrder() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SUBSCRIBERS + 1);
    try {
      SplittableRandom seeds = new SplittableRandom(11);
      long lagged = 0;
      for (int round = 0; round < ROUNDS; round++) {
        Broadcast<Integer> broadcast =
            Broadcast.create(CAPACITIES[seeds.nextInt(CAPACITIES.length)]);
        @SuppressWarnings("unchecked")
        Future<long[]>[] subscribers = new Future[SUBSCRIBERS];
        List<Broadcast.Subscriber<Integer>> subscribed = new ArrayList<>();
        for (int s = 0; s < SUBSCRIBERS; s++) {
          Broadcast.Subscriber<Integer> subscriber = broadcast.subscribe();
          subscribed.add(subscriber);
          SplittableRandom random = seeds.split();
          subscribers[s] = pool.submit(() -> receiveAll(subscriber, random));
        }
        // The sender yields every few sends (a number drawn per round), so that subscribers both
        // wait and fall behind.
        int yieldEvery = 1 + seeds.nextInt(64);
        pool.submit(
                () -> {
                  for (int i = 0; i < SENT; i++) {
                    assertEquals(SUBSCRIBERS, broadcast.send(i));
                    if (i % yieldEvery == 0) {
                      Thread.yield();
                    }
                  }
                  broadcast.close();
                })
            .get(60, TimeUnit.SECONDS);
        for (Future<long[]> subscriber : subscribers) {
          long[] account;
          try {
            account = subscriber.get(20, TimeUnit.SECONDS);
          } catch (TimeoutException e) {
            throw new AssertionError(
                "round " + round + ": a subscriber waits after the close: " + subscribed, e);
          }
          assertEquals(SENT, account[0], "round " + round + ": elements accounted for");
          lagged += account[1];
        }
      }
      System.out.println(
          "BroadcastStressTest: " + ROUNDS + " rounds, " + lagged + " elements missed by lag");
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  /**
   * One thread uses a subscriber: it asks for a future, cancels it, and receives. Meanwhile one
   * thread sends {@code a}, whose wake-up completes the future in that thread, and another sends
   * {@code a + 1} once {@code a} is sent. When the cancel wins, the element the future's look took
   * goes back; a receive made after the cancel must not get {@code a + 1} before it. It did (7
   * rounds in 20,000): the look handed the token on before the cancel was decided, and the receive
   * took the token and read past the element on its way back. Now the look keeps the token until
   * the future's claim is decided.
   */
  @Test
  void aReceiveAfterASuccessfulCancelNeverOvertakesTheElementGivenBack() throws Exception {
    int rounds = LONG ? 20_000 : 3_000;
    Broadcast<Integer> b = Broadcast.create(8);
    Broadcast.Subscriber<Integer> s = b.subscribe();
    Broadcast.Subscriber<Integer> witness = b.subscribe(); // tells the second sender a was sent
    for (int i = 0; i < rounds; i++) {
      int a = 2 * i;
      CompletableFuture<Broadcast.Received<Integer>> f = s.receiveAsync();
      CountDownLatch go = new CountDownLatch(1);
      Thread first =
          new Thread(
              () -> {
                awaitUninterruptibly(go);
                b.send(a);
              });
      Thread second =
          new Thread(
              () -> {
                awaitUninterruptibly(go);
                while (witness.size() < 1) {
                  Thread.onSpinWait();
                }
                b.send(a + 1);
              });
      first.start();
      second.start();
      go.countDown();
      List<Integer> got = new ArrayList<>();
      if (!f.cancel(false)) {
        got.add(f.get(10, TimeUnit.SECONDS).value());
      }
      while (got.size() < 2) {
        Integer next = s.receive(Duration.ofSeconds(10));
        assertTrue(next != null, "round " + i + ": an element never came");
        got.add(next);
      }
      first.join();
      second.join();
      assertEquals(List.of(a, a + 1), got, "round " + i + ": each element once, in the order sent");
      assertEquals(a, witness.tryReceive().value());
      assertEquals(a + 1, witness.tryReceive().value());
    }
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Receives until the broadcast reports closed; returns the next element expected (how many were
   * accounted for) and how many were reported missed.
   */
  private static long[] receiveAll(
      Broadcast.Subscriber<Integer> subscriber, SplittableRandom random) throws Exception {
    Channel<Integer> never = Channel.rendezvous();
    long expected = 0;
    long missed = 0;
    while (true) {
      Integer v = null;
      long lag = 0;
      try {
        switch (random.nextInt(6)) {
          case 0 -> v = subscriber.receive();
          case 1 -> v = subscriber.receive(Duration.ofNanos(random.nextInt(50_000)));
          case 2 -> {
            Broadcast.Received<Integer> r = subscriber.tryReceive();
            if (r == null) {
              Thread.yield();
            } else if (r.isLagged()) {
              lag = r.missed();
            } else {
              v = r.value();
            }
          }
          case 3 -> {
            CompletableFuture<Broadcast.Received<Integer>> f = subscriber.receiveAsync();
            if (!(random.nextBoolean() && f.cancel(false))) { // a cancelled one received nothing
              Broadcast.Received<Integer> r = f.join();
              lag = r.missed();
              v = r.valueOrNull();
            }
          }
          case 4 -> v = Select.select(never.onReceive(x -> x), subscriber.onReceive(x -> x));
          default -> {
            int got = Select.select(subscriber.onReceive(x -> x), Select.orElse(() -> -1));
            v = got == -1 ? null : got; // -1: nothing now
          }
        }
      } catch (LaggedException e) {
        lag = e.missed();
      } catch (ChannelClosedException e) {
        return new long[] {expected, missed};
      } catch (CompletionException e) {
        if (e.getCause() instanceof ChannelClosedException) {
          return new long[] {expected, missed};
        }
        throw e;
      }
      if (lag > 0) {
        expected += lag;
        missed += lag;
      }
      if (v != null) {
        if (v != expected) {
          fail("received " + v + " when " + expected + " was next (" + missed + " missed so far)");
        }
        expected++;
      }
    }
  }
}
