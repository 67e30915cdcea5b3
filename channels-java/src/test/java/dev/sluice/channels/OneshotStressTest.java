package dev.sluice.channels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many oneshots, each raced over by two senders (send or close), a receiver through a random face
 * (blocking, timed, try, future with a racing cancel, select), and sometimes a cancelling receiver.
 * Every round counts: a value whose send returned normally is received exactly once or handed to
 * the undelivered-value handler; a value whose send failed is neither; at most one send succeeds.
 *
 * <p>Rounds follow {@code sluice.stress}: a few thousand by default, many more with {@code long}.
 */
class OneshotStressTest {
  private static final int ROUNDS =
      "long".equals(System.getProperty("sluice.stress")) ? 400_000 : 8_000;

  /** What a receiver ended with: the value, or nothing (closed, timed out, withdrawn). */
  private static final Integer NOTHING = -1;

  @Test
  void everyValueIsReceivedOnceOrHandedToTheHandler_andFailedSendsSentNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SplittableRandom seeds = new SplittableRandom(42);
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
    AtomicInteger undelivered = new AtomicInteger();
    AtomicInteger undeliveredValue = new AtomicInteger(NOTHING);
    Oneshot<Integer> oneshot =
        Oneshot.create(
            v -> {
              undelivered.incrementAndGet();
              undeliveredValue.set(v);
            });
    int receiveFace = random.nextInt(6);
    boolean canceller = random.nextInt(4) == 0;
    boolean firstCloses = random.nextInt(3) == 0;

    Future<Boolean> first = pool.submit(() -> sendOrClose(oneshot, 100, firstCloses));
    Future<Boolean> second = pool.submit(() -> sendOrClose(oneshot, 200, false));
    Future<Integer> receiver = pool.submit(() -> receive(oneshot, receiveFace));
    Future<?> cancelling = canceller ? pool.submit(oneshot::cancel) : null;

    boolean sent100 = first.get(20, TimeUnit.SECONDS);
    boolean sent200 = second.get(20, TimeUnit.SECONDS);
    if (cancelling != null) {
      cancelling.get(20, TimeUnit.SECONDS);
    }
    if (!sent100 && !sent200 && !oneshot.isClosedForSend()) {
      oneshot.close(); // nobody sent nor closed: let a waiting receiver go
    }
    Integer got = receiver.get(20, TimeUnit.SECONDS);
    // What the receiver did not take, the oneshot may still hold: drain it.
    Integer left = NOTHING;
    try {
      Integer v = oneshot.tryReceive();
      if (v != null) {
        left = v;
      }
    } catch (ChannelClosedException expected) {
      // closed and drained
    }
    assertTrue(oneshot.isClosedForReceive(), "round " + round + ": the oneshot should be done");

    String where = "round " + round + " (face " + receiveFace + ", canceller " + canceller + ")";
    if (sent100 && sent200) {
      fail(where + ": two sends succeeded");
    }
    int expected = sent100 ? 100 : sent200 ? 200 : NOTHING;
    int copies = (got.equals(NOTHING) ? 0 : 1) + (left.equals(NOTHING) ? 0 : 1) + undelivered.get();
    if (expected == NOTHING) {
      assertEquals(0, copies, where + ": a value arrived that no send reported sent");
    } else {
      assertEquals(1, copies, where + ": the sent value arrived " + copies + " times");
      int arrived =
          !got.equals(NOTHING) ? got : !left.equals(NOTHING) ? left : undeliveredValue.get();
      assertEquals(expected, arrived, where + ": another value arrived than the one sent");
    }
  }

  /** Sends {@code value} (or closes); whether the send succeeded. */
  private static boolean sendOrClose(Oneshot<Integer> oneshot, int value, boolean close) {
    if (close) {
      oneshot.close();
      return false;
    }
    try {
      oneshot.send(value);
      return true;
    } catch (ChannelClosedException e) {
      return false; // closed, or cancelled: not sent
    } catch (IllegalStateException e) {
      return false; // the other sender's value went first: not sent
    }
  }

  private static Integer receive(Oneshot<Integer> oneshot, int face) throws Exception {
    try {
      switch (face) {
        case 0:
          return oneshot.receive();
        case 1:
          {
            Integer v = oneshot.receive(Duration.ofNanos(20_000));
            return v == null ? NOTHING : v;
          }
        case 2:
          {
            Integer v = oneshot.tryReceive();
            return v == null ? NOTHING : v;
          }
        case 3:
          {
            CompletableFuture<Integer> f = oneshot.receiveAsync();
            if (f.cancel(false)) {
              return NOTHING; // withdrawn: took nothing
            }
            return f.join();
          }
        case 4:
          {
            Channel<Integer> never = Channel.rendezvous();
            return Select.select(never.onReceive(v -> v), oneshot.onReceive(v -> v));
          }
        default:
          {
            Integer v = Select.select(oneshot.onReceive(x -> x), Select.orElse(() -> NOTHING));
            return v;
          }
      }
    } catch (ChannelClosedException e) {
      return NOTHING;
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof ChannelClosedException) {
        return NOTHING;
      }
      throw e;
    }
  }
}
