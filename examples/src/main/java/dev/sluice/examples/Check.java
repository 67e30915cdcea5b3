package dev.sluice.examples;

/** The examples' own assertion: always on (unlike {@code assert}), and says what went wrong. */
public final class Check {
  private Check() {}

  /**
   * Throws if {@code condition} is false.
   *
   * @param condition what the example expects
   * @param what the expectation, in words
   * @throws AssertionError if {@code condition} is false
   */
  public static void that(boolean condition, String what) {
    if (!condition) {
      throw new AssertionError("example went wrong: expected " + what);
    }
  }
}
