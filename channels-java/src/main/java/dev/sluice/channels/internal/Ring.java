package dev.sluice.channels.internal;

import org.jspecify.annotations.Nullable;

/**
 * The buffer of a channel: a circular array that grows on demand up to the channel's capacity.
 * Guarded by the channel's lock.
 *
 * <p>A bounded channel's array never shrinks, so once it has grown to what the workload needs, adding
 * and removing allocate nothing. An unbounded channel's array halves whenever it is at most a quarter
 * full, so memory taken by a burst is given back as the burst drains.
 *
 * @param <E> the element type
 */
final class Ring<E> {
  /** The first array's length, and the smallest an unbounded ring shrinks to. */
  private static final int MIN_LENGTH = 16;

  /** The largest array a JVM reliably allocates. */
  private static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

  private static final java.lang.invoke.VarHandle SIZE;

  static {
    try {
      SIZE =
          java.lang.invoke.MethodHandles.lookup().findVarHandle(Ring.class, "size", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int limit;
  private final boolean shrinks;
  private @Nullable Object[] items;
  private int head;
  private int size;

  /**
   * @param capacity the most elements the ring must hold: 1 or more, or {@link Integer#MAX_VALUE}
   */
  Ring(int capacity) {
    this.limit = Math.min(capacity, MAX_LENGTH);
    this.shrinks = capacity == Integer.MAX_VALUE;
    this.items = new Object[Math.max(0, Math.min(limit, MIN_LENGTH))];
  }

  int size() {
    return size;
  }

  /**
   * The size, read without the lock: a hint for polling, which must confirm it under the lock. An
   * opaque read, so that a polling loop sees the writer's updates instead of a hoisted copy.
   */
  int sizeOpaque() {
    return (int) SIZE.getOpaque(this);
  }

  void addLast(E e) {
    if (size == items.length) {
      if (size == limit) {
        throw new IllegalStateException("buffer full"); // the channel checks before adding
      }
      resize((int) Math.min((long) items.length * 2, limit));
    }
    int i = head + size;
    if (i >= items.length) {
      i -= items.length;
    }
    items[i] = e;
    size++;
  }

  /** Puts {@code e} before every other element, growing past the capacity by one if needed. */
  void addFirst(E e) {
    if (size == items.length) {
      resize((int) Math.min(Math.max((long) items.length * 2, 1), MAX_LENGTH));
    }
    head = head == 0 ? items.length - 1 : head - 1;
    items[head] = e;
    size++;
  }

  @SuppressWarnings("unchecked") // only E goes in
  @Nullable E pollFirst() {
    if (size == 0) {
      return null;
    }
    E e = (E) items[head];
    items[head] = null; // let it be collected
    head = head + 1 == items.length ? 0 : head + 1;
    size--;
    if (shrinks && items.length > MIN_LENGTH && size <= items.length / 4) {
      resize(items.length / 2);
    }
    return e;
  }

  private void resize(int length) {
    Object[] next = new Object[length];
    for (int i = 0; i < size; i++) {
      int j = head + i;
      next[i] = items[j >= items.length ? j - items.length : j];
    }
    items = next;
    head = 0;
  }

  /** Length of the backing array: for tests of memory use. */
  int arrayLength() {
    return items.length;
  }
}
