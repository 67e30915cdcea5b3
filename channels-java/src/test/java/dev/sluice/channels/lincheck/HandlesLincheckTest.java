package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.SenderHandle;
import java.util.Objects;
import org.jetbrains.lincheck.datastructures.Operation;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: sending handles are counted race-free. A channel bounded to two elements starts with
 * two sending handles; threads close them, make new handles (kept open), send straight to the
 * channel and ask whether it is closed. (An operation that made a handle and closed it again was
 * tried first, and is not linearizable as one operation: another thread may close the other handles
 * while it holds its own, so that its close is the last. That is the promise working, and a test
 * can only check operations the library makes atomic.) Against {@link Spec}: the channel closes
 * exactly when the count of open handles drops to zero, and a handle made after that is refused.
 */
public class HandlesLincheckTest {
  private final Channel<Integer> channel = Channel.bounded(2);
  private final SenderHandle<Integer> first = channel.newSender();
  private final SenderHandle<Integer> second = first.newSender();

  @Operation
  public void closeFirst() {
    first.close();
  }

  @Operation
  public String newSender() {
    try {
      channel.newSender(); // kept open: the channel stays open from now on
      return "ok";
    } catch (ChannelClosedException e) {
      return "ended";
    }
  }

  @Operation
  public void closeSecond() {
    second.close();
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
  public boolean isClosedForSend() {
    return channel.isClosedForSend();
  }

  @Test
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), Spec.class, 3, 1);
  }

  @Test
  void stress() {
    LincheckRuns.stress(getClass(), Spec.class, 3, 1, 2000);
  }

  /** The count of open sending handles, the end, and a buffer of two. */
  public static final class Spec {
    private int open = 2;
    private boolean firstClosed;
    private boolean secondClosed;
    private boolean ended;
    private int buffered;

    public void closeFirst() {
      if (!firstClosed) {
        firstClosed = true;
        if (--open == 0) {
          ended = true;
        }
      }
    }

    public String newSender() {
      if (ended) {
        return "ended";
      }
      open++;
      return "ok";
    }

    public void closeSecond() {
      if (!secondClosed) {
        secondClosed = true;
        if (--open == 0) {
          ended = true;
        }
      }
    }

    public String trySend() {
      if (ended) {
        return "closed";
      }
      if (buffered < 2) {
        buffered++;
        return "true";
      }
      return "false";
    }

    public boolean isClosedForSend() {
      return ended;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s
          && open == s.open
          && firstClosed == s.firstClosed
          && secondClosed == s.secondClosed
          && ended == s.ended
          && buffered == s.buffered;
    }

    @Override
    public int hashCode() {
      return Objects.hash(open, firstClosed, secondClosed, ended, buffered);
    }
  }
}
