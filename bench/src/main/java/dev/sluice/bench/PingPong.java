package dev.sluice.bench;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Round-trip latency: nanoseconds for one element to go from a pinger to an echo thread over one
 * channel and come back over a second one. Only one element is ever in flight, so every hop wakes
 * the other side: this is the cost of a hand-over to a waiting thread (unpark, or a future's
 * completion), where {@link Throughput} measures mostly buffered traffic.
 *
 * <p>Each invocation makes {@value #ROUND_TRIPS} round trips between two workers of the same kind
 * (platform or virtual threads; see {@link Crew}); the score is per round trip. The subclasses fix
 * the capacity of both channels: {@link PingPongRendezvous} (0) and {@link PingPongBuffered} (1).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 3,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public abstract class PingPong {

  /** Round trips made by one invocation. */
  static final int ROUND_TRIPS = 1_000;

  private Crew crew;

  /** The row under test. */
  abstract Impl impl();

  /** The capacity of both channels. */
  abstract int capacity();

  @Setup(Level.Trial)
  public void start() {
    Impl impl = impl();
    Link ping = impl.open(capacity(), false);
    Link pong = impl.open(capacity(), false);
    crew = new Crew(impl.threads(), List.of(pinger(impl, ping, pong), echo(impl, ping, pong)));
  }

  @TearDown(Level.Trial)
  public void stop() throws InterruptedException {
    crew.close();
  }

  @Benchmark
  @OperationsPerInvocation(ROUND_TRIPS)
  public void roundTrip() throws InterruptedException {
    crew.round();
  }

  private static Crew.Job pinger(Impl impl, Link ping, Link pong) {
    if (impl.chained) {
      return () ->
          AsyncLoop.repeat(
                  ROUND_TRIPS,
                  () -> ping.sendAsync(Link.ELEMENT).thenCompose(sent -> pong.receiveAsync()))
              .join();
    }
    return () -> {
      for (int i = 0; i < ROUND_TRIPS; i++) {
        ping.send(Link.ELEMENT);
        if (pong.receive() != Link.ELEMENT) {
          throw new AssertionError("the echo sent back another element");
        }
      }
    };
  }

  private static Crew.Job echo(Impl impl, Link ping, Link pong) {
    if (impl.chained) {
      return () ->
          AsyncLoop.repeat(ROUND_TRIPS, () -> ping.receiveAsync().thenCompose(pong::sendAsync))
              .join();
    }
    return () -> {
      for (int i = 0; i < ROUND_TRIPS; i++) {
        pong.send(ping.receive());
      }
    };
  }
}
