package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.ReceiverHandle;
import java.util.Objects;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: receiving handles are counted race-free, and the last one's close cancels the channel.
 * A channel bounded to two elements starts with two receiving handles; threads close them, make new
 * ones (kept open), send to the channel and receive from it. Against {@link Spec}: once the count
 * drops to zero the channel is cancelled (sends fail, what was buffered is discarded), and a handle
 * made after that is refused.
 */
public class ReceiverHandlesLincheckTest {
  private final Channel<Integer> channel = Channel.bounded(2);
  private final ReceiverHandle<Integer> first = channel.newReceiver();
  private final ReceiverHandle<Integer> second = first.newReceiver();

  @Operation
  public void closeFirst() {
    first.close();
  }

  @Operation
  public void closeSecond() {
    second.close();
  }

  @Operation
  public String newReceiver() {
    try {
      channel.newReceiver();
      return "ok";
    } catch (ChannelClosedException e) {
      return "ended";
    }
  }

  @Operation
  public String trySend() {
    try {
      return String.valueOf(channel.trySend(1));
    } catch (ChannelClosedException e) {
      return "closed";
    }
  }

  @Operation
  public String tryReceive() {
    try {
      return String.valueOf(channel.tryReceive());
    } catch (ChannelClosedException e) {
      return "closed";
    }
  }

  @Test
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), Spec.class, 3, 1);
  }

  @Test
  void stress() {
    LincheckRuns.stress(getClass(), Spec.class, 3, 1, 1000);
  }

  /** The count of open receiving handles, the cancel, and a buffer of two. */
  public static final class Spec {
    private int open = 2;
    private boolean firstClosed;
    private boolean secondClosed;
    private boolean cancelled;
    private int buffered;

    private void release() {
      if (--open == 0) {
        cancelled = true;
        buffered = 0; // discarded
      }
    }

    public void closeFirst() {
      if (!firstClosed) {
        firstClosed = true;
        release();
      }
    }

    public void closeSecond() {
      if (!secondClosed) {
        secondClosed = true;
        release();
      }
    }

    public String newReceiver() {
      if (cancelled) {
        return "ended";
      }
      open++;
      return "ok";
    }

    public String trySend() {
      if (cancelled) {
        return "closed";
      }
      if (buffered < 2) {
        buffered++;
        return "true";
      }
      return "false";
    }

    public String tryReceive() {
      if (cancelled) {
        return "closed";
      }
      if (buffered > 0) {
        buffered--;
        return "1";
      }
      return "null";
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s
          && open == s.open
          && firstClosed == s.firstClosed
          && secondClosed == s.secondClosed
          && cancelled == s.cancelled
          && buffered == s.buffered;
    }

    @Override
    public int hashCode() {
      return Objects.hash(open, firstClosed, secondClosed, cancelled, buffered);
    }
  }
}
