package dev.sluice.bench;

import dev.sluice.channels.Broadcast;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.LaggedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fan-out throughput: elements per microsecond that one sender thread pushes through a broadcast to
 * {@code subscribers} subscribers (1, 2 or 4), each receiving on its own thread or coroutine, with
 * a buffer of 16 or 1024 elements.
 *
 * <p>Rows ({@link Kind}): {@code SLUICE} is a {@link Broadcast} with a platform thread per
 * subscriber, each blocked in {@link Broadcast.Subscriber#receive()}; {@code SLUICE_COROUTINES} the
 * same broadcast with each subscriber a coroutine on {@code Dispatchers.Default}, receiving through
 * its kotlinx view; {@code SHARED_FLOW} kotlinx's {@code MutableSharedFlow(replay = 0,
 * extraBufferCapacity = capacity, onBufferOverflow = SUSPEND)} with a collector coroutine per
 * subscriber, also on {@code Dispatchers.Default} (see {@link CoroutineFanOut}); {@code
 * SHARED_FLOW_DROP} the same with {@code onBufferOverflow = DROP_OLDEST}, a broadcast's semantics
 * without the lag report.
 *
 * <p><b>The rows do not promise the same thing.</b> A broadcast's send never waits: a subscriber
 * more than {@code capacity} elements behind misses the oldest ones and is told how many. A
 * suspending shared flow makes the emitter wait for the slowest collector instead, so nobody misses
 * anything, and the sender goes at the pace of the slowest subscriber; a dropping shared flow, like
 * a broadcast, never waits. So the primary score, the elements <em>sent</em> per microsecond, is
 * only half the story: the secondary scores of {@link Delivery} say how many of them each
 * subscriber received ({@code delivered}) and missed ({@code missed}), per microsecond, averaged
 * over the subscribers. For {@code SHARED_FLOW}, {@code delivered} equals the primary score; for
 * the others, {@code delivered + missed} does. At capacity 16384 the buffer holds the whole batch,
 * nothing is missed, and every row measures the same thing: how fast every element reaches every
 * subscriber.
 *
 * <p>Each invocation moves a batch of {@value Throughput#BATCH} elements, and leaves nothing in
 * flight: the JMH thread makes a new broadcast (or flow) and subscribes every subscriber, then the
 * sender (a {@link Crew} worker started once per trial) sends the batch and closes the broadcast (a
 * shared flow cannot be closed: its collectors take exactly the batch), and the invocation ends
 * when every subscriber has received the rest. Each subscriber checks that element {@code i} is
 * {@link Elements#VALUES}{@code [i]}, in order, with each lag skipping exactly as many elements as
 * it reports, and that it saw the whole batch. On 2 cores, 4 subscribers and a sender oversubscribe
 * the machine: that is part of what is measured. Nothing spins without bound: every wait, in every
 * row, ends in a park after at most a short spin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class BroadcastFanOut {
  /** The broadcasts compared. */
  public enum Kind {
    /** Sluice's {@link Broadcast}, each subscriber a platform thread blocked in {@code receive}. */
    SLUICE,
    /** Sluice's {@link Broadcast}, each subscriber a coroutine on its kotlinx view. */
    SLUICE_COROUTINES,
    /** kotlinx's {@code MutableSharedFlow}, suspending when full, each subscriber a collector. */
    SHARED_FLOW,
    /**
     * kotlinx's {@code MutableSharedFlow}, dropping the oldest when full: a broadcast's semantics,
     * without the lag report.
     */
    SHARED_FLOW_DROP
  }

  @Param({"1", "2", "4"})
  public int subscribers;

  /** 16384 holds a whole batch: no row can lose an element, and every row delivers all of them. */
  @Param({"16", "1024", "16384"})
  public int capacity;

  @Param public Kind impl;

  private Crew crew;

  /*
   * The fields below belong to the current invocation. The JMH thread writes them before it starts
   * a round, the workers read them in that round: the crew's semaphores order the two. The
   * subscriber threads of the SLUICE row write missed[i] before they report the end of their job,
   * and the JMH thread reads it after the round: ordered the same way.
   */

  /** The SLUICE row's broadcast. */
  private Broadcast<Object> broadcast;

  /** The SLUICE row's subscribers, one per subscriber thread. */
  private Broadcast.Subscriber<Object>[] subscribed;

  /** How many elements each SLUICE subscriber thread missed. */
  private long[] missed;

  /** The batch of a coroutine row. */
  private CoroutineFanOut fanOut;

  /**
   * The secondary scores: the elements each subscriber received and missed, per microsecond,
   * averaged over the subscribers. JMH reports their rates next to the primary score.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Delivery {
    /** Elements received, summed over the iteration, divided by the number of subscribers. */
    public double delivered;

    /** Elements missed (overwritten before they were received), as {@link #delivered}. */
    public double missed;

    @Setup(Level.Iteration)
    public void clear() {
      delivered = 0;
      missed = 0;
    }

    void add(int subscribers, long sent, long missedByAll) {
      delivered += (double) (sent * subscribers - missedByAll) / subscribers;
      missed += (double) missedByAll / subscribers;
    }
  }

  @Setup(Level.Trial)
  @SuppressWarnings("unchecked")
  public void start() {
    List<Crew.Job> jobs = new ArrayList<>();
    jobs.add(impl == Kind.SLUICE ? this::sendAll : () -> fanOut.sendAll());
    if (impl == Kind.SLUICE) {
      subscribed = (Broadcast.Subscriber<Object>[]) new Broadcast.Subscriber<?>[subscribers];
      missed = new long[subscribers];
      for (int i = 0; i < subscribers; i++) {
        jobs.add(receiveAll(i));
      }
    }
    ThreadFactory threads = Thread.ofPlatform().name("bench-fan-out-", 0).daemon(true).factory();
    crew = new Crew(threads, jobs);
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(Throughput.BATCH)
  public void fanOut(Delivery delivery) throws InterruptedException {
    long missedByAll = 0;
    if (impl == Kind.SLUICE) {
      broadcast = Broadcast.create(capacity);
      for (int i = 0; i < subscribers; i++) {
        subscribed[i] = broadcast.subscribe(); // before the round: no element is sent unseen
      }
      try {
        crew.round();
      } finally {
        broadcast.close(); // the sender closed it already, unless the round failed
      }
      for (long m : missed) {
        missedByAll += m;
      }
    } else {
      fanOut =
          switch (impl) {
            case SLUICE_COROUTINES ->
                new CoroutineFanOut.Sluice(capacity, subscribers, Throughput.BATCH);
            case SHARED_FLOW ->
                new CoroutineFanOut.SharedFlow(capacity, subscribers, Throughput.BATCH);
            default ->
                new CoroutineFanOut.SharedFlowDropOldest(capacity, subscribers, Throughput.BATCH);
          };
      try {
        crew.round();
        missedByAll = fanOut.await();
      } finally {
        fanOut.cancel();
      }
    }
    delivery.add(subscribers, Throughput.BATCH, missedByAll);
  }

  /** The SLUICE sender's job: send the batch, never waiting, then close the broadcast. */
  private void sendAll() {
    Broadcast<Object> mine = broadcast;
    for (int i = 0; i < Throughput.BATCH; i++) {
      mine.send(Elements.VALUES[i]);
    }
    mine.close(); // the subscribers receive what is left, then find it closed
  }

  /**
   * The job of SLUICE subscriber thread {@code i}: receive until the broadcast is closed and
   * drained, checking the order of the elements and counting the lags.
   */
  private Crew.Job receiveAll(int i) {
    return () -> {
      Broadcast.Subscriber<Object> mine = subscribed[i];
      long want = 0;
      long lost = 0;
      while (true) {
        Object element;
        try {
          element = mine.receive();
        } catch (LaggedException lag) {
          want += lag.missed(); // the next receive returns the oldest element still held
          lost += lag.missed();
          continue;
        } catch (ChannelClosedException closed) {
          break;
        }
        if (Elements.valueOf(element) != want) {
          throw new AssertionError(
              "expected element " + want + ", received " + Elements.valueOf(element));
        }
        want++;
      }
      if (want != Throughput.BATCH) {
        throw new AssertionError(
            "the broadcast closed after "
                + want
                + " elements received or missed, not "
                + Throughput.BATCH);
      }
      missed[i] = lost;
    };
  }
}
