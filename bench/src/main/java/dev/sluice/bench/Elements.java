package dev.sluice.bench;

/**
 * The elements that the coroutine benchmarks send: the numbers 0 to {@value #COUNT} - 1, boxed once
 * when the class loads, so that no row pays for boxing and the receivers of a batch can check the
 * sum of what they got.
 *
 * <p>A batch of {@code n} elements sends {@code VALUES[0]} to {@code VALUES[n - 1]}, each exactly
 * once, split between its producers; its receivers add up the values, and the total must be {@link
 * #sum sum(n)}. An element lost or received twice changes the total (or leaves a receiver waiting,
 * which the stall timeout reports).
 *
 * <p>This is Java although only the Kotlin code and {@link ThreadsToCoroutines} use it: Kotlin
 * 2.4.21 compiles a {@code @JvmField} property of an {@code object} initialized with {@code
 * Array(n) { ... }} into a static initializer that the verifier rejects ("Bad local variable type")
 * once another file reads the property.
 */
final class Elements {

  /** How many distinct elements there are: the largest batch any benchmark sends. */
  static final int COUNT = 10_000;

  /** {@code VALUES[i]} is the boxed number {@code i}. */
  static final Object[] VALUES = new Object[COUNT];

  static {
    for (int i = 0; i < COUNT; i++) {
      VALUES[i] = i;
    }
  }

  private Elements() {}

  /** The sum of the first {@code count} values: what the receivers of a batch must add up to. */
  static long sum(int count) {
    return (long) count * (count - 1) / 2;
  }

  /** The value of an element received from a batch. */
  static int valueOf(Object element) {
    return (Integer) element;
  }
}
