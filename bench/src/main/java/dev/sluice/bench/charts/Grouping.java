package dev.sluice.bench.charts;

import dev.sluice.bench.charts.Chart.Bar;
import dev.sluice.bench.charts.Chart.Panel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Sorts the rows of a JMH result file into charts: one chart per benchmark family and metric, one
 * panel per value of the parameters that are not on the category axis, one bar per implementation.
 *
 * <p>The rows are grouped as {@code bench/tools/jmh_table.py} groups them (benchmark, parameters,
 * impl), with two differences that make "throughput by capacity" one picture:
 *
 * <ul>
 *   <li>Classes that differ only by a capacity suffix form one family and share a chart: {@code
 *       ThroughputRendezvous}, {@code ThroughputBounded} and {@code ThroughputUnbounded} become
 *       {@code Throughput}, with capacity {@code 0} for the rendezvous class and {@code unbounded}
 *       for the unbounded one (the rule of {@code jmh_table.py --bars}); {@code PingPongRendezvous}
 *       and {@code PingPongBuffered} become {@code PingPong}. A {@code capacity} parameter, when a
 *       class has one, wins over what its name implies.
 *   <li>One parameter becomes the category axis: {@code subscribers} if the family has it, else
 *       {@code capacity}, else none (one group of bars). Every other parameter ({@code shape}, or
 *       {@code capacity} beside {@code subscribers}) splits the chart into panels.
 * </ul>
 *
 * <p>Besides JMH's primary score, a family gets a chart for each secondary score that a benchmark
 * counts itself (not a {@code gc.*} profiler score), in the primary score's unit, and above zero in
 * every row: {@code BroadcastFanOut}'s {@code delivered}, but not its {@code missed}, which is zero
 * wherever nothing is missed and has no place on a log scale.
 */
final class Grouping {

  /** The parameters that may become the category axis, the first one present winning. */
  private static final List<String> CATEGORY_PARAMS = List.of("subscribers", "capacity");

  /** Class-name suffixes that a family drops, and the capacity each implies (null: a parameter). */
  private static final List<String[]> SUFFIXES =
      List.of(
          new String[] {"Rendezvous", "0"},
          new String[] {"Unbounded", "unbounded"},
          new String[] {"Bounded", null},
          new String[] {"Buffered", null});

  /** What one operation of a benchmark method or counter is: {plural, singular}. */
  private static final Map<String, String[]> OPERATIONS =
      Map.of(
          "transfer", new String[] {"elements", "element"},
          "roundTrip", new String[] {"round trips", "round trip"},
          "fanOut", new String[] {"elements sent", "element sent"},
          "delivered", new String[] {"elements delivered to each subscriber", "element delivered"},
          "missed", new String[] {"elements missed by each subscriber", "element missed"});

  private Grouping() {}

  /** A row placed in its family, with the capacity its class implies added to its parameters. */
  private record Row(String family, Measurement m, Map<String, String> params) {}

  /** The charts of one result file's rows, in the order their families first appear. */
  static List<Chart> charts(List<Measurement> measurements) {
    Map<String, List<Row>> families = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      String family = m.className();
      Map<String, String> params = new LinkedHashMap<>();
      for (String[] suffix : SUFFIXES) {
        if (family.endsWith(suffix[0]) && family.length() > suffix[0].length()) {
          family = family.substring(0, family.length() - suffix[0].length());
          if (suffix[1] != null) {
            params.put("capacity", suffix[1]);
          }
          break;
        }
      }
      params.putAll(m.params());
      String key = family + "." + m.method() + " " + m.mode() + " " + m.primary().unit();
      families.computeIfAbsent(key, k -> new ArrayList<>()).add(new Row(family, m, params));
    }
    List<Chart> charts = new ArrayList<>();
    for (List<Row> rows : families.values()) {
      for (String metric : metrics(rows)) {
        charts.add(chart(rows, metric));
      }
    }
    return charts;
  }

  /** The primary score ({@code ""}) and the secondary scores worth a chart of their own. */
  private static List<String> metrics(List<Row> rows) {
    List<String> metrics = new ArrayList<>();
    metrics.add("");
    Set<String> names = new LinkedHashSet<>();
    rows.forEach(r -> names.addAll(r.m().secondary().keySet()));
    for (String name : names) {
      if (name.startsWith("gc.")) {
        continue;
      }
      boolean everywhere = true;
      for (Row r : rows) {
        Measurement.Score s = r.m().secondary().get(name);
        everywhere &= s != null && s.value() > 0 && s.unit().equals(r.m().primary().unit());
      }
      if (everywhere) {
        metrics.add(name);
      }
    }
    return metrics;
  }

  private static Chart chart(List<Row> rows, String metric) {
    Measurement first = rows.get(0).m();
    String family = rows.get(0).family();

    Set<String> paramNames = new LinkedHashSet<>();
    rows.forEach(r -> paramNames.addAll(r.params().keySet()));
    String categoryParam =
        CATEGORY_PARAMS.stream().filter(paramNames::contains).findFirst().orElse(null);
    List<String> panelParams = new ArrayList<>(paramNames);
    panelParams.remove(categoryParam);

    List<String> categories =
        sorted(rows, r -> categoryParam == null ? "" : r.params().getOrDefault(categoryParam, ""));
    List<List<String>> panelKeys = panelKeys(rows, panelParams);

    List<Panel> panels = new ArrayList<>();
    for (List<String> key : panelKeys) {
      List<Bar> bars = new ArrayList<>();
      for (Row r : rows) {
        if (!key.equals(values(r, panelParams))) {
          continue;
        }
        Measurement.Score s = metric.isEmpty() ? r.m().primary() : r.m().secondary().get(metric);
        String category = categoryParam == null ? "" : r.params().getOrDefault(categoryParam, "");
        bars.add(new Bar(r.m().impl(), label(categoryParam, category), s.value(), s.error()));
      }
      panels.add(new Panel(panelLabel(panelParams, key), bars));
    }

    String[] operation =
        OPERATIONS.getOrDefault(
            metric.isEmpty() ? first.method() : metric,
            metric.isEmpty() ? new String[] {"ops", "op"} : new String[] {metric, metric});
    String unit = first.primary().unit();
    boolean higherIsBetter = !unit.endsWith("/op");
    String time =
        timeUnit(higherIsBetter ? unit.substring(unit.indexOf('/') + 1) : unit.split("/")[0]);
    String quantity =
        higherIsBetter ? operation[0] + " per " + time : time + " per " + operation[1];
    String shortUnit =
        higherIsBetter ? operation[0].split(" ")[0] + "/" + time : time + "/" + operation[1];

    List<String> benchmarks =
        new ArrayList<>(new LinkedHashSet<>(rows.stream().map(r -> r.m().className()).toList()));
    String title =
        family
            + (metric.isEmpty() ? "" : ", " + metric)
            + ": "
            + quantity
            + (categoryParam == null ? "" : ", by " + categoryParam);
    return new Chart(
        kebab(family) + (metric.isEmpty() ? "" : "-" + kebab(metric)),
        title,
        benchmarks,
        metric,
        quantity,
        shortUnit,
        higherIsBetter,
        categoryParam == null ? "" : categoryParam,
        categories.stream().map(c -> label(categoryParam, c)).toList(),
        impls(rows),
        panels,
        runInfo(rows));
  }

  /** The implementations in legend order: Sluice's rows first, each side in the file's order. */
  private static List<String> impls(List<Row> rows) {
    Set<String> all = new LinkedHashSet<>();
    rows.forEach(r -> all.add(r.m().impl()));
    List<String> impls = new ArrayList<>(all.stream().filter(Chart::isSluice).toList());
    all.stream().filter(i -> !Chart.isSluice(i)).forEach(impls::add);
    return impls;
  }

  /** The distinct combinations of the panel parameters' values, in {@link #order} per parameter. */
  private static List<List<String>> panelKeys(List<Row> rows, List<String> panelParams) {
    Set<List<String>> keys = new LinkedHashSet<>();
    rows.forEach(r -> keys.add(values(r, panelParams)));
    Comparator<List<String>> byKey = (a, b) -> 0;
    for (int i = 0; i < panelParams.size(); i++) {
      int index = i;
      String param = panelParams.get(i);
      Comparator<String> order = order(sorted(rows, r -> r.params().getOrDefault(param, "")));
      byKey = byKey.thenComparing(k -> k.get(index), order);
    }
    return keys.stream().sorted(byKey).toList();
  }

  private static List<String> values(Row r, List<String> params) {
    return params.stream().map(p -> r.params().getOrDefault(p, "")).toList();
  }

  /**
   * The distinct values of a parameter: numbers first, smallest first, then the rest ({@code
   * unbounded}, {@code SPSC}, {@code MPMC}) in the order they first appear in the file, which is
   * the order the benchmark declares them.
   */
  private static List<String> sorted(List<Row> rows, Function<Row, String> value) {
    List<String> appearance =
        new ArrayList<>(new LinkedHashSet<>(rows.stream().map(value).toList()));
    return appearance.stream().sorted(order(appearance)).toList();
  }

  /** Orders values as {@link #sorted} does, given every value in order of appearance. */
  private static Comparator<String> order(List<String> appearance) {
    return Comparator.<String, Boolean>comparing(v -> !isNumber(v))
        .thenComparingDouble(v -> isNumber(v) ? Double.parseDouble(v) : 0)
        .thenComparingInt(appearance::indexOf);
  }

  private static boolean isNumber(String s) {
    return s.matches("-?\\d+(\\.\\d+)?");
  }

  /** A category's label: capacity 0 says it is a rendezvous channel. */
  private static String label(String param, String value) {
    return "capacity".equals(param) && "0".equals(value) ? "0 (rendezvous)" : value;
  }

  /** A panel's label: {@code SPSC}, or {@code capacity 16}, or several joined by commas. */
  private static String panelLabel(List<String> params, List<String> values) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      String value = values.get(i);
      if (!value.isEmpty()) {
        parts.add(params.get(i).equals("shape") ? value : params.get(i) + " " + value);
      }
    }
    return String.join(", ", parts);
  }

  /**
   * How the rows were measured, if every row was measured alike: {@code 2 forks × 4 iterations}.
   */
  private static String runInfo(List<Row> rows) {
    Set<String> runs = new LinkedHashSet<>();
    for (Row r : rows) {
      runs.add(r.m().forks() + " forks × " + r.m().iterations() + " iterations");
    }
    return runs.size() == 1 ? runs.iterator().next() : "forks and iterations vary by row";
  }

  private static String timeUnit(String jmhUnit) {
    return jmhUnit.equals("us") ? "µs" : jmhUnit;
  }

  /** {@code BroadcastFanOut} to {@code broadcast-fan-out}. */
  static String kebab(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2")
        .replaceAll("[^A-Za-z0-9]+", "-")
        .toLowerCase();
  }
}
