package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: batch receives take the oldest {@code min(max, size)} elements in one step. Only the
 * operations that meet a batch (sends, batches, single receives, close), on a channel bounded to
 * one element, where a batch that took two steps returns two elements, so that the short run finds
 * a batch split in two: {@link ChannelLincheckBase} checks {@code tryReceiveMany} beside every
 * other operation too, but its short run is spread over eight of them.
 */
public class ReceiveManyLincheckTest {
  private final Channel<Integer> channel = Channel.bounded(1);

  @Operation
  public String trySend(@Param(gen = IntGen.class, conf = "1:4") int element) {
    try {
      return String.valueOf(channel.trySend(element));
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public Object tryReceive() {
    try {
      return channel.tryReceive();
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public Object tryReceiveMany(@Param(gen = IntGen.class, conf = "2:3") int max) {
    List<Integer> into = new ArrayList<>();
    try {
      channel.tryReceiveMany(into, max);
      return into.toString();
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public boolean close() {
    return channel.close();
  }

  @Test
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), Spec.class, 2, 2);
  }

  @Test
  void stress() {
    LincheckRuns.stress(getClass(), Spec.class, 2, 2, 2000);
  }

  /** a channel bounded to one element, as a sequential model. */
  public static final class Spec extends ChannelSpec {
    public Spec() {
      super(1);
    }
  }
}
