package dev.sluice.bench;

import dev.sluice.channels.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The buffered fast path alone, on one thread: fill a bounded(16) buffer with non-waiting sends,
 * then empty it with non-waiting receives. No thread ever waits, so this isolates what a send and a
 * receive cost when they need no hand-off; run it with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * is the bytes allocated per element, which must be 0 for Sluice.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class FastPath {
  private static final int CAPACITY = 16;

  /** The implementations with a non-waiting send and receive on a bounded buffer. */
  public enum Kind {
    SLUICE,
    ABQ,
    LBQ
  }

  @Param public Kind impl;

  private Channel<Object> channel;
  private java.util.concurrent.BlockingQueue<Object> queue;

  @Setup
  public void open() {
    switch (impl) {
      case SLUICE -> channel = Channel.bounded(CAPACITY);
      case ABQ -> queue = new ArrayBlockingQueue<>(CAPACITY);
      case LBQ -> queue = new LinkedBlockingQueue<>(CAPACITY);
    }
  }

  /** Sixteen sends that never wait, then sixteen receives; the score is per element. */
  @Benchmark
  @OperationsPerInvocation(CAPACITY)
  public Object fillAndDrain() {
    Object last = null;
    if (channel != null) {
      for (int i = 0; i < CAPACITY; i++) {
        channel.trySend(Link.ELEMENT);
      }
      for (int i = 0; i < CAPACITY; i++) {
        last = channel.tryReceive();
      }
    } else {
      for (int i = 0; i < CAPACITY; i++) {
        queue.offer(Link.ELEMENT);
      }
      for (int i = 0; i < CAPACITY; i++) {
        last = queue.poll();
      }
    }
    return last;
  }
}
