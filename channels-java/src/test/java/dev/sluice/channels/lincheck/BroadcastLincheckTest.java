package dev.sluice.channels.lincheck;

import dev.sluice.channels.Broadcast;
import dev.sluice.channels.ChannelClosedException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: the non-waiting operations of a {@link Broadcast} of capacity 2 ({@code send}, {@code
 * close}, {@code subscriberCount}) and of two of its subscribers ({@code tryReceive}, {@code size},
 * {@code isClosedForReceive}, {@code close}) against {@link Spec}, in model-checking and stress
 * modes. A subscriber is meant for one thread at a time, so each one's operations form a
 * non-parallel group. A {@link ChannelClosedException} is the result {@link ChannelSpec#CLOSED}; a
 * lag is {@code "lag n"}.
 */
public class BroadcastLincheckTest {
  private final Broadcast<Integer> broadcast = Broadcast.create(Spec.CAPACITY);
  private final Broadcast.Subscriber<Integer> a = broadcast.subscribe();
  private final Broadcast.Subscriber<Integer> b = broadcast.subscribe();

  @Operation
  public Object send(@Param(gen = IntGen.class, conf = "1:3") int v) {
    try {
      return broadcast.send(v);
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public boolean close() {
    return broadcast.close();
  }

  @Operation
  public int subscriberCount() {
    return broadcast.subscriberCount();
  }

  @Operation(nonParallelGroup = "a")
  public Object tryReceiveA() {
    return tryReceive(a);
  }

  @Operation(nonParallelGroup = "a")
  public int sizeA() {
    return a.size();
  }

  @Operation(nonParallelGroup = "a")
  public boolean isClosedForReceiveA() {
    return a.isClosedForReceive();
  }

  @Operation(nonParallelGroup = "a")
  public String unsubscribeA() {
    a.close();
    return "closed";
  }

  @Operation(nonParallelGroup = "b")
  public Object tryReceiveB() {
    return tryReceive(b);
  }

  @Operation(nonParallelGroup = "b")
  public int sizeB() {
    return b.size();
  }

  private static Object tryReceive(Broadcast.Subscriber<Integer> s) {
    try {
      Broadcast.Received<Integer> r = s.tryReceive();
      if (r == null) {
        return null;
      }
      return r.isLagged() ? "lag " + r.missed() : r.value();
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Test
  void modelChecking() {
    KindLincheck.modelCheck(getClass(), Spec.class);
  }

  @Test
  void stress() {
    KindLincheck.stress(getClass(), Spec.class);
  }

  /** A broadcast and two subscribers as a sequential model: what was sent, and where each is. */
  public static final class Spec {
    static final int CAPACITY = 2;

    private final List<Integer> sent = new ArrayList<>();
    private final int[] next = new int[2];
    private final boolean[] unsubscribed = new boolean[2];
    private boolean closed;

    public Object send(int v) {
      if (closed) {
        return ChannelSpec.CLOSED;
      }
      sent.add(v);
      return subscriberCount();
    }

    public boolean close() {
      boolean changed = !closed;
      closed = true;
      return changed;
    }

    public int subscriberCount() {
      return (unsubscribed[0] ? 0 : 1) + (unsubscribed[1] ? 0 : 1);
    }

    public Object tryReceiveA() {
      return tryReceive(0);
    }

    public int sizeA() {
      return size(0);
    }

    public boolean isClosedForReceiveA() {
      return unsubscribed[0] || (closed && next[0] == sent.size());
    }

    public String unsubscribeA() {
      unsubscribed[0] = true;
      return "closed";
    }

    public Object tryReceiveB() {
      return tryReceive(1);
    }

    public int sizeB() {
      return size(1);
    }

    private Object tryReceive(int s) {
      if (unsubscribed[s]) {
        return ChannelSpec.CLOSED;
      }
      int oldest = sent.size() - CAPACITY;
      if (next[s] < oldest) {
        int missed = oldest - next[s];
        next[s] = oldest;
        return "lag " + missed;
      }
      if (next[s] < sent.size()) {
        return sent.get(next[s]++);
      }
      return closed ? ChannelSpec.CLOSED : null;
    }

    private int size(int s) {
      return unsubscribed[s] ? 0 : sent.size() - Math.max(next[s], sent.size() - CAPACITY);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec other
          && sent.equals(other.sent)
          && Arrays.equals(next, other.next)
          && Arrays.equals(unsubscribed, other.unsubscribed)
          && closed == other.closed;
    }

    @Override
    public int hashCode() {
      return Objects.hash(sent, Arrays.hashCode(next), Arrays.hashCode(unsubscribed), closed);
    }
  }
}
