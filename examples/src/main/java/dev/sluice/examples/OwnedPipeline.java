package dev.sluice.examples;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.ChannelHandles;
import dev.sluice.channels.Permit;
import dev.sluice.channels.ReceiverHandle;
import dev.sluice.channels.SenderHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pipeline whose channels close themselves: three producer threads feed numbers to two workers
 * that square them for one sink, and no thread calls {@code close()}. Each stage holds handles
 * ({@link SenderHandle}, {@link ReceiverHandle}) made before any thread starts, and closes its own
 * when done: the last producer to finish closes the numbers channel, which ends the workers, and
 * the last worker to finish closes the squares channel, which ends the sink. A worker takes a
 * number only once it holds a place for its square ({@link SenderHandle#reserve()}), so it never
 * holds a number it cannot pass on. Then the other way round: a consumer that has had enough closes
 * its receiving handle, and the producer learns from its failing send and from {@link
 * SenderHandle#closed()} that nobody listens any more.
 */
public final class OwnedPipeline {
  private OwnedPipeline() {}

  /**
   * Runs both parts and checks them.
   *
   * @param args ignored
   * @throws Exception if a number was lost or squared twice, or a stage did not end
   */
  public static void main(String[] args) throws Exception {
    pipeline();
    consumerGoesAway();
  }

  private static void pipeline() throws Exception {
    ChannelHandles<Integer> numbers = Channel.handles(16);
    ChannelHandles<Long> squares = Channel.handles(16);
    int producers = 3;
    int workers = 2;
    int perProducer = 2_000;

    // Every handle is made before any thread starts: a producer that finished before the next
    // handle existed would be the last one, and would close the channel too early.
    List<SenderHandle<Integer>> feeds = new ArrayList<>(List.of(numbers.sender()));
    while (feeds.size() < producers) {
      feeds.add(numbers.sender().newSender());
    }
    List<ReceiverHandle<Integer>> takes = new ArrayList<>(List.of(numbers.receiver()));
    List<SenderHandle<Long>> outs = new ArrayList<>(List.of(squares.sender()));
    while (takes.size() < workers) {
      takes.add(numbers.receiver().newReceiver());
      outs.add(squares.sender().newSender());
    }

    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      SenderHandle<Integer> feed = feeds.get(p);
      int base = p * perProducer;
      threads.add(
          start(
              "producer-" + p,
              () -> {
                try (feed) {
                  for (int i = 1; i <= perProducer; i++) {
                    feed.send(base + i);
                  }
                }
              }));
    }
    for (int w = 0; w < workers; w++) {
      ReceiverHandle<Integer> in = takes.get(w);
      SenderHandle<Long> out = outs.get(w);
      threads.add(
          start(
              "worker-" + w,
              () -> {
                try (in;
                    out) {
                  while (true) {
                    // A place for the square first, then the number: a worker never holds a
                    // number it cannot pass on. An unused place goes back when the try ends.
                    try (Permit<Long> place = out.reserve()) {
                      int n;
                      try {
                        n = in.receive();
                      } catch (ChannelClosedException numbersDone) {
                        break; // the last producer closed its handle, and all were taken
                      }
                      place.send((long) n * n); // never waits
                    }
                  }
                }
              }));
    }

    long sum = 0;
    int count = 0;
    try (ReceiverHandle<Long> sink = squares.receiver()) {
      for (long square : sink) { // ends when the last worker closed its handle
        sum += square;
        count++;
      }
    }
    for (Thread t : threads) {
      t.join();
    }
    long n = (long) producers * perProducer;
    long expected = n * (n + 1) * (2 * n + 1) / 6;
    System.out.printf(
        "   %d producers, %d workers reserving before they take, no close() anywhere: %d squares,"
            + " sum %d%n",
        producers, workers, count, sum);
    Check.that(count == n, "every number squared once");
    Check.that(sum == expected, "the sum of the squares of 1.." + n);
  }

  private static void consumerGoesAway() throws Exception {
    ChannelHandles<Integer> ticks = Channel.handles(4);
    SenderHandle<Integer> tx = ticks.sender();
    CompletableFuture<Void> nobodyListens = tx.closed();
    AtomicInteger sent = new AtomicInteger();
    Thread producer =
        start(
            "ticker",
            () -> {
              try (tx) {
                for (int i = 0; ; i++) {
                  tx.send(i); // fails once the consumer closed its handle
                  sent.incrementAndGet();
                }
              } catch (ChannelClosedException gone) {
                // the consumers went away: stop
              }
            });
    int taken = 0;
    try (ReceiverHandle<Integer> rx = ticks.receiver()) {
      while (taken < 5) {
        rx.receive();
        taken++;
      }
    } // the last receiving handle: the channel is cancelled, the rest is discarded
    nobodyListens.get(10, TimeUnit.SECONDS);
    producer.join();
    System.out.printf(
        "   a consumer took %d ticks and left; the producer sent %d and stopped%n",
        taken, sent.get());
    Check.that(taken == 5, "the consumer took what it wanted");
    Check.that(sent.get() >= 5, "the producer sent at least what was taken");
    Check.that(!producer.isAlive(), "the producer stopped on its own");
  }

  /** A body that may throw, run in a new thread. */
  private interface Body {
    void run() throws Exception;
  }

  private static Thread start(String name, Body body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Exception e) {
                throw new IllegalStateException(name + " failed", e);
              }
            },
            name);
    t.start();
    return t;
  }
}
