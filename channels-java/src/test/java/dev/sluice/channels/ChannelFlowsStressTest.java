package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Elements flow from a source channel through {@link ChannelFlows#publisher} into {@link
 * ChannelFlows#subscriber}s that send them into a sink channel, over several competing pipelines
 * whose subscriptions are cancelled at random: from inside {@code onNext}, right after subscribing,
 * or from another thread while elements flow. A cancelled pipeline subscribes again, until the
 * source is closed and drained.
 *
 * <p>Every element is counted where it ends: received from the sink, handed to the source's
 * undelivered-element handler (given back after the source was closed and drained), or handed to a
 * subscriber's {@code onUnsent}. Each must end exactly once: nothing lost to a cancellation,
 * nothing duplicated.
 *
 * <p>Rounds follow {@code sluice.stress}: a few dozen by default, many more with {@code long}.
 */
class ChannelFlowsStressTest {
  private static final boolean LONG = "long".equals(System.getProperty("sluice.stress"));
  private static final int ROUNDS = LONG ? 400 : 24;
  private static final int ELEMENTS = LONG ? 20_000 : 4_000;
  private static final int PIPELINES = 3;
  private static final int[] SOURCE_CAPACITIES = {0, 1, 4, 16, Integer.MAX_VALUE};

  @Test
  void everyElementEndsExactlyOnce_underRandomCancellation() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      SplittableRandom seeds = new SplittableRandom(5);
      for (int round = 0; round < ROUNDS; round++) {
        runRound(pool, seeds.split(), round);
      }
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  private static void runRound(ExecutorService pool, SplittableRandom random, int round)
      throws Exception {
    AtomicIntegerArray ends = new AtomicIntegerArray(ELEMENTS);
    AtomicInteger ended = new AtomicInteger();
    AtomicInteger undelivered = new AtomicInteger();
    AtomicInteger unsent = new AtomicInteger();
    AtomicInteger subscriptions = new AtomicInteger();

    int sourceCapacity = SOURCE_CAPACITIES[random.nextInt(SOURCE_CAPACITIES.length)];
    Channel<Integer> source =
        Channel.<Integer>builder()
            .capacity(sourceCapacity)
            .onUndeliveredElement(
                e -> {
                  undelivered.incrementAndGet();
                  end(ends, ended, e);
                })
            .build();
    Channel<Integer> sink = Channel.bounded(1 + random.nextInt(8));
    String what = "round " + round + ", source capacity " + sourceCapacity;

    List<Thread> threads = new ArrayList<>();
    List<CompletableFuture<Void>> outcomes = new ArrayList<>();
    AtomicInteger producersLeft = new AtomicInteger(2);
    AtomicInteger pipelinesLeft = new AtomicInteger(PIPELINES);
    for (int p = 0; p < 2; p++) {
      int first = p;
      outcomes.add(
          start(
              threads,
              "producer",
              () -> {
                for (int i = first; i < ELEMENTS; i += 2) {
                  source.send(i);
                }
                if (producersLeft.decrementAndGet() == 0) {
                  source.close();
                }
              }));
    }
    for (int p = 0; p < PIPELINES; p++) {
      SplittableRandom mine = random.split();
      outcomes.add(
          start(
              threads,
              "pipeline",
              () -> {
                while (true) {
                  subscriptions.incrementAndGet();
                  Flow.Publisher<Integer> publisher =
                      mine.nextBoolean()
                          ? ChannelFlows.publisher(source)
                          : ChannelFlows.publisher(source, pool);
                  Flow.Subscriber<Integer> into =
                      ChannelFlows.subscriber(
                          sink,
                          1 + mine.nextInt(16),
                          false,
                          e -> {
                            unsent.incrementAndGet();
                            end(ends, ended, e);
                          });
                  Cutter cutter = new Cutter(into, mine.split(), pool);
                  publisher.subscribe(cutter);
                  if (cutter.ended.get(60, TimeUnit.SECONDS)) {
                    pipelinesLeft.decrementAndGet();
                    return; // the source is closed and drained
                  }
                }
              }));
    }
    for (int c = 0; c < 2; c++) {
      outcomes.add(
          start(
              threads,
              "consumer",
              () -> {
                // Once every pipeline saw the source drained, what is still on its way reaches
                // the sink quickly: a second without an element then means one was lost.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long quiet = Long.MAX_VALUE;
                while (ended.get() < ELEMENTS) {
                  Integer e = sink.receive(Duration.ofMillis(20));
                  long now = System.nanoTime();
                  if (e != null) {
                    end(ends, ended, e);
                    quiet = Long.MAX_VALUE;
                  } else if (pipelinesLeft.get() == 0 && quiet == Long.MAX_VALUE) {
                    quiet = now;
                  }
                  if (now > deadline || now - quiet > TimeUnit.SECONDS.toNanos(1)) {
                    throw new AssertionError("stalled: " + ended.get() + " of " + ELEMENTS);
                  }
                }
              }));
    }
    try {
      for (CompletableFuture<Void> outcome : outcomes) {
        outcome.get(90, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      for (Thread t : threads) {
        t.interrupt();
      }
      throw new AssertionError(what + ": " + e, e);
    }
    for (int i = 0; i < ELEMENTS; i++) {
      if (ends.get(i) != 1) {
        fail(what + ": element " + i + " ended " + ends.get(i) + " times");
      }
    }
    assertEquals(ELEMENTS, ended.get(), what);
    assertEquals(0, unsent.get(), what + ": the sink never closed, so everything was sent");
    assertTrue(sink.isEmpty(), what);
    assertTrue(source.isClosedForReceive(), what);
    assertTrue(subscriptions.get() >= PIPELINES, what);
  }

  private static void end(AtomicIntegerArray ends, AtomicInteger ended, int e) {
    ends.incrementAndGet(e);
    ended.incrementAndGet();
  }

  interface Body {
    void run() throws Exception;
  }

  private static CompletableFuture<Void> start(List<Thread> threads, String name, Body body) {
    CompletableFuture<Void> outcome = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
                outcome.complete(null);
              } catch (Throwable e) {
                outcome.completeExceptionally(e);
              }
            },
            name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return outcome;
  }

  /**
   * Passes signals through between the publisher and the channel's subscriber, and cancels its
   * subscription at a random point. Elements signalled after the cancel are passed on too: they
   * were delivered. {@link #ended} is true if the publisher completed, false if this cut it.
   */
  static final class Cutter implements Flow.Subscriber<Integer>, Flow.Subscription {
    final CompletableFuture<Boolean> ended = new CompletableFuture<>();
    private final Flow.Subscriber<Integer> downstream;
    private final int plan;
    private final int cutAfter;
    private final SplittableRandom random;
    private final ExecutorService pool;
    private volatile Flow.Subscription upstream;
    private int seen;

    Cutter(Flow.Subscriber<Integer> downstream, SplittableRandom random, ExecutorService pool) {
      this.downstream = downstream;
      this.random = random;
      this.pool = pool;
      this.plan = random.nextInt(10); // 0-3: never; 4-6: from onNext; 7: at once; 8-9: elsewhere
      this.cutAfter = 1 + random.nextInt(40);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      upstream = s;
      downstream.onSubscribe(this); // requests
      if (plan == 7) {
        cut();
      } else if (plan >= 8) {
        int spins = random.nextInt(2_000);
        Future<?> ignored =
            pool.submit(
                () -> {
                  for (int i = 0; i < spins; i++) {
                    Thread.onSpinWait();
                  }
                  if (spins % 3 == 0) {
                    LockSupport.parkNanos(50_000);
                  }
                  cut();
                });
      }
    }

    @Override
    public void onNext(Integer element) {
      downstream.onNext(element);
      if (++seen == cutAfter && plan >= 4 && plan <= 6) {
        cut();
      }
    }

    @Override
    public void onError(Throwable failure) {
      ended.completeExceptionally(failure);
      downstream.onError(failure);
    }

    @Override
    public void onComplete() {
      ended.complete(true);
      downstream.onComplete();
    }

    @Override
    public void request(long n) {
      upstream.request(n);
    }

    @Override
    public void cancel() {
      upstream.cancel();
    }

    private void cut() {
      upstream.cancel();
      ended.complete(false);
    }
  }
}
