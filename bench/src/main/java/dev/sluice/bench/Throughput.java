package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
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
 * Throughput of one channel under a steady stream: elements per microsecond (millions per second)
 * moved from the producers to the consumers, for a {@link Shape} (SPSC or MPMC) and an {@link
 * Impl}.
 *
 * <p>Each invocation moves {@value #BATCH} elements: the producers send their share, the consumers
 * receive theirs, and the invocation ends when all of them are done (see {@link Crew}); the JMH
 * thread only starts the round and waits. The score is per element ({@code
 * OperationsPerInvocation}), and so is {@code gc.alloc.rate.norm} under {@code -prof gc}, which
 * counts the allocations of every thread, the workers' included.
 *
 * <p>The subclasses fix the capacity: {@link ThroughputRendezvous} (0), {@link ThroughputBounded}
 * (1, 16, 1024) and {@link ThroughputUnbounded}, each with the rows that exist there.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public abstract class Throughput {

  /** Elements moved by one invocation, all producers together. */
  static final int BATCH = 10_000;

  @Param({"SPSC", "MPMC"})
  public Shape shape;

  private Crew crew;

  /** The row under test. */
  abstract Impl impl();

  /** The channel's capacity: 0, 1 or more, or {@link Impl#UNBOUNDED}. */
  abstract int capacity();

  @Setup(Level.Trial)
  public void start() {
    Impl impl = impl();
    Link link = impl.open(capacity(), shape.multi());
    List<Crew.Job> jobs = new ArrayList<>();
    for (int i = 0; i < shape.producers; i++) {
      jobs.add(producer(impl, link, BATCH / shape.producers));
    }
    for (int i = 0; i < shape.consumers; i++) {
      jobs.add(consumer(impl, link, BATCH / shape.consumers));
    }
    crew = new Crew(impl.threads(), jobs);
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void transfer() throws InterruptedException {
    crew.round();
  }

  private static Crew.Job producer(Impl impl, Link link, int count) {
    if (impl.chained) {
      return () -> AsyncLoop.repeat(count, () -> link.sendAsync(Link.ELEMENT)).join();
    }
    return () -> {
      for (int i = 0; i < count; i++) {
        link.send(Link.ELEMENT);
      }
    };
  }

  private static Crew.Job consumer(Impl impl, Link link, int count) {
    if (impl.chained) {
      return () -> AsyncLoop.repeat(count, link::receiveAsync).join();
    }
    return () -> {
      for (int i = 0; i < count; i++) {
        if (link.receive() != Link.ELEMENT) {
          throw new AssertionError("received an element that was never sent");
        }
      }
    };
  }
}
