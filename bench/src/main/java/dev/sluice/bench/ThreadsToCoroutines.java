package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
 * The workload Sluice exists for: Java platform threads that send with a blocking call, and
 * coroutines on {@code Dispatchers.Default} that receive. Elements per microsecond, for a {@link
 * BridgeImpl} (one Sluice channel with both faces, or what people do today: a kotlinx {@code
 * Channel} fed by {@code trySendBlocking} or {@code runBlocking { send }}, an {@code
 * ArrayBlockingQueue} or a jox channel taken from in {@code Dispatchers.IO}), a buffer of 16 or
 * 1024 elements, and a {@link Shape}: SPSC is one thread and one coroutine, MPMC two of each.
 *
 * <p>The producer threads are started once per trial, as in {@link Throughput} (see {@link Crew}).
 * Each invocation opens a new {@link Bridge}, starts the consumer coroutines ({@link Drain}), runs
 * one round of the producers, which send {@value Throughput#BATCH} elements between them, waits for
 * the consumers, checks the sum of what they received, and closes the bridge. The score is per
 * element; the JMH thread only starts the batch and waits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ThreadsToCoroutines {

  @Param({"16", "1024"})
  public int capacity;

  @Param({"SPSC", "MPMC"})
  public Shape shape;

  @Param({
    "SLUICE",
    "SLUICE_MANY",
    "KOTLINX_TRY_SEND_BLOCKING",
    "KOTLINX_RUN_BLOCKING",
    "ABQ_IO",
    "ABQ_IO_LOOP",
    "JOX_IO",
    "JOX_IO_LOOP"
  })
  public BridgeImpl impl;

  private Crew crew;

  /**
   * The bridge of the current invocation. Written by the JMH thread before it starts a round, read
   * by the producers in that round: the crew's semaphores order the two.
   */
  private Bridge bridge;

  @Setup(Level.Trial)
  public void start() {
    int share = Throughput.BATCH / shape.producers;
    List<Crew.Job> jobs = new ArrayList<>();
    for (int p = 0; p < shape.producers; p++) {
      jobs.add(producer(p * share, share));
    }
    ThreadFactory threads = Thread.ofPlatform().name("bench-producer-", 0).daemon(true).factory();
    crew = new Crew(threads, jobs);
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(Throughput.BATCH)
  public void transfer() throws InterruptedException {
    bridge = impl.open(capacity);
    Drain drain = Drain.start(bridge, shape.consumers, Throughput.BATCH / shape.consumers);
    try {
      crew.round();
      drain.await(Elements.sum(Throughput.BATCH));
    } finally {
      drain.cancel();
      bridge.close();
    }
  }

  /** A producer's job: send the elements {@code from} to {@code from + count - 1}. */
  private Crew.Job producer(int from, int count) {
    return () -> {
      Bridge mine = bridge;
      for (int i = from; i < from + count; i++) {
        mine.send(Elements.VALUES[i]);
      }
    };
  }
}
