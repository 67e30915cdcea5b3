package dev.sluice.channels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Deadline}: a timeout saturates to {@code [0, FAR]} whatever the {@link Duration}, and a
 * deadline made from it reads back the time left, never negative and never wrapped, even where the
 * sum with the clock overflows. The arithmetic is checked on given clock readings, so that no
 * assertion depends on how fast the machine is.
 */
class DeadlineTest {
  private static final long FAR_SECONDS = Deadline.FAR / 1_000_000_000L;

  static Stream<Duration> negative() {
    return Stream.of(
        Duration.ofNanos(-1),
        Duration.ofSeconds(-1),
        Duration.ofNanos(Long.MIN_VALUE), // the most negative toNanos() can return
        Duration.ofSeconds(Long.MIN_VALUE / 2), // toNanos() overflows
        Duration.ofSeconds(Long.MIN_VALUE)); // the most negative Duration
  }

  static Stream<Duration> beyondFar() {
    return Stream.of(
        Duration.ofNanos(Deadline.FAR + 1),
        Duration.ofSeconds(FAR_SECONDS, 999_999_999), // whole seconds fit, the nanos tip it over
        Duration.ofSeconds(FAR_SECONDS + 1),
        Duration.ofNanos(Long.MAX_VALUE), // the longest toNanos() can return
        Duration.ofSeconds(Long.MAX_VALUE / 2), // toNanos() overflows
        Duration.ofSeconds(Long.MAX_VALUE),
        Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)); // the longest Duration
  }

  /** Clock readings where a sum with a far timeout overflows, or almost does. */
  static long[] clocks() {
    return new long[] {0L, 1L, -1L, Long.MAX_VALUE, Long.MAX_VALUE - 10, Long.MIN_VALUE, 12_345L};
  }

  // --- timeoutNanos -----------------------------------------------------------------------------

  @Test
  void timeoutNanos_zero_isZero() {
    assertEquals(0L, Deadline.timeoutNanos(Duration.ZERO));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("negative")
  void timeoutNanos_negativeHoweverFar_isZero(Duration timeout) {
    assertEquals(0L, Deadline.timeoutNanos(timeout));
  }

  @Test
  void timeoutNanos_positiveUpToFar_isExact() {
    assertEquals(1L, Deadline.timeoutNanos(Duration.ofNanos(1)));
    assertEquals(1_000_000_000L, Deadline.timeoutNanos(Duration.ofSeconds(1)));
    assertEquals(1_500_000_000L, Deadline.timeoutNanos(Duration.ofMillis(1_500)));
    assertEquals(Deadline.FAR - 1, Deadline.timeoutNanos(Duration.ofNanos(Deadline.FAR - 1)));
    assertEquals(Deadline.FAR, Deadline.timeoutNanos(Duration.ofNanos(Deadline.FAR)));
    assertEquals(
        FAR_SECONDS * 1_000_000_000L, Deadline.timeoutNanos(Duration.ofSeconds(FAR_SECONDS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("beyondFar")
  void timeoutNanos_beyondFar_isFarAndDoesNotThrow(Duration timeout) {
    assertEquals(Deadline.FAR, Deadline.timeoutNanos(timeout));
  }

  @Test
  void timeoutNanos_null_throwsNpe() {
    assertThrows(NullPointerException.class, () -> Deadline.timeoutNanos(null));
  }

  // --- after and nanosLeft, on given clock readings ---------------------------------------------

  @ParameterizedTest(name = "now {0}")
  @MethodSource("clocks")
  void nanosLeft_ofAFarDeadline_isFarEvenWhereTheSumOverflows(long now) {
    long deadline = Deadline.after(Deadline.FAR, now);
    assertEquals(Deadline.FAR, Deadline.nanosLeft(deadline, now));
    assertEquals(Deadline.FAR - 1_000, Deadline.nanosLeft(deadline, now + 1_000));
  }

  @ParameterizedTest(name = "now {0}")
  @MethodSource("clocks")
  void nanosLeft_asTimePasses_shrinksToZeroAndStaysThere(long now) {
    long deadline = Deadline.after(100, now);
    assertEquals(100L, Deadline.nanosLeft(deadline, now));
    assertEquals(40L, Deadline.nanosLeft(deadline, now + 60));
    assertEquals(0L, Deadline.nanosLeft(deadline, now + 100));
    assertEquals(0L, Deadline.nanosLeft(deadline, now + 101));
    assertEquals(0L, Deadline.nanosLeft(deadline, now + 100 + Deadline.FAR), "long past: no wrap");
  }

  @ParameterizedTest(name = "now {0}")
  @MethodSource("clocks")
  void nanosLeft_ofAZeroTimeout_isZeroAtOnce(long now) {
    assertEquals(0L, Deadline.nanosLeft(Deadline.after(0, now), now));
  }

  /** The bug this class fixes: a hugely negative timeout made a deadline in the far future. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("negative")
  void nanosLeft_ofANegativeTimeout_isZeroOnAnyClock(Duration timeout) {
    long nanos = Deadline.timeoutNanos(timeout);
    for (long now : clocks()) {
      long deadline = Deadline.after(nanos, now);
      assertEquals(0L, Deadline.nanosLeft(deadline, now));
      assertEquals(0L, Deadline.nanosLeft(deadline, now + 1));
      assertEquals(0L, Deadline.nanosLeft(deadline, now + Deadline.FAR));
    }
  }

  // --- after and nanosLeft, on the real clock ---------------------------------------------------

  @Test
  void nanosLeft_onTheClock_isNeverNegativeNorMoreThanTheTimeout() {
    assertEquals(0L, Deadline.nanosLeft(Deadline.after(0)));
    assertEquals(0L, Deadline.nanosLeft(System.nanoTime() - 1));
    assertEquals(0L, Deadline.nanosLeft(System.nanoTime() - Deadline.FAR));
    long far = Deadline.nanosLeft(Deadline.after(Deadline.FAR));
    assertTrue(far > Deadline.FAR / 2 && far <= Deadline.FAR, "far, not wrapped: " + far);
  }

  @ParameterizedTest(name = "{0} s")
  @ValueSource(longs = {Long.MIN_VALUE, Long.MIN_VALUE / 2, -1, 0})
  void nanosLeft_onTheClockOfANonPositiveTimeout_isZero(long seconds) {
    long deadline = Deadline.after(Deadline.timeoutNanos(Duration.ofSeconds(seconds)));
    assertEquals(0L, Deadline.nanosLeft(deadline));
  }
}
