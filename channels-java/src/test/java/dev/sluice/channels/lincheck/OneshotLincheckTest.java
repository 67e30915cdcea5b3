package dev.sluice.channels.lincheck;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Oneshot;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: the non-waiting operations of a {@link Oneshot} ({@code send}, {@code close}, {@code
 * tryReceive}, {@code cancel} and the state queries) against {@link Spec}, in model-checking and
 * stress modes, with three threads: several senders racing to send or close, a receiver, and a
 * receiver that cancels.
 *
 * <p>Failures are results: {@code "sent already"} for a second send's {@link
 * IllegalStateException}, and {@link ChannelSpec#CLOSED} or {@link ChannelSpec#CANCELLED} for a
 * {@link ChannelClosedException} by its cause.
 */
public class OneshotLincheckTest {
  static final String SENT_ALREADY = "sent already";

  private final Oneshot<Integer> oneshot = Oneshot.create();

  @Operation
  public String send(@Param(gen = IntGen.class, conf = "1:3") int value) {
    try {
      oneshot.send(value);
      return "sent";
    } catch (ChannelClosedException e) {
      return closedResult(e);
    } catch (IllegalStateException e) {
      return SENT_ALREADY;
    }
  }

  @Operation
  public boolean close() {
    return oneshot.close();
  }

  @Operation
  public Object tryReceive() {
    try {
      return oneshot.tryReceive();
    } catch (ChannelClosedException e) {
      return closedResult(e);
    }
  }

  @Operation
  public void cancel() {
    oneshot.cancel();
  }

  @Operation
  public boolean isClosedForSend() {
    return oneshot.isClosedForSend();
  }

  @Operation
  public boolean isClosedForReceive() {
    return oneshot.isClosedForReceive();
  }

  @Operation
  public int size() {
    return oneshot.size();
  }

  private static String closedResult(ChannelClosedException e) {
    return e.getCause() instanceof CancellationException
        ? ChannelSpec.CANCELLED
        : ChannelSpec.CLOSED;
  }

  @Test
  void modelChecking() {
    KindLincheck.modelCheck(getClass(), Spec.class);
  }

  @Test
  void stress() {
    KindLincheck.stress(getClass(), Spec.class);
  }

  /**
   * A oneshot as a sequential model: the value held (or null), how it was closed (null while open,
   * {@link ChannelSpec#CLOSED} by a send or {@code close}, {@link ChannelSpec#CANCELLED} by {@code
   * cancel}), and whether a send closed it.
   */
  public static final class Spec {
    private Integer value;
    private String closedBy;
    private boolean sent;

    public String send(int v) {
      if (closedBy != null) {
        return sent ? SENT_ALREADY : closedBy;
      }
      value = v;
      sent = true;
      closedBy = ChannelSpec.CLOSED;
      return "sent";
    }

    public boolean close() {
      if (closedBy != null) {
        return false;
      }
      closedBy = ChannelSpec.CLOSED;
      return true;
    }

    public Object tryReceive() {
      if (value != null) {
        Integer v = value;
        value = null;
        return v;
      }
      return closedBy; // null while waiting
    }

    public void cancel() {
      if (closedBy == null) {
        closedBy = ChannelSpec.CANCELLED;
      }
      value = null; // discarded
    }

    public boolean isClosedForSend() {
      return closedBy != null;
    }

    public boolean isClosedForReceive() {
      return value == null && closedBy != null;
    }

    public int size() {
      return value == null ? 0 : 1;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s
          && Objects.equals(value, s.value)
          && Objects.equals(closedBy, s.closedBy)
          && sent == s.sent;
    }

    @Override
    public int hashCode() {
      return Objects.hash(value, closedBy, sent);
    }
  }
}
