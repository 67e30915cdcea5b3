package dev.sluice.channels.lincheck;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The Lincheck runs of the small focused tests (batches, handles): three actors per thread and one
 * after, 30 iterations in the short run and 100 in the long one ({@code -Pstress-long}).
 */
final class LincheckRuns {
  private LincheckRuns() {}

  /** Model-checks {@code test} against {@code spec}. */
  static void modelCheck(Class<?> test, Class<?> spec, int threads, int actorsBefore) {
    boolean longRun = ChannelLincheckBase.longRun();
    new ModelCheckingOptions()
        .threads(threads)
        .actorsPerThread(3)
        .actorsBefore(actorsBefore)
        .actorsAfter(1)
        .iterations(longRun ? 100 : 30)
        .invocationsPerIteration(longRun ? 2_000 : 300)
        .sequentialSpecification(spec)
        .check(test);
  }

  /** Stress-tests {@code test} against {@code spec}; {@code invocations} per short iteration. */
  static void stress(Class<?> test, Class<?> spec, int threads, int actorsBefore, int invocations) {
    boolean longRun = ChannelLincheckBase.longRun();
    new StressOptions()
        .threads(threads)
        .actorsPerThread(3)
        .actorsBefore(actorsBefore)
        .actorsAfter(1)
        .iterations(longRun ? 100 : 30)
        .invocationsPerIteration(longRun ? 10_000 : invocations)
        .sequentialSpecification(spec)
        .check(test);
  }
}
