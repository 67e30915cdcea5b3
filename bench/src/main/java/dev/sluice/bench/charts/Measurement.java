package dev.sluice.bench.charts;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of a JMH JSON result file: a benchmark method run with one set of parameters, and the
 * scores it got.
 *
 * <p>The {@code impl} parameter, which every Sluice benchmark has, is kept apart from the others:
 * it names the row in a chart's legend, and the other parameters place it on the chart.
 *
 * @param className the benchmark class's simple name, {@code ThroughputBounded}
 * @param method the benchmark method, {@code transfer}
 * @param mode JMH's mode: {@code thrpt} (higher is better) or {@code avgt} (lower is better)
 * @param params the parameters but {@code impl}, in the file's order
 * @param impl the {@code impl} parameter, or {@code "-"} if the benchmark has none
 * @param primary the primary score
 * @param secondary the secondary scores by name: {@code gc.alloc.rate.norm}, a benchmark's own
 *     counters
 * @param forks how many forks were measured
 * @param iterations how many measured iterations each fork ran
 */
record Measurement(
    String className,
    String method,
    String mode,
    Map<String, String> params,
    String impl,
    Score primary,
    Map<String, Score> secondary,
    int forks,
    int iterations) {

  /**
   * A score and its error as JMH writes them.
   *
   * @param value the score
   * @param error the half-width of the 99.9% confidence interval; NaN when the run had too few
   *     iterations to tell (JMH writes the string {@code "NaN"})
   * @param unit JMH's unit, {@code ops/us} or {@code ns/op}
   */
  record Score(double value, double error, String unit) {}

  /** Reads every row of a JMH JSON result file ({@code -rf json}), in the file's order. */
  static List<Measurement> read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      return parse(JsonParser.parseReader(in));
    }
  }

  /** Reads every row of a JMH JSON result, already parsed. */
  static List<Measurement> parse(JsonElement json) {
    List<Measurement> rows = new ArrayList<>();
    for (JsonElement element : json.getAsJsonArray()) {
      JsonObject run = element.getAsJsonObject();
      // "dev.sluice.bench.ThroughputBounded.transfer": the last two names.
      String benchmark = run.get("benchmark").getAsString();
      int lastDot = benchmark.lastIndexOf('.');
      String method = benchmark.substring(lastDot + 1);
      String className = benchmark.substring(benchmark.lastIndexOf('.', lastDot - 1) + 1, lastDot);

      Map<String, String> params = new LinkedHashMap<>();
      if (run.has("params")) {
        for (Map.Entry<String, JsonElement> p : run.getAsJsonObject("params").entrySet()) {
          params.put(p.getKey(), p.getValue().getAsString());
        }
      }
      String impl = params.containsKey("impl") ? params.remove("impl") : "-";

      Map<String, Score> secondary = new LinkedHashMap<>();
      if (run.has("secondaryMetrics")) {
        for (Map.Entry<String, JsonElement> m :
            run.getAsJsonObject("secondaryMetrics").entrySet()) {
          secondary.put(m.getKey(), score(m.getValue().getAsJsonObject()));
        }
      }
      rows.add(
          new Measurement(
              className,
              method,
              run.get("mode").getAsString(),
              params,
              impl,
              score(run.getAsJsonObject("primaryMetric")),
              secondary,
              run.has("forks") ? run.get("forks").getAsInt() : 0,
              run.has("measurementIterations") ? run.get("measurementIterations").getAsInt() : 0));
    }
    return rows;
  }

  private static Score score(JsonObject metric) {
    // getAsDouble reads both a number and the string "NaN" that JMH writes for a missing error.
    return new Score(
        metric.get("score").getAsDouble(),
        metric.get("scoreError").getAsDouble(),
        metric.get("scoreUnit").getAsString());
  }
}
