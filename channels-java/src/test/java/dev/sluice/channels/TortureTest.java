package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Producers and consumers on every face at once, over three channels, while a chaos thread
 * interrupts them at random: blocking sends and receives on platform and virtual threads, timed
 * ones with tiny timeouts, try-loops, futures cancelled at random, blocking and asynchronous
 * selects over all three channels, and batch receives of every face ({@code receiveMany}, timed,
 * try, and futures cancelled at random). Producers send through sending handles, which they replace
 * at random moments and close at the end: nothing closes the channels but the last producer's
 * handles. On channels with a buffer, producers also reserve places (every form of reserve, the
 * select clause among them) and send through the permits, or now and then release them unused.
 * Every element has a unique id, and a producer retries an element until a send of it reports
 * success; so the received ids must be exactly the ids sent, each once. A lost element is missing;
 * a duplicate, or an element received although its send reported failure (and was then retried),
 * shows twice.
 *
 * <p>The default run moves 300 000 elements per capacity; {@code -Pstress-long} moves 10 000 000.
 */
class TortureTest {
  private static final boolean LONG = "long".equals(System.getProperty("sluice.stress"));
  private static final int PRODUCERS = 3;
  private static final int PLATFORM_CONSUMERS = 2;
  private static final int VIRTUAL_CONSUMERS = 2;
  private static final int PER_PRODUCER = LONG ? 10_000_000 / PRODUCERS : 100_000;

  private final List<Channel<Long>> channels = new ArrayList<>();
  private final AtomicBoolean producersDone = new AtomicBoolean();
  private final List<Thread> victims = new CopyOnWriteArrayList<>();

  @ParameterizedTest(name = "capacity {0}")
  @ValueSource(ints = {0, 1, 3, 16, Integer.MAX_VALUE})
  void everyFaceAtOnce_losesAndDuplicatesNothing(int capacity) throws Exception {
    for (int i = 0; i < 3; i++) {
      channels.add(Channel.<Long>builder().capacity(capacity).build());
    }
    List<CompletableFuture<long[]>> received = new ArrayList<>();
    List<Thread> producers = new ArrayList<>();
    // Each producer owns a sending handle of each channel, made before any producer starts; the
    // channels close when the last producer closed its handles, not by an explicit close.
    List<List<SenderHandle<Long>>> handles = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      List<SenderHandle<Long>> mine = new ArrayList<>();
      for (Channel<Long> ch : channels) {
        mine.add(ch.newSender());
      }
      handles.add(mine);
    }
    for (int p = 0; p < PRODUCERS; p++) {
      int id = p;
      List<SenderHandle<Long>> mine = handles.get(p);
      producers.add(startPlatform(() -> produce(id, mine)));
    }
    for (int c = 0; c < PLATFORM_CONSUMERS; c++) {
      CompletableFuture<long[]> out = new CompletableFuture<>();
      startPlatform(
          () -> {
            try {
              out.complete(consume());
            } catch (Throwable e) {
              out.completeExceptionally(e); // fail the test at once, not after a time-out
            }
          });
      received.add(out);
    }
    ExecutorService virtual = TestThreads.virtualThreadExecutorOrNull();
    if (virtual != null) {
      for (int c = 0; c < VIRTUAL_CONSUMERS; c++) {
        received.add(
            CompletableFuture.supplyAsync(
                () -> {
                  victims.add(Thread.currentThread());
                  return consume();
                },
                virtual));
      }
    }
    Thread chaos = startPlatform(this::interruptAtRandom);

    for (Thread t : producers) {
      t.join(TimeUnit.MINUTES.toMillis(LONG ? 60 : 5));
      if (t.isAlive()) {
        fail("a producer is stuck: " + channels);
      }
    }
    for (CompletableFuture<long[]> r : received) {
      if (r.isCompletedExceptionally()) {
        r.join(); // a consumer died while producers ran: report why
      }
    }
    producersDone.set(true);
    chaos.join();
    for (Channel<Long> ch : channels) {
      assertTrue(ch.isClosedForSend(), "the last producer's handle closed " + ch);
    }

    LongList all = new LongList();
    for (CompletableFuture<long[]> r : received) {
      all.addAll(r.get(5, TimeUnit.MINUTES));
    }
    if (virtual != null) {
      virtual.shutdown();
    }
    checkExactlyOnce(all.toSortedArray());
  }

  private static void checkExactlyOnce(long[] got) {
    long[] expected = new long[PRODUCERS * PER_PRODUCER];
    for (int p = 0, k = 0; p < PRODUCERS; p++) {
      for (int s = 0; s < PER_PRODUCER; s++) {
        expected[k++] = id(p, s);
      }
    }
    if (!Arrays.equals(expected, got)) {
      for (int i = 0; i < Math.min(expected.length, got.length); i++) {
        if (expected[i] != got[i]) {
          fail(
              String.format(
                  "received %d elements, %d were sent; first difference at %d: expected %s, got %s"
                      + " (a smaller id means a duplicate, a larger one a loss)",
                  got.length, expected.length, i, name(expected[i]), name(got[i])));
        }
      }
      assertEquals(expected.length, got.length, "elements received");
    }
  }

  private static long id(int producer, int seq) {
    return ((long) producer << 32) | seq;
  }

  private static String name(long id) {
    return "producer " + (id >>> 32) + " #" + (int) id;
  }

  private Thread startPlatform(Runnable body) {
    Thread t = new Thread(body);
    t.setDaemon(true);
    victims.add(t);
    t.start();
    return t;
  }

  /** Interrupts a random thread every so often, until the producers are done. */
  private void interruptAtRandom() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    Thread self = Thread.currentThread();
    while (!producersDone.get()) {
      Thread victim = victims.get(random.nextInt(victims.size()));
      if (victim != self) {
        victim.interrupt();
      }
      try {
        Thread.sleep(0, 200_000);
      } catch (InterruptedException e) {
        // interrupted itself by accident: go on
      }
    }
  }

  // --- producers --------------------------------------------------------------------------------

  /**
   * Sends every element of this producer through its handles ({@code mine}, one per channel), and
   * now and then replaces a handle by a new one made from it (the count goes up, then down, while
   * the others send); closes them all at the end.
   */
  private void produce(int producer, List<SenderHandle<Long>> mine) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int seq = 0; seq < PER_PRODUCER; seq++) {
      long id = id(producer, seq);
      while (!trySendOnce(id, random, mine)) {
        Thread.onSpinWait();
      }
      if (random.nextInt(256) == 0) {
        int c = random.nextInt(mine.size());
        SenderHandle<Long> next = mine.get(c).newSender();
        mine.get(c).close(); // never the last: next is open
        mine.set(c, next);
      }
    }
    mine.forEach(SenderHandle::close);
  }

  /** One attempt on a random face. {@code true} if the element was sent. */
  private boolean trySendOnce(long id, ThreadLocalRandom random, List<SenderHandle<Long>> mine) {
    SenderHandle<Long> ch = mine.get(random.nextInt(mine.size()));
    try {
      // A rendezvous channel refuses permits; the others also send through them.
      switch (random.nextInt(channels.get(0).capacity() == 0 ? 7 : 9)) {
        case 7:
          return usePermit(reserveOnce(ch, mine, random), id, random);
        case 8:
          return usePermit(reserveOnce(ch, mine, random), id, random);
        case 0:
          ch.send(id);
          return true;
        case 1:
          return ch.send(id, Duration.ofNanos(random.nextInt(50_000)));
        case 2:
          return ch.trySend(id);
        case 3:
          return settle(ch.sendAsync(id), random) != null;
        case 4:
          return Select.select(
              mine.get(0).onSend(id, () -> true),
              mine.get(1).onSend(id, () -> true),
              mine.get(2).onSend(id, () -> true),
              Select.onTimeout(Duration.ofNanos(random.nextInt(50_000)), () -> false));
        case 5:
          return Select.selectUnbiased(
              mine.get(0).onSend(id, () -> true),
              mine.get(1).onSend(id, () -> true),
              mine.get(2).onSend(id, () -> true));
        default:
          Boolean sent =
              settle(
                  Select.selectAsync(
                      mine.get(0).onSend(id, () -> true),
                      mine.get(1).onSend(id, () -> true),
                      mine.get(2).onSend(id, () -> true)),
                  random);
          return sent != null;
      }
    } catch (InterruptedException e) {
      return false; // not sent: retry
    }
  }

  /** A permit from a random form of reserve, or {@code null} if none was granted. */
  private static @org.jspecify.annotations.Nullable Permit<Long> reserveOnce(
      SenderHandle<Long> ch, List<SenderHandle<Long>> mine, ThreadLocalRandom random)
      throws InterruptedException {
    switch (random.nextInt(5)) {
      case 0:
        return ch.reserve();
      case 1:
        return ch.reserve(Duration.ofNanos(random.nextInt(50_000)));
      case 2:
        return ch.tryReserve();
      case 3:
        return settle(ch.reserveAsync(), random);
      default:
        return Select.<Permit<Long>>select(
            mine.get(0).onReserve(p -> p),
            mine.get(1).onReserve(p -> p),
            mine.get(2).onReserve(p -> p),
            Select.onTimeout(Duration.ofNanos(random.nextInt(50_000)), () -> null));
    }
  }

  /** Sends {@code id} with {@code permit}, or now and then releases it unused instead. */
  private static boolean usePermit(
      @org.jspecify.annotations.Nullable Permit<Long> permit, long id, ThreadLocalRandom random) {
    if (permit == null) {
      return false;
    }
    if (random.nextInt(8) == 0) {
      permit.release();
      return false;
    }
    permit.send(id); // never waits, never fails: the channels close only after every producer
    return true;
  }

  /**
   * Waits a little for a future, then cancels it. Returns its value (or {@code Boolean.TRUE} for a
   * {@code Void} future that completed), or {@code null} if the cancellation won: then the
   * operation did not happen.
   */
  @SuppressWarnings("unchecked")
  private static <T> T settle(CompletableFuture<T> f, ThreadLocalRandom random) {
    try {
      try {
        T v = f.get(random.nextInt(100), TimeUnit.MICROSECONDS);
        return v == null ? (T) Boolean.TRUE : v;
      } catch (TimeoutException notYet) {
        if (f.cancel(random.nextBoolean())) {
          return null;
        }
        T v = f.get(); // the operation happened just before the cancel: it completes at once
        return v == null ? (T) Boolean.TRUE : v;
      }
    } catch (InterruptedException e) {
      // get() was interrupted: withdraw, or take what already happened.
      if (f.cancel(false)) {
        return null;
      }
      Thread.currentThread().interrupt();
      try {
        T v = f.join();
        return v == null ? (T) Boolean.TRUE : v;
      } catch (CompletionException failed) {
        // It failed just before the cancel: as below. Found when the channels began to close by
        // their producers' handles, while the chaos thread still interrupts the consumers.
        if (failed.getCause() instanceof ChannelClosedException closed) {
          throw closed;
        }
        throw new AssertionError("the operation failed", failed);
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ChannelClosedException closed) {
        throw closed; // consumers after close: nothing taken
      }
      throw new AssertionError("the operation failed", e);
    }
  }

  // --- consumers --------------------------------------------------------------------------------

  private long[] consume() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    LongList got = new LongList();
    while (true) {
      if (producersDone.get() && allClosedForReceive()) {
        Thread.interrupted(); // a stray interrupt from the chaos thread
        return got.toArray();
      }
      try {
        if (random.nextInt(4) == 0) {
          receiveBatchOnce(random, got);
        } else {
          Long e = tryReceiveOnce(random);
          if (e != null) {
            got.add(e);
          }
        }
      } catch (InterruptedException | ChannelClosedException e) {
        // nothing taken; after close, another channel may still hold elements
      }
    }
  }

  private boolean allClosedForReceive() {
    for (Channel<Long> ch : channels) {
      if (!ch.isClosedForReceive()) {
        return false;
      }
    }
    return true;
  }

  private @org.jspecify.annotations.Nullable Long tryReceiveOnce(ThreadLocalRandom random)
      throws InterruptedException {
    Channel<Long> ch = channels.get(random.nextInt(channels.size()));
    switch (random.nextInt(8)) {
      case 0:
        return ch.receive();
      case 1:
        return ch.receive(Duration.ofNanos(random.nextInt(50_000)));
      case 2:
        return ch.tryReceive();
      case 3:
        return settle(ch.receiveAsync(), random);
      case 4:
        return Select.select(
            channels.get(0).onReceive(x -> x),
            channels.get(1).onReceive(x -> x),
            channels.get(2).onReceive(x -> x),
            Select.onTimeout(Duration.ofNanos(random.nextInt(50_000)), () -> null));
      case 5:
        return Select.selectUnbiased(
            channels.get(0).onReceive(x -> x),
            channels.get(1).onReceive(x -> x),
            channels.get(2).onReceive(x -> x));
      case 6:
        return Select.select(
            channels.get(0).onReceive(x -> x),
            channels.get(1).onReceive(x -> x),
            Select.orElse(() -> null));
      default:
        return settle(
            Select.selectUnbiasedAsync(
                channels.get(0).onReceive(x -> x),
                channels.get(1).onReceive(x -> x),
                channels.get(2).onReceive(x -> x)),
            random);
    }
  }

  /** One batch receive of a random face and size; what it took goes into {@code got}. */
  private void receiveBatchOnce(ThreadLocalRandom random, LongList got)
      throws InterruptedException {
    Channel<Long> ch = channels.get(random.nextInt(channels.size()));
    int max = 1 + random.nextInt(64);
    List<Long> into = new ArrayList<>();
    try {
      switch (random.nextInt(4)) {
        case 0 -> ch.receiveMany(into, max);
        case 1 -> ch.receiveMany(into, max, Duration.ofNanos(random.nextInt(50_000)));
        case 2 -> ch.tryReceiveMany(into, max);
        default -> {
          List<Long> batch = settle(ch.receiveManyAsync(max), random);
          if (batch != null) {
            into.addAll(batch);
          }
        }
      }
    } finally {
      for (Long e : into) {
        got.add(e);
      }
    }
  }

  /** A growable list of longs, to count millions of elements without boxing. */
  private static final class LongList {
    private long[] items = new long[1024];
    private int size;

    void add(long v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }

    void addAll(long[] vs) {
      for (long v : vs) {
        add(v);
      }
    }

    long[] toArray() {
      return Arrays.copyOf(items, size);
    }

    long[] toSortedArray() {
      long[] a = toArray();
      Arrays.sort(a);
      return a;
    }
  }
}
