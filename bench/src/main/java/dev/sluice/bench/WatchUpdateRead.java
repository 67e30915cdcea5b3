package dev.sluice.bench;

import dev.sluice.channels.Watch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import kotlinx.coroutines.flow.MutableStateFlow;
import kotlinx.coroutines.flow.StateFlowKt;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A watch's two hot operations side by side: one thread replaces the value as fast as it can while
 * another reads it (issue 4's "watch update/read"). Scores are per operation of each thread: {@code
 * update} is a set, {@code read} a read of the current value.
 *
 * <p>Rows: {@code SLUICE} is {@link Watch#set} and {@link Watch#get} with one subscribed reader (a
 * set wakes readers, so one is there to be woken); {@code STATE_FLOW} is kotlinx's {@code
 * MutableStateFlow} ({@code value =} and {@code value}); {@code ATOMIC} is a bare {@link
 * AtomicReference}, the floor that no notifying holder can beat. Waiting for changes is not in this
 * benchmark: the reads here poll.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class WatchUpdateRead {
  /** The value holders compared. */
  public enum Kind {
    SLUICE,
    STATE_FLOW,
    ATOMIC
  }

  @Param public Kind impl;

  private Watch<Object> watch;
  private Watch.Reader<Object> reader;
  private MutableStateFlow<Object> flow;
  private AtomicReference<Object> ref;

  /** The setter's position in {@link Elements#VALUES}: only the setter thread touches it. */
  private int next;

  @Setup(Level.Iteration)
  public void open() {
    Object first = Elements.VALUES[0];
    switch (impl) {
      case SLUICE -> {
        watch = Watch.create(first);
        reader = watch.subscribe();
      }
      case STATE_FLOW -> flow = StateFlowKt.MutableStateFlow(first);
      case ATOMIC -> ref = new AtomicReference<>(first);
    }
    next = 1;
  }

  /**
   * Replaces the value with the next boxed number (allocated up front, so a set allocates nothing).
   */
  @Benchmark
  @Group("updateRead")
  @GroupThreads(1)
  public void update() {
    Object v = Elements.VALUES[next];
    next = next + 1 == Elements.COUNT ? 0 : next + 1;
    switch (impl) {
      case SLUICE -> watch.set(v);
      case STATE_FLOW -> flow.setValue(v);
      case ATOMIC -> ref.set(v);
    }
  }

  /** Reads the current value. */
  @Benchmark
  @Group("updateRead")
  @GroupThreads(1)
  public Object read() {
    return switch (impl) {
      case SLUICE -> watch.get();
      case STATE_FLOW -> flow.getValue();
      case ATOMIC -> ref.get();
    };
  }
}
