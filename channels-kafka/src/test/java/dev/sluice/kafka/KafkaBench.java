/*
 * Copyright 2026 The Sluice developers
 * SPDX-License-Identifier: Apache-2.0
 */
package dev.sluice.kafka;

import dev.sluice.kafka.KafkaBenchLoops.Face;
import dev.sluice.kafka.KafkaBenchLoops.Latency;
import dev.sluice.kafka.KafkaBenchLoops.Settings;
import dev.sluice.kafka.KafkaBenchLoops.Throughput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark of issue 16: records per second and round-trip latency through a real broker, for
 * kafka-clients' own producer and consumer loops and for Sluice's Kafka faces, in one run on one
 * broker. A plain timed harness, not JMH: a trial is seconds long and spans three JVM threads and a
 * broker process, which JMH's forks and iterations do not fit.
 *
 * <p>Invariant: the faces it compares take turns on the same broker, trial by trial, each on a
 * fresh topic and group (raw first in even trials, Sluice first in odd ones), so that the noise of
 * a shared machine falls on both; a ratio is only ever taken between trials of the same round. A
 * first rounds of the same size (a quarter of the round trips) warm both JVMs and are not reported.
 *
 * <p>Run from the repository's root, with only JDK 17 and Maven:
 *
 * <pre>
 * mvn -B -q -pl channels-kafka -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp -Dkotlin.compiler.daemon=false
 * CP=$(cat channels-kafka/target/bench.cp)
 * java -Xmx1g -Dsluice.kafka.brokerClasspath="$CP" -Dsluice.kafka.workDir=channels-kafka/target/kafka \
 *     -cp "channels-kafka/target/test-classes:channels-kafka/target/classes:$CP" \
 *     dev.sluice.kafka.KafkaBench out=bench/results/$(date +%F)-kafka
 * </pre>
 *
 * Arguments are {@code name=value}: {@code records} (200000), {@code trials} (5), {@code
 * roundTrips} (2000), {@code warmupRoundTrips} (200), {@code valueBytes} (100), {@code maxInFlight}
 * (1024), {@code lingerMs} (5), {@code latencyLingerMs} (0), {@code batchBytes} (16384), {@code
 * sendAllChunk} (10000), {@code receiveBatch} (500), {@code faces} (all of {@code
 * KafkaBenchLoops.Face}), {@code latency} (true), {@code warmupRounds} (2), and {@code out}, a
 * folder for {@code kafka-bench.txt} and {@code kafka-bench.json} (none: standard output only). The
 * smoke version runs in the default test build ({@code KafkaBenchTest}).
 */
final class KafkaBench {
  private final Settings settings;
  private final List<Face> faces;
  private final int trials;
  private final boolean latency;
  private final int warmupRounds;
  private final PrintStream out;

  KafkaBench(
      Settings settings,
      List<Face> faces,
      int trials,
      boolean latency,
      int warmupRounds,
      PrintStream out) {
    this.settings = settings;
    this.faces = faces;
    this.trials = trials;
    this.latency = latency;
    this.warmupRounds = warmupRounds;
    this.out = out;
  }

  /**
   * Starts a broker, runs the benchmark, prints and saves its figures, and stops the broker.
   *
   * @param args {@code name=value} pairs, as the class comment lists them
   * @throws Exception if the broker does not start or a trial fails
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected name=value: " + arg);
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    Settings s =
        new Settings(
            num(a, "records", 200_000),
            num(a, "valueBytes", 100),
            num(a, "maxInFlight", 1024),
            num(a, "lingerMs", 5),
            num(a, "latencyLingerMs", 0),
            num(a, "batchBytes", 16384),
            num(a, "sendAllChunk", 10_000),
            num(a, "receiveBatch", 500),
            num(a, "roundTrips", 2000),
            num(a, "warmupRoundTrips", 200));
    List<Face> faces = new ArrayList<>();
    if (a.containsKey("faces")) {
      for (String f : a.get("faces").split(",")) {
        faces.add(Face.valueOf(f.trim()));
      }
    } else {
      faces.addAll(Arrays.asList(Face.values()));
    }
    java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
    PrintStream tee = new PrintStream(new Tee(System.out, text), true, "UTF-8");
    Report report;
    try (KafkaBroker broker = KafkaBroker.start()) {
      tee.printf(
          Locale.ROOT,
          "# %s, JDK %s, %d cores; %s%n",
          Instant.now(),
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          s);
      report =
          new KafkaBench(
                  s,
                  faces,
                  num(a, "trials", 5),
                  Boolean.parseBoolean(a.getOrDefault("latency", "true")),
                  num(a, "warmupRounds", 2),
                  tee)
              .run(broker);
    }
    String dir = a.get("out");
    if (dir != null) {
      Path folder = Path.of(dir);
      Files.createDirectories(folder);
      Files.write(folder.resolve("kafka-bench.txt"), text.toByteArray());
      Files.writeString(folder.resolve("kafka-bench.json"), report.json(s));
      System.out.println("# saved in " + folder.toAbsolutePath());
    }
  }

  private static int num(Map<String, String> a, String name, int otherwise) {
    String v = a.get(name);
    return v == null ? otherwise : Integer.parseInt(v.trim());
  }

  /**
   * Every trial's figures.
   *
   * @param throughput per face, one entry per trial, in trial order
   * @param raw the raw client's latency trials
   * @param sluice Sluice's latency trials, one per raw one, of the same round
   */
  record Report(Map<Face, List<Throughput>> throughput, List<Latency> raw, List<Latency> sluice) {
    String json(Settings s) {
      StringBuilder b = new StringBuilder("{\n  \"settings\": \"").append(s).append("\",\n");
      b.append("  \"throughput\": {");
      String sep = "\n";
      for (Map.Entry<Face, List<Throughput>> e : throughput.entrySet()) {
        b.append(sep).append("    \"").append(e.getKey()).append("\": [");
        String inner = "";
        for (Throughput t : e.getValue()) {
          b.append(inner)
              .append(
                  String.format(
                      Locale.ROOT,
                      "{\"recordsPerSecond\": %.1f, \"cpuMicrosPerRecord\": %.3f, \"received\":"
                          + " %d, \"duplicates\": %d, \"failed\": %d, \"nanos\": %d}",
                      t.perSecond(),
                      t.cpuMicrosPerRecord(),
                      t.received(),
                      t.duplicates(),
                      t.failed(),
                      t.nanos()));
          inner = ", ";
        }
        b.append(']');
        sep = ",\n";
      }
      b.append("\n  },\n  \"latencyMicros\": {\n");
      b.append("    \"RAW\": ").append(latencies(raw)).append(",\n");
      b.append("    \"SLUICE\": ").append(latencies(sluice)).append("\n  }\n}\n");
      return b.toString();
    }

    private static String latencies(List<Latency> trials) {
      StringBuilder b = new StringBuilder("[");
      String sep = "";
      for (Latency l : trials) {
        b.append(sep)
            .append(
                String.format(
                    Locale.ROOT,
                    "{\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f, \"n\": %d}",
                    l.quantileMicros(0.50),
                    l.quantileMicros(0.99),
                    l.quantileMicros(1.0),
                    l.nanos().length));
        sep = ", ";
      }
      return b.append(']').toString();
    }
  }

  /** Runs the warm-up round, the measured rounds, and prints the summary. */
  Report run(KafkaBroker broker) throws Exception {
    // The broker's JIT warms too: a warm-up round as long as a measured one (a tenth was not
    // enough: the first measured round then ran at half speed on whichever face came first).
    Settings warm =
        new Settings(
            settings.records(),
            settings.valueBytes(),
            settings.maxInFlight(),
            settings.lingerMs(),
            settings.latencyLingerMs(),
            settings.batchBytes(),
            settings.sendAllChunk(),
            settings.receiveBatch(),
            Math.max(1, settings.roundTrips() / 4),
            settings.warmupRoundTrips());
    for (int w = 0; w < warmupRounds; w++) {
      out.println("# warm-up round (not reported)");
      throughputRound(broker, warm, 0, null);
      if (latency) {
        latencyRound(broker, warm, 0, null, null);
      }
    }
    Map<Face, List<Throughput>> tput = new EnumMap<>(Face.class);
    for (Face f : faces) {
      tput.put(f, new ArrayList<>());
    }
    List<Latency> raw = new ArrayList<>();
    List<Latency> sluice = new ArrayList<>();
    for (int t = 1; t <= trials; t++) {
      throughputRound(broker, settings, t, tput);
    }
    if (latency) {
      for (int t = 1; t <= trials; t++) {
        latencyRound(broker, settings, t, raw, sluice);
      }
    }
    Report report = new Report(tput, raw, sluice);
    summarize(report);
    return report;
  }

  private void throughputRound(
      KafkaBroker broker, Settings s, int trial, Map<Face, List<Throughput>> into)
      throws Exception {
    List<Face> order = new ArrayList<>(faces);
    if (trial % 2 == 1) {
      java.util.Collections.reverse(order); // raw first in even rounds, last in odd ones
    }
    Map<Face, Throughput> round = new EnumMap<>(Face.class);
    out.printf(Locale.ROOT, "# throughput round %d, load average %.2f%n", trial, loadAverage());
    for (Face f : order) {
      String topic = broker.createTopic("bench-" + f.name().toLowerCase(Locale.ROOT), 1);
      Throughput r = KafkaBenchLoops.throughput(f, broker.bootstrap(), topic, s);
      round.put(f, r);
      out.printf(
          Locale.ROOT,
          "throughput trial %d %-13s %9.0f records/s  %5.2f us CPU/record  (%d received, %d"
              + " duplicates, %d failed, %.3f s)%n",
          trial,
          f,
          r.perSecond(),
          r.cpuMicrosPerRecord(),
          r.received(),
          r.duplicates(),
          r.failed(),
          r.nanos() / 1e9);
      if (into != null) {
        into.get(f).add(r);
      }
    }
    Throughput raw = round.get(Face.RAW);
    if (raw != null) {
      for (Face f : faces) {
        if (f != Face.RAW) {
          out.printf(
              Locale.ROOT,
              "throughput trial %d %-12s ratio to RAW %.3f%n",
              trial,
              f,
              round.get(f).perSecond() / raw.perSecond());
        }
      }
    }
  }

  private void latencyRound(
      KafkaBroker broker, Settings s, int trial, List<Latency> raws, List<Latency> sluices)
      throws Exception {
    Latency raw = null;
    Latency sluice = null;
    out.printf(Locale.ROOT, "# latency round %d, load average %.2f%n", trial, loadAverage());
    for (int k = 0; k < 2; k++) {
      boolean rawTurn = (k == 0) == (trial % 2 == 0); // raw first in even rounds
      String topic = broker.createTopic(rawTurn ? "lat-raw" : "lat-sluice", 1);
      Latency l =
          rawTurn
              ? KafkaBenchLoops.rawLatency(broker.bootstrap(), topic, s)
              : KafkaBenchLoops.sluiceLatency(broker.bootstrap(), topic, s);
      out.printf(
          Locale.ROOT,
          "latency trial %d %-6s p50 %8.1f us  p99 %8.1f us  max %8.1f us  (%d round trips)%n",
          trial,
          rawTurn ? "RAW" : "SLUICE",
          l.quantileMicros(0.50),
          l.quantileMicros(0.99),
          l.quantileMicros(1.0),
          l.nanos().length);
      if (rawTurn) {
        raw = l;
      } else {
        sluice = l;
      }
    }
    out.printf(
        Locale.ROOT,
        "latency trial %d SLUICE ratio to RAW: p50 %.3f  p99 %.3f%n",
        trial,
        sluice.quantileMicros(0.50) / raw.quantileMicros(0.50),
        sluice.quantileMicros(0.99) / raw.quantileMicros(0.99));
    if (raws != null) {
      raws.add(raw);
      sluices.add(sluice);
    }
  }

  private void summarize(Report r) {
    out.println("# summary: mean ± stddev [min / median / max] over " + trials + " trials");
    List<Throughput> raw = r.throughput().get(Face.RAW);
    for (Map.Entry<Face, List<Throughput>> e : r.throughput().entrySet()) {
      out.println(
          "throughput "
              + e.getKey()
              + " records/s: "
              + stats(e.getValue(), Throughput::perSecond, "%.0f"));
      out.println(
          "throughput "
              + e.getKey()
              + " client CPU us/record: "
              + stats(e.getValue(), Throughput::cpuMicrosPerRecord, "%.2f"));
      if (raw != null && e.getKey() != Face.RAW) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
          ratios.add(e.getValue().get(i).perSecond() / raw.get(i).perSecond());
        }
        out.println(
            "throughput "
                + e.getKey()
                + " ratio to RAW per trial: "
                + stats(ratios, d -> d, "%.3f"));
      }
    }
    if (!r.raw().isEmpty()) {
      for (double q : new double[] {0.50, 0.99}) {
        String name = q == 0.50 ? "p50" : "p99";
        out.println(
            "latency RAW " + name + " us: " + stats(r.raw(), l -> l.quantileMicros(q), "%.1f"));
        out.println(
            "latency SLUICE "
                + name
                + " us: "
                + stats(r.sluice(), l -> l.quantileMicros(q), "%.1f"));
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < r.raw().size(); i++) {
          ratios.add(r.sluice().get(i).quantileMicros(q) / r.raw().get(i).quantileMicros(q));
        }
        out.println("latency SLUICE/RAW " + name + " per trial: " + stats(ratios, d -> d, "%.3f"));
      }
    }
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Mean ± sample standard deviation [min / median / max] of {@code f} over {@code items}. */
  static <T> String stats(List<T> items, ToDoubleFunction<T> f, String format) {
    double[] v = items.stream().mapToDouble(f).sorted().toArray();
    double mean = Arrays.stream(v).average().orElse(Double.NaN);
    double var = 0;
    for (double x : v) {
      var += (x - mean) * (x - mean);
    }
    double sd = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0;
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    String fmt = format + " ± " + format + " [" + format + " / " + format + " / " + format + "]";
    return String.format(Locale.ROOT, fmt, mean, sd, v[0], median, v[v.length - 1]);
  }

  /** Writes to two streams: the console and the saved text. */
  private static final class Tee extends java.io.OutputStream {
    private final java.io.OutputStream a;
    private final java.io.OutputStream b;

    Tee(java.io.OutputStream a, java.io.OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public void flush() throws IOException {
      a.flush();
      b.flush();
    }
  }
}
