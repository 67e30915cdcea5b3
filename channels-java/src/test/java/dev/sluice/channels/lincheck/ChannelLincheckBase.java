package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of a channel's non-waiting operations ({@code trySend}, {@code tryReceive},
 * {@code tryReceiveMany}, {@code close}, {@code cancel}, {@code isClosedForSend}, {@code
 * isClosedForReceive}, {@code size}) against {@link ChannelSpec}, in Lincheck's model-checking and
 * stress modes, with three threads.
 *
 * <p>Each subclass fixes a capacity: it passes a fresh channel to the constructor (Lincheck makes a
 * new test instance per invocation through the public no-argument constructor) and names its
 * specification class.
 *
 * <p>A {@link ChannelClosedException} is turned into a result, {@link ChannelSpec#CLOSED} or {@link
 * ChannelSpec#CANCELLED} by its cause, so that failing on a closed channel is part of the checked
 * behaviour rather than an error of the test.
 *
 * <p>The size of the runs follows the system property {@code sluice.stress}: {@code short} (the
 * default build, a few seconds per test) or {@code long} ({@code -Pstress-long}).
 */
public abstract class ChannelLincheckBase {
  private final Channel<Integer> channel;

  protected ChannelLincheckBase(Channel<Integer> channel) {
    this.channel = channel;
  }

  /** The sequential specification of this capacity: a concrete {@link ChannelSpec}. */
  protected abstract Class<? extends ChannelSpec> specification();

  @Operation
  public String trySend(@Param(gen = IntGen.class, conf = "1:4") int element) {
    try {
      return String.valueOf(channel.trySend(element));
    } catch (ChannelClosedException e) {
      return closedResult(e);
    }
  }

  @Operation
  public Object tryReceive() {
    try {
      return channel.tryReceive();
    } catch (ChannelClosedException e) {
      return closedResult(e);
    }
  }

  @Operation
  public Object tryReceiveMany(@Param(gen = IntGen.class, conf = "1:3") int max) {
    List<Integer> into = new ArrayList<>();
    try {
      channel.tryReceiveMany(into, max);
      return into.toString();
    } catch (ChannelClosedException e) {
      return closedResult(e);
    }
  }

  @Operation
  public boolean close() {
    return channel.close();
  }

  @Operation
  public void cancel() {
    channel.cancel();
  }

  @Operation
  public boolean isClosedForSend() {
    return channel.isClosedForSend();
  }

  @Operation
  public boolean isClosedForReceive() {
    return channel.isClosedForReceive();
  }

  @Operation
  public int size() {
    return channel.size();
  }

  private static String closedResult(ChannelClosedException e) {
    return e.getCause() instanceof CancellationException
        ? ChannelSpec.CANCELLED
        : ChannelSpec.CLOSED;
  }

  static boolean longRun() {
    return "long".equals(System.getProperty("sluice.stress"));
  }

  @Test
  void modelChecking() {
    new ModelCheckingOptions()
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(2)
        .actorsAfter(2)
        .iterations(longRun() ? 50 : 8)
        .invocationsPerIteration(longRun() ? 1_000 : 150)
        .sequentialSpecification(specification())
        .check(getClass());
  }

  @Test
  void stress() {
    new StressOptions()
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(2)
        .actorsAfter(2)
        .iterations(longRun() ? 50 : 10)
        .invocationsPerIteration(longRun() ? 5_000 : 1_000)
        .sequentialSpecification(specification())
        .check(getClass());
  }
}
