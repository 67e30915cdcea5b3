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
 * Round-trip latency between two coroutines on {@code Dispatchers.Default} or in one thread ({@link
 * Dispatch}): nanoseconds for one element to go from a pinger to an echo over one channel and come
 * back over a second, both Sluice coroutine views ({@code SluiceChannel(capacity)}) or both
 * kotlinx's own channels ({@code Channel(capacity)}). Only one element is ever in flight, so every
 * hop resumes a suspended coroutine: the capacity changes whether the sender waits for the receiver
 * (0) or not (1 and more), and little else.
 *
 * <p>Each invocation is one {@link CoroutineBatches#pingPong} call: new channels, {@value
 * PingPong#ROUND_TRIPS} round trips, each checked to bring back the element sent, channels closed;
 * the score is per round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class CoroutinePingPong {

  @Param({"0", "1", "16", "1024"})
  public int capacity;

  @Param({"SLUICE", "KOTLINX"})
  public CoroutineImpl impl;

  /** Where the coroutines run: {@code Dispatchers.Default}, or one thread's {@code runBlocking}. */
  @Param({"DEFAULT", "RUN_BLOCKING"})
  public Dispatch dispatcher;

  @Benchmark
  @OperationsPerInvocation(PingPong.ROUND_TRIPS)
  public void roundTrip() {
    CoroutineBatches.pingPong(impl, capacity, PingPong.ROUND_TRIPS, dispatcher);
  }
}
