package dev.sluice.bench.charts;

import java.util.List;

/**
 * What one image shows, before any drawing: grouped bars with error bars, one group per category (a
 * capacity, a number of subscribers), one bar per implementation, in one or more panels stacked
 * above each other (a shape, a capacity) that share the category axis and the value scale.
 *
 * @param name the image's file name without its extension: {@code throughput}, {@code
 *     broadcast-fan-out-delivered}
 * @param title the headline: what is measured, by what
 * @param benchmarks the benchmark classes whose rows the chart shows, in the file's order
 * @param metric the metric: {@code ""} for JMH's primary score, else a secondary score's name
 * @param quantity what the value axis counts, with its unit: {@code elements per µs}
 * @param unit the same, short, for an axis label: {@code elements/µs}
 * @param higherIsBetter true for throughput, false for time per operation
 * @param categoryLabel the category axis's label, {@code ""} if a chart has one category
 * @param categories the category labels, left to right
 * @param impls the implementations, in legend order: Sluice's rows first
 * @param panels the panels, top to bottom
 * @param runInfo how the rows were measured: {@code 2 forks × 4 iterations}
 */
record Chart(
    String name,
    String title,
    List<String> benchmarks,
    String metric,
    String quantity,
    String unit,
    boolean higherIsBetter,
    String categoryLabel,
    List<String> categories,
    List<String> impls,
    List<Panel> panels,
    String runInfo) {

  /** Whether an implementation is one of Sluice's rows: its name starts with {@code SLUICE}. */
  static boolean isSluice(String impl) {
    return impl.startsWith("SLUICE");
  }

  /**
   * One panel of a chart.
   *
   * @param label what sets this panel apart from the others ({@code SPSC}, {@code capacity 16}), or
   *     {@code ""} if the chart has one panel
   * @param bars the bars, at most one per implementation and category
   */
  record Panel(String label, List<Bar> bars) {

    /** The bar of an implementation in a category, or null if that row was not measured. */
    Bar bar(String impl, String category) {
      for (Bar b : bars) {
        if (b.impl().equals(impl) && b.category().equals(category)) {
          return b;
        }
      }
      return null;
    }
  }

  /**
   * One bar: a score and its error.
   *
   * @param impl the implementation
   * @param category the category label
   * @param value the score
   * @param error JMH's {@code scoreError}, the half-width of the 99.9% confidence interval; NaN if
   *     unknown (no error bar is drawn)
   */
  record Bar(String impl, String category, double value, double error) {}
}
