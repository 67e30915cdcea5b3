package dev.sluice.bench.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns JMH JSON result files into bar charts, PNG files for {@code docs/benchmarks.md}.
 *
 * <p>From the repository's root, after building the bench module (JDK 21 or newer):
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.sluice.bench.charts.Charts RESULTS.json... OUT_DIR
 * </pre>
 *
 * <p>For each result file {@code bench/results/NAME.json} it writes {@code OUT_DIR/NAME/CHART.png},
 * one image per benchmark family and metric (see {@link Grouping}): {@code throughput.png}, {@code
 * ping-pong.png}, {@code broadcast-fan-out-delivered.png}. It prints the path of each image. The
 * same input gives the same bytes, so regenerating unchanged results changes nothing in git.
 *
 * <p>{@code Charts --check} runs the tool's self-check ({@link SelfCheck}) instead: it parses and
 * groups a small result file written in the check, draws it, and exits with status 1 if anything is
 * not as expected.
 */
public final class Charts {

  private Charts() {}

  public static void main(String[] args) throws IOException {
    // No display is needed, or used: JFreeChart draws into an image in memory.
    System.setProperty("java.awt.headless", "true");
    if (args.length == 1 && args[0].equals("--check")) {
      System.exit(SelfCheck.run() ? 0 : 1);
    }
    if (args.length < 2) {
      System.err.println(
          "usage: java -cp bench/target/benchmarks.jar dev.sluice.bench.charts.Charts"
              + " RESULTS.json... OUT_DIR\n"
              + "       java -cp bench/target/benchmarks.jar dev.sluice.bench.charts.Charts"
              + " --check");
      System.exit(2);
    }
    Path out = Path.of(args[args.length - 1]);
    for (int i = 0; i < args.length - 1; i++) {
      for (Path image : write(Path.of(args[i]), out)) {
        System.out.println(image);
      }
    }
  }

  /** Draws every chart of one result file into {@code out/NAME/}; returns the images' paths. */
  static List<Path> write(Path results, Path out) throws IOException {
    String name = results.getFileName().toString().replaceFirst("\\.json$", "");
    Path dir = out.resolve(name);
    Files.createDirectories(dir);
    List<Path> images = new ArrayList<>();
    for (Chart chart : Grouping.charts(Measurement.read(results))) {
      Path image = dir.resolve(chart.name() + ".png");
      Painter.writePng(chart, results.getFileName().toString(), image);
      images.add(image);
    }
    return images;
  }
}
