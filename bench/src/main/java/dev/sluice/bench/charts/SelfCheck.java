package dev.sluice.bench.charts;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The chart tool's self-check, run by {@code Charts --check}: the bench module has no test suite
 * (its build runs no tests), and this keeps the parsing and grouping honest without one.
 *
 * <p>It reads a small JMH result written below, in the shape JMH writes, with the cases that
 * matter: three throughput classes that must merge into one chart, a capacity that must sort
 * numerically ({@code 16} after {@code 2}), an error that JMH wrote as {@code "NaN"}, a row that
 * only one class has, and a benchmark with its own secondary counters. Then it draws the charts
 * into a temporary folder and checks that PNG files come out. It prints one line per failed check
 * and a closing line {@code check: N passed, M failed}.
 */
final class SelfCheck {

  /** A JMH result in the shape JMH writes it, cut down to the fields the tool reads. */
  private static final String SAMPLE =
      """
      [
        {"benchmark": "dev.sluice.bench.ThroughputBounded.transfer", "mode": "thrpt",
         "forks": 2, "measurementIterations": 4,
         "params": {"capacity": "16", "impl": "ABQ", "shape": "SPSC"},
         "primaryMetric": {"score": 0.86, "scoreError": 0.02, "scoreUnit": "ops/us"},
         "secondaryMetrics": {
           "gc.alloc.rate.norm": {"score": 4.0, "scoreError": 1.0, "scoreUnit": "B/op"}}},
        {"benchmark": "dev.sluice.bench.ThroughputBounded.transfer", "mode": "thrpt",
         "forks": 2, "measurementIterations": 4,
         "params": {"capacity": "16", "impl": "SLUICE", "shape": "SPSC"},
         "primaryMetric": {"score": 2.3, "scoreError": "NaN", "scoreUnit": "ops/us"}},
        {"benchmark": "dev.sluice.bench.ThroughputBounded.transfer", "mode": "thrpt",
         "forks": 2, "measurementIterations": 4,
         "params": {"capacity": "2", "impl": "SLUICE", "shape": "MPMC"},
         "primaryMetric": {"score": 2.4, "scoreError": 2.5, "scoreUnit": "ops/us"}},
        {"benchmark": "dev.sluice.bench.ThroughputRendezvous.transfer", "mode": "thrpt",
         "forks": 2, "measurementIterations": 4,
         "params": {"impl": "SQ", "shape": "SPSC"},
         "primaryMetric": {"score": 4.6, "scoreError": 2.7, "scoreUnit": "ops/us"}},
        {"benchmark": "dev.sluice.bench.ThroughputUnbounded.transfer", "mode": "thrpt",
         "forks": 2, "measurementIterations": 4,
         "params": {"impl": "SLUICE_VT", "shape": "SPSC"},
         "primaryMetric": {"score": 35.8, "scoreError": 12.3, "scoreUnit": "ops/us"}},
        {"benchmark": "dev.sluice.bench.ThroughputUnbounded.transfer", "mode": "thrpt",
         "forks": 2, "measurementIterations": 4,
         "params": {"impl": "SLUICE", "shape": "SPSC"},
         "primaryMetric": {"score": 15.4, "scoreError": 5.4, "scoreUnit": "ops/us"}},
        {"benchmark": "dev.sluice.bench.BroadcastFanOut.fanOut", "mode": "thrpt",
         "forks": 2, "measurementIterations": 5,
         "params": {"capacity": "1024", "impl": "SHARED_FLOW", "subscribers": "2"},
         "primaryMetric": {"score": 2.7, "scoreError": 0.3, "scoreUnit": "ops/us"},
         "secondaryMetrics": {
           "delivered": {"score": 2.7, "scoreError": 0.3, "scoreUnit": "ops/us"},
           "missed": {"score": 0.0, "scoreError": 0.0, "scoreUnit": "ops/us"}}},
        {"benchmark": "dev.sluice.bench.BroadcastFanOut.fanOut", "mode": "thrpt",
         "forks": 2, "measurementIterations": 5,
         "params": {"capacity": "16", "impl": "SLUICE", "subscribers": "1"},
         "primaryMetric": {"score": 3.3, "scoreError": 1.2, "scoreUnit": "ops/us"},
         "secondaryMetrics": {
           "delivered": {"score": 1.7, "scoreError": 0.8, "scoreUnit": "ops/us"},
           "missed": {"score": 1.6, "scoreError": 1.3, "scoreUnit": "ops/us"}}},
        {"benchmark": "dev.sluice.bench.WatchWakeup.roundTrip", "mode": "avgt",
         "forks": 2, "measurementIterations": 5,
         "params": {"impl": "SLUICE"},
         "primaryMetric": {"score": 1121.0, "scoreError": 805.0, "scoreUnit": "ns/op"}},
        {"benchmark": "dev.sluice.bench.WatchWakeup.roundTrip", "mode": "avgt",
         "forks": 2, "measurementIterations": 5,
         "params": {"impl": "STATE_FLOW"},
         "primaryMetric": {"score": 13693.0, "scoreError": 1796.0, "scoreUnit": "ns/op"}}
      ]
      """;

  private int passed;
  private int failed;

  private SelfCheck() {}

  /** Runs every check; true if all passed. */
  static boolean run() throws IOException {
    SelfCheck check = new SelfCheck();
    check.all();
    System.out.println("check: " + check.passed + " passed, " + check.failed + " failed");
    return check.failed == 0;
  }

  private void all() throws IOException {
    List<Measurement> rows = Measurement.parse(JsonParser.parseString(SAMPLE));
    equal("rows read", rows.size(), 10);
    Measurement first = rows.get(0);
    equal(
        "class and method",
        List.of(first.className(), first.method()),
        List.of("ThroughputBounded", "transfer"));
    equal(
        "impl kept apart from the other parameters",
        first.params().keySet(),
        Set.of("capacity", "shape"));
    equal("impl", first.impl(), "ABQ");
    that("\"NaN\" error read as NaN", Double.isNaN(rows.get(1).primary().error()));

    List<Chart> charts = Grouping.charts(rows);
    equal(
        "chart names",
        charts.stream().map(Chart::name).toList(),
        List.of("throughput", "broadcast-fan-out", "broadcast-fan-out-delivered", "watch-wakeup"));

    Chart throughput = charts.get(0);
    equal(
        "the three Throughput classes in one chart",
        throughput.benchmarks(),
        List.of("ThroughputBounded", "ThroughputRendezvous", "ThroughputUnbounded"));
    equal(
        "capacities: numbers in order, rendezvous named, unbounded last",
        throughput.categories(),
        List.of("0 (rendezvous)", "2", "16", "unbounded"));
    equal(
        "one panel per shape, in declared order",
        throughput.panels().stream().map(Chart.Panel::label).toList(),
        List.of("SPSC", "MPMC"));
    equal(
        "Sluice rows first in the legend",
        throughput.impls(),
        List.of("SLUICE", "SLUICE_VT", "ABQ", "SQ"));
    equal(
        "a row missing from a panel has no bar", throughput.panels().get(1).bar("ABQ", "16"), null);
    equal(
        "rendezvous row placed at capacity 0",
        throughput.panels().get(0).bar("SQ", "0 (rendezvous)"),
        new Chart.Bar("SQ", "0 (rendezvous)", 4.6, 2.7));
    equal(
        "throughput quantity",
        List.of(throughput.quantity(), throughput.unit()),
        List.of("elements per µs", "elements/µs"));
    that("throughput: higher is better", throughput.higherIsBetter());
    that("0.86 to 35.8 elements/µs: log scale", Painter.logScale(throughput));
    equal("run info", throughput.runInfo(), "2 forks × 4 iterations");

    Chart fanOut = charts.get(1);
    equal("subscribers on the category axis", fanOut.categoryLabel(), "subscribers");
    equal(
        "one panel per capacity, numerically",
        fanOut.panels().stream().map(Chart.Panel::label).toList(),
        List.of("capacity 16", "capacity 1024"));
    that("2.7 to 3.3: linear scale", !Painter.logScale(fanOut));
    equal(
        "secondary metric charted", charts.get(2).panels().get(0).bar("SLUICE", "1").value(), 1.7);

    Chart wakeup = charts.get(3);
    equal("no category parameter: one group", wakeup.categories(), List.of(""));
    equal("latency quantity", wakeup.quantity(), "ns per round trip");
    that("latency: lower is better", !wakeup.higherIsBetter());

    Path dir = Files.createTempDirectory("sluice-charts-check");
    try {
      Path json = dir.resolve("sample.json");
      Files.writeString(json, SAMPLE);
      List<Path> images = Charts.write(json, dir);
      equal("one image per chart", images.size(), charts.size());
      for (Path image : images) {
        that(image.getFileName() + " is a PNG", isPng(image));
      }
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static boolean isPng(Path file) throws IOException {
    byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(8), signature) && Files.size(file) > 5_000;
    }
  }

  private void equal(String what, Object actual, Object expected) {
    if (Objects.equals(actual, expected)) {
      passed++;
    } else {
      failed++;
      System.out.println("FAILED " + what + ": expected " + expected + ", got " + actual);
    }
  }

  private void that(String what, boolean condition) {
    equal(what, condition, true);
  }
}
