package dev.sluice.channels.lincheck;

import dev.sluice.channels.ChannelClosedException;
import dev.sluice.channels.Watch;
import java.util.Objects;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;

/**
 * Lincheck: the non-waiting operations of a {@link Watch} and of one of its readers ({@code set},
 * {@code setIfChanged}, {@code update}, {@code get}, {@code close}; {@code tryChanged}, {@code
 * getAndMark}, {@code hasChanged}) against {@link Spec}, in model-checking and stress modes. A
 * {@link ChannelClosedException} is the result {@link ChannelSpec#CLOSED}.
 */
public class WatchLincheckTest {
  private final Watch<Integer> watch = Watch.create(0);
  private final Watch.Reader<Integer> reader = watch.subscribe();

  @Operation
  public String set(@Param(gen = IntGen.class, conf = "1:3") int v) {
    try {
      watch.set(v);
      return "set";
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public Object setIfChanged(@Param(gen = IntGen.class, conf = "1:3") int v) {
    try {
      return watch.setIfChanged(v);
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public Object increment() {
    try {
      return watch.update(x -> x + 1);
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public int get() {
    return watch.get();
  }

  @Operation
  public boolean close() {
    return watch.close();
  }

  @Operation
  public Object tryChanged() {
    try {
      return reader.tryChanged();
    } catch (ChannelClosedException e) {
      return ChannelSpec.CLOSED;
    }
  }

  @Operation
  public int getAndMark() {
    return reader.getAndMark();
  }

  @Operation
  public Object hasChanged() {
    try {
      return reader.hasChanged();
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

  /** A watch and one reader as a sequential model: the value, its version, the reader's mark. */
  public static final class Spec {
    private int value;
    private long version;
    private long seen;
    private boolean closed;

    public String set(int v) {
      if (closed) {
        return ChannelSpec.CLOSED;
      }
      value = v;
      version++;
      return "set";
    }

    public Object setIfChanged(int v) {
      if (closed) {
        return ChannelSpec.CLOSED;
      }
      if (v == value) {
        return false;
      }
      set(v);
      return true;
    }

    public Object increment() {
      if (closed) {
        return ChannelSpec.CLOSED;
      }
      set(value + 1);
      return value;
    }

    public int get() {
      return value;
    }

    public boolean close() {
      boolean changed = !closed;
      closed = true;
      return changed;
    }

    public Object tryChanged() {
      if (seen != version) {
        seen = version;
        return value;
      }
      return closed ? ChannelSpec.CLOSED : null;
    }

    public int getAndMark() {
      seen = version;
      return value;
    }

    public Object hasChanged() {
      if (seen != version) {
        return true;
      }
      return closed ? ChannelSpec.CLOSED : false;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Spec s
          && value == s.value
          && (version != seen) == (s.version != s.seen)
          && closed == s.closed;
    }

    @Override
    public int hashCode() {
      return Objects.hash(value, version != seen, closed);
    }
  }
}
