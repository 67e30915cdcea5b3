package dev.sluice.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of one channel between coroutines: elements per microsecond moved from producer
 * coroutines to consumer coroutines, all on {@code Dispatchers.Default} or all in one thread
 * ({@link Dispatch}), through Sluice's coroutine view ({@code SluiceChannel(capacity)}) or
 * kotlinx's own {@code Channel(capacity)}, at capacities 0 (rendezvous), 1, 16 and 1024, for a
 * {@link Shape} (SPSC, or two producers and two consumers).
 *
 * <p>Each invocation is one {@link CoroutineBatches#throughput} call: it makes a new channel,
 * launches the coroutines, moves {@value Throughput#BATCH} elements, checks that the consumers
 * received exactly the elements sent (by the sum of their values), and closes the channel; no
 * coroutine outlives it. The score is per element, and so is {@code gc.alloc.rate.norm} under
 * {@code -prof gc} (the new channel and coroutines of the batch included, a few hundred bytes over
 * the batch). The JMH thread only starts the batch and waits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CoroutineThroughput {

  @Param({"0", "1", "16", "1024"})
  public int capacity;

  @Param({"SPSC", "MPMC"})
  public Shape shape;

  @Param({"SLUICE", "KOTLINX"})
  public CoroutineImpl impl;

  /** Where the coroutines run: {@code Dispatchers.Default}, or one thread's {@code runBlocking}. */
  @Param({"DEFAULT", "RUN_BLOCKING"})
  public Dispatch dispatcher;

  @Benchmark
  @OperationsPerInvocation(Throughput.BATCH)
  public void transfer() {
    CoroutineBatches.throughput(
        impl, capacity, shape.producers, shape.consumers, Throughput.BATCH, dispatcher);
  }
}
