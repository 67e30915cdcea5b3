package dev.sluice.channels.lincheck;

import dev.sluice.channels.BufferOverflow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The sequential specification of a {@link dev.sluice.channels.Channel} seen through its
 * non-waiting operations, for Lincheck's {@code sequentialSpecification} option.
 *
 * <p>A FIFO buffer of at most {@code capacity} elements and a closed flag, with the close cause
 * remembered from the first {@code close}/{@code cancel}. With only try-operations nobody ever
 * waits, so a rendezvous channel (capacity 0) never takes an element: its {@code trySend} returns
 * false until the channel closes, and then fails.
 *
 * <p>Results are encoded exactly as {@link ChannelLincheckBase} encodes those of the real channel:
 * a {@link dev.sluice.channels.ChannelClosedException} becomes {@link #CLOSED} after a plain close
 * and {@link #CANCELLED} after a cancel, so that the cause carried by the exception is checked too.
 *
 * <p>Lincheck makes instances with the no-argument constructor of a concrete subclass (one per
 * capacity, nested in each test class), and compares them with {@link #equals} to merge states.
 */
public abstract class ChannelSpec {
  /** The result of an operation that failed because the channel was closed by {@code close()}. */
  static final String CLOSED = "closed";

  /** The result of an operation that failed because the channel was closed by {@code cancel()}. */
  static final String CANCELLED = "cancelled";

  private final int capacity;
  private final BufferOverflow overflow;
  private final ArrayDeque<Integer> buffer = new ArrayDeque<>();

  /** Null while open; {@link #CLOSED} or {@link #CANCELLED} after the first close or cancel. */
  private String closedBy;

  /**
   * Makes an open, empty channel model.
   *
   * @param capacity 0, a bound, or {@link Integer#MAX_VALUE}
   */
  protected ChannelSpec(int capacity) {
    this(capacity, BufferOverflow.SUSPEND);
  }

  /**
   * Makes an open, empty channel model whose full buffer drops an element.
   *
   * @param capacity 1 or more
   * @param overflow what a send to a full buffer does
   */
  protected ChannelSpec(int capacity, BufferOverflow overflow) {
    this.capacity = capacity;
    this.overflow = overflow;
  }

  public String trySend(int element) {
    if (closedBy != null) {
      return closedBy;
    }
    if (buffer.size() < capacity) {
      buffer.addLast(element);
      return "true";
    }
    switch (overflow) {
      case DROP_OLDEST:
        buffer.pollFirst();
        buffer.addLast(element);
        return "true";
      case DROP_LATEST:
        return "true";
      default:
        return "false";
    }
  }

  public Object tryReceive() {
    Integer head = buffer.pollFirst();
    if (head != null) {
      return head;
    }
    return closedBy; // null: empty and open
  }

  public Object tryReceiveMany(int max) {
    if (buffer.isEmpty()) {
      return closedBy != null ? closedBy : "[]";
    }
    List<Integer> taken = new ArrayList<>();
    while (taken.size() < max && !buffer.isEmpty()) {
      taken.add(buffer.pollFirst());
    }
    return taken.toString();
  }

  public boolean close() {
    if (closedBy != null) {
      return false;
    }
    closedBy = CLOSED;
    return true;
  }

  public void cancel() {
    if (closedBy == null) {
      closedBy = CANCELLED;
    }
    buffer.clear(); // cancel after close still discards what is buffered
  }

  public boolean isClosedForSend() {
    return closedBy != null;
  }

  public boolean isClosedForReceive() {
    return closedBy != null && buffer.isEmpty();
  }

  public int size() {
    return buffer.size();
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    ChannelSpec that = (ChannelSpec) o;
    return capacity == that.capacity
        && overflow == that.overflow
        && Objects.equals(closedBy, that.closedBy)
        && new ArrayList<>(buffer).equals(new ArrayList<>(that.buffer));
  }

  @Override
  public int hashCode() {
    return Objects.hash(capacity, overflow, closedBy, new ArrayList<>(buffer));
  }

  @Override
  public String toString() {
    return "ChannelSpec[capacity="
        + capacity
        + ", buffer="
        + buffer
        + ", closedBy="
        + closedBy
        + "]";
  }
}
