package dev.sluice.channels.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck runs shared by the tests of the kinds built on the engine ({@link
 * OneshotLincheckTest}, {@link WatchLincheckTest}, {@link BroadcastLincheckTest}): three threads of
 * three operations, one before and two after, sized by {@code sluice.stress} as {@link
 * ChannelLincheckBase} is.
 */
final class KindLincheck {
  private KindLincheck() {}

  /** Model-checks the operations of {@code test} against the sequential {@code spec}. */
  static void modelCheck(Class<?> test, Class<?> spec) {
    boolean longRun = ChannelLincheckBase.longRun();
    new ModelCheckingOptions()
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(2)
        .iterations(longRun ? 50 : 10)
        .invocationsPerIteration(longRun ? 1_000 : 150)
        .sequentialSpecification(spec)
        .check(test);
  }

  /** Stress-tests the operations of {@code test} against the sequential {@code spec}. */
  static void stress(Class<?> test, Class<?> spec) {
    boolean longRun = ChannelLincheckBase.longRun();
    new StressOptions()
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(1)
        .actorsAfter(2)
        .iterations(longRun ? 50 : 10)
        .invocationsPerIteration(longRun ? 5_000 : 1_000)
        .sequentialSpecification(spec)
        .check(test);
  }
}
