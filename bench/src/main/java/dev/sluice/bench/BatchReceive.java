package dev.sluice.bench;

import dev.sluice.channels.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
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
 * Consumers that drain in batches of up to {@value #MAX}, against consumers that take one element
 * at a time: elements per microsecond from platform-thread producers (blocking {@code send}, one by
 * one, or Sluice's {@code sendAll} in runs; see {@link #sends}) to platform-thread consumers, as
 * {@link Throughput} measures it.
 *
 * <p>Rows: Sluice's {@code receive} one by one ({@code SLUICE_ONE}), Sluice's {@code receiveMany}
 * ({@code SLUICE_MANY}), and an {@code ArrayBlockingQueue} drained as its users do, a blocking
 * {@code take} for the first element and {@code drainTo} for up to {@value #MAX} - 1 more ({@code
 * ABQ_DRAIN}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class BatchReceive {
  /** The largest batch a consumer takes. */
  static final int MAX = 64;

  @Param({"16", "1024"})
  public int capacity;

  @Param({"SPSC", "MPMC"})
  public Shape shape;

  @Param({"SLUICE_ONE", "SLUICE_MANY", "ABQ_DRAIN"})
  public Row impl;

  /**
   * How the producers send: {@code ONE} by one ({@code send}, {@code put}); or {@code ALL},
   * Sluice's producers in runs of {@value #MAX} with {@code sendAll} (the queue's producers still
   * {@code put} one by one: the JDK has no blocking batch put).
   */
  @Param({"ONE", "ALL"})
  public String sends;

  /** A row of the benchmark: how the queue is made, filled and drained. */
  public enum Row {
    SLUICE_ONE,
    SLUICE_MANY,
    ABQ_DRAIN
  }

  /** A run of {@value #MAX} elements, for producers that send with {@code sendAll}. */
  private static final List<Object> RUN = java.util.Collections.nCopies(MAX, Link.ELEMENT);

  private Crew crew;

  @Setup(Level.Trial)
  public void start() {
    Channel<Object> channel = Channel.bounded(capacity);
    ArrayBlockingQueue<Object> queue = new ArrayBlockingQueue<>(capacity);
    List<Crew.Job> jobs = new ArrayList<>();
    int share = Throughput.BATCH / shape.producers;
    for (int p = 0; p < shape.producers; p++) {
      jobs.add(
          impl == Row.ABQ_DRAIN
              ? () -> {
                for (int i = 0; i < share; i++) {
                  queue.put(Link.ELEMENT);
                }
              }
              : "ALL".equals(sends)
                  ? () -> {
                    for (int i = 0; i < share / MAX; i++) {
                      channel.sendAll(RUN);
                    }
                    channel.sendAll(RUN.subList(0, share % MAX));
                  }
                  : () -> {
                    for (int i = 0; i < share; i++) {
                      channel.send(Link.ELEMENT);
                    }
                  });
    }
    int take = Throughput.BATCH / shape.consumers;
    for (int c = 0; c < shape.consumers; c++) {
      jobs.add(consumer(channel, queue, take));
    }
    ThreadFactory threads = Thread.ofPlatform().name("bench-batch-", 0).daemon(true).factory();
    crew = new Crew(threads, jobs);
  }

  private Crew.Job consumer(Channel<Object> channel, ArrayBlockingQueue<Object> queue, int count) {
    switch (impl) {
      case SLUICE_ONE:
        return () -> {
          for (int i = 0; i < count; i++) {
            check(channel.receive());
          }
        };
      case SLUICE_MANY:
        return () -> {
          List<Object> batch = new ArrayList<>(MAX);
          for (int left = count; left > 0; ) {
            left -= channel.receiveMany(batch, Math.min(MAX, left));
            drain(batch);
          }
        };
      default:
        return () -> {
          List<Object> batch = new ArrayList<>(MAX);
          for (int left = count; left > 0; ) {
            check(queue.take());
            left--;
            left -= queue.drainTo(batch, Math.min(MAX - 1, left));
            drain(batch);
          }
        };
    }
  }

  private static void check(Object e) {
    if (e != Link.ELEMENT) {
      throw new AssertionError("received an element that was never sent");
    }
  }

  private static void drain(List<Object> batch) {
    for (Object e : batch) {
      check(e);
    }
    batch.clear();
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(Throughput.BATCH)
  public void transfer() throws InterruptedException {
    crew.round();
  }
}
