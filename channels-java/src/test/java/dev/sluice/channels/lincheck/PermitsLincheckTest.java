package dev.sluice.channels.lincheck;

import dev.sluice.channels.Channel;
import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Permit;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: permits on a channel bounded to two places, against {@link Spec}: held places count as
 * taken (a send or reserve that finds buffered plus held at two answers full), a permit's send goes
 * into the place it holds, a release frees it, and a close voids every permit. Held permits sit in
 * two slots, each filled and emptied under its own monitor, so that an operation on a slot (a
 * reserve and the store of its permit) is one step to every other operation on that slot.
 *
 * <p>The claim and the withdrawal of a waiting reserve race in {@code reserveAsyncThenCancel} (a
 * future's reserve, cancelled at once: granted if a place came first, else withdrawn): a release or
 * receive between the two steps grants the waiter its place, exactly once, or the cancel withdraws
 * it and it holds none. This is the model-checked claim-and-cancel of Sluice's own waiters that
 * replaces Lincheck's cancellation of kotlinx continuations. (A waiting <em>send</em> cancelled the
 * same way is left out: when every place is held, a receive takes a waiting send's element
 * directly, as on a rendezvous channel, and a rendezvous has no sequential specification of single
 * operations; the model check found exactly that history.)
 */
public class PermitsLincheckTest {
  private final Channel<Integer> channel = Channel.bounded(2);

  /** Two slots for held permits, each used under its own monitor, so that filling one is atomic. */
  @SuppressWarnings("unchecked")
  private final Permit<Integer>[] held = new Permit[2];

  private final Object[] locks = {new Object(), new Object()};

  @Operation
  public String trySend(@Param(gen = IntGen.class, conf = "1:3") int e) {
    try {
      return String.valueOf(channel.trySend(e));
    } catch (ChannelClosedException closed) {
      return "closed";
    }
  }

  @Operation
  public String tryReceive() {
    try {
      return String.valueOf(channel.tryReceive());
    } catch (ChannelClosedException closed) {
      return "closed";
    }
  }

  @Operation
  public String tryReserve(@Param(gen = IntGen.class, conf = "0:1") int slot) {
    synchronized (locks[slot]) {
      if (held[slot] != null) {
        return "busy";
      }
      try {
        Permit<Integer> p = channel.tryReserve();
        if (p == null) {
          return "full";
        }
        held[slot] = p;
        return "reserved";
      } catch (ChannelClosedException closed) {
        return "closed";
      }
    }
  }

  @Operation
  public String reserveAsyncThenCancel(@Param(gen = IntGen.class, conf = "0:1") int slot) {
    synchronized (locks[slot]) {
      if (held[slot] != null) {
        return "busy";
      }
      CompletableFuture<Permit<Integer>> f = channel.reserveAsync();
      if (f.cancel(false)) {
        return "withdrawn";
      }
      try {
        held[slot] = f.join();
        return "reserved";
      } catch (CompletionException failed) {
        return failed.getCause() instanceof ChannelClosedException ? "closed" : "failed";
      }
    }
  }

  @Operation
  public String sendWithPermit(
      @Param(gen = IntGen.class, conf = "0:1") int slot,
      @Param(gen = IntGen.class, conf = "1:3") int e) {
    synchronized (locks[slot]) {
      Permit<Integer> p = held[slot];
      if (p == null) {
        return "none";
      }
      held[slot] = null;
      try {
        p.send(e);
        return "sent";
      } catch (ChannelClosedException closed) {
        return "closed";
      }
    }
  }

  @Operation
  public String releasePermit(@Param(gen = IntGen.class, conf = "0:1") int slot) {
    synchronized (locks[slot]) {
      Permit<Integer> p = held[slot];
      if (p == null) {
        return "none";
      }
      held[slot] = null;
      return String.valueOf(p.release());
    }
  }

  @Operation
  public boolean close() {
    return channel.close();
  }

  @Test
  void modelChecking() {
    LincheckRuns.modelCheck(getClass(), Spec.class, 3, 2);
  }

  @Test
  void stress() {
    LincheckRuns.stress(getClass(), Spec.class, 3, 2, 2000);
  }

  /** A buffer of two places, the places held, the permits held, and the close. */
  public static final class Spec {
    private final ArrayDeque<Integer> buffer = new ArrayDeque<>();
    private int reserved;
    private final boolean[] slots = new boolean[2];
    private boolean closed;

    private boolean full() {
      return buffer.size() + reserved >= 2;
    }

    public String trySend(int e) {
      if (closed) {
        return "closed";
      }
      if (full()) {
        return "false";
      }
      buffer.add(e);
      return "true";
    }

    public String tryReceive() {
      Integer e = buffer.poll();
      if (e != null) {
        return String.valueOf(e);
      }
      return closed ? "closed" : "null";
    }

    public String tryReserve(int slot) {
      if (slots[slot]) {
        return "busy";
      }
      if (closed) {
        return "closed";
      }
      if (full()) {
        return "full";
      }
      reserved++;
      slots[slot] = true;
      return "reserved";
    }

    public String reserveAsyncThenCancel(int slot) {
      String r = tryReserve(slot);
      return r.equals("full") ? "withdrawn" : r;
    }

    public String sendWithPermit(int slot, int e) {
      if (!slots[slot]) {
        return "none";
      }
      slots[slot] = false;
      if (closed) {
        return "closed";
      }
      reserved--;
      buffer.add(e);
      return "sent";
    }

    public String releasePermit(int slot) {
      if (!slots[slot]) {
        return "none";
      }
      slots[slot] = false;
      if (!closed) {
        reserved--;
      }
      return "true";
    }

    public boolean close() {
      if (closed) {
        return false;
      }
      closed = true;
      reserved = 0;
      return true;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s
          && List.copyOf(buffer).equals(List.copyOf(s.buffer))
          && reserved == s.reserved
          && Arrays.equals(slots, s.slots)
          && closed == s.closed;
    }

    @Override
    public int hashCode() {
      return Objects.hash(List.copyOf(buffer), reserved, Arrays.hashCode(slots), closed);
    }
  }
}
