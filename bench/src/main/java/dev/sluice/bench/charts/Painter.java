package dev.sluice.bench.charts;

import dev.sluice.bench.charts.Chart.Bar;
import dev.sluice.bench.charts.Chart.Panel;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * Draws a {@link Chart} with JFreeChart and writes it as a PNG file.
 *
 * <p>Every chart is drawn the same way: grouped vertical bars, an error bar on each (JMH's {@code
 * scoreError}), panels stacked above each other on one value scale, one legend at the bottom.
 * Sluice's rows are drawn in warm, saturated colours with a black outline and a bold legend entry;
 * the peers in cool or grey tones without an outline, so Sluice stands out at a glance. The value
 * axis is logarithmic when the bars span more than {@link #LOG_SPREAD} times from the smallest to
 * the largest, and its label says so.
 */
final class Painter {

  /** Above this ratio of largest to smallest bar, a linear axis squashes the small bars flat. */
  static final double LOG_SPREAD = 20;

  /** Image width in pixels: about the width of a Markdown page on a forge. */
  private static final int WIDTH = 1000;

  /** Height of one panel, and of everything else (titles, category axis, legend). */
  private static final int PANEL_HEIGHT = 300;

  private static final int FRAME_HEIGHT = 190;

  /**
   * Sluice's rows, in the order of the chart's legend: vermilion, orange, dark red, pink, plum, and
   * for a chart of two runs (up to nine rows) gold, brown, magenta and salmon.
   */
  private static final Color[] SLUICE =
      colors(
          "#D7301F", "#FD8D3C", "#99000D", "#F768A1", "#7A0177", "#FEC44F", "#8C510A", "#E7298A",
          "#FCBBA1");

  /** The peers: blues, greens and greys, none of them close to Sluice's. */
  private static final Color[] PEERS =
      colors(
          "#2C7FB8", "#41AB5D", "#969696", "#9E9AC8", "#7FCDBB", "#08306B", "#525252", "#6BAED6",
          "#A1D99B", "#BDBDBD", "#006D2C", "#54278F");

  private static final Font BASE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  private Painter() {}

  /**
   * Draws {@code chart} into a PNG file.
   *
   * @param source the result file's name, shown under the title
   */
  static void writePng(Chart chart, String source, Path file) throws IOException {
    int height = FRAME_HEIGHT + PANEL_HEIGHT * chart.panels().size();
    try (OutputStream out = Files.newOutputStream(file)) {
      ChartUtils.writeChartAsPNG(out, draw(chart, source), WIDTH, height);
    }
  }

  /** Whether {@code chart} gets a logarithmic value axis. */
  static boolean logScale(Chart chart) {
    double[] range = valueRange(chart);
    return range[1] / range[0] > LOG_SPREAD;
  }

  /** The smallest and largest positive bar of a chart. */
  private static double[] valueRange(Chart chart) {
    double min = Double.MAX_VALUE;
    double max = 0;
    for (Panel p : chart.panels()) {
      for (Bar b : p.bars()) {
        if (b.value() > 0) {
          min = Math.min(min, b.value());
          max = Math.max(max, b.value());
        }
      }
    }
    return max == 0 ? new double[] {1, 1} : new double[] {min, max};
  }

  static JFreeChart draw(Chart chart, String source) {
    boolean log = logScale(chart);
    double[] bounds = axisBounds(chart, log);

    CategoryAxis categoryAxis = new CategoryAxis(chart.categoryLabel());
    categoryAxis.setLabelFont(BASE.deriveFont(Font.BOLD, 13f));
    categoryAxis.setTickLabelFont(BASE.deriveFont(13f));
    categoryAxis.setCategoryMargin(0.25);
    categoryAxis.setLowerMargin(0.02);
    categoryAxis.setUpperMargin(0.02);
    categoryAxis.setTickLabelsVisible(!chart.categoryLabel().isEmpty());
    CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(categoryAxis);
    plot.setGap(14);

    CategoryPlot legendSource = null;
    for (Panel panel : chart.panels()) {
      CategoryPlot sub = panel(chart, panel, log, bounds);
      plot.add(sub, 1);
      if (legendSource == null) {
        legendSource = sub;
      }
    }
    // Every panel holds every implementation, so the first panel's legend is the whole legend;
    // the combined plot would otherwise repeat it once per panel.
    LegendItemCollection legend = legendSource.getLegendItems();
    plot.setFixedLegendItems(legend);

    JFreeChart jfc = new JFreeChart(chart.title(), BASE.deriveFont(Font.BOLD, 17f), plot, true);
    jfc.setBackgroundPaint(Color.WHITE);
    jfc.setPadding(new RectangleInsets(8, 8, 8, 14));
    TextTitle benchmarks =
        new TextTitle(
            source
                + ": "
                + String.join(" · ", chart.benchmarks())
                + "  ("
                + chart.runInfo()
                + "; "
                + (chart.higherIsBetter() ? "higher" : "lower")
                + " is better)",
            BASE.deriveFont(13f));
    TextTitle errors =
        new TextTitle(
            "Error bars: JMH's score error, the 99.9 % confidence interval"
                + (log ? "; log scale, error bars cut at the axis floor" : "")
                + ". Sluice rows outlined in black.",
            BASE.deriveFont(Font.ITALIC, 12f));
    benchmarks.setPadding(new RectangleInsets(2, 0, 0, 0));
    errors.setPadding(new RectangleInsets(2, 0, 4, 0));
    jfc.addSubtitle(benchmarks);
    jfc.addSubtitle(errors);
    LegendTitle legendTitle = jfc.getLegend();
    legendTitle.setPosition(RectangleEdge.BOTTOM);
    legendTitle.setFrame(BlockBorder.NONE);
    legendTitle.setItemFont(BASE.deriveFont(13f));
    return jfc;
  }

  private static CategoryPlot panel(Chart chart, Panel panel, boolean log, double[] bounds) {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    // Every implementation and category goes in, measured or not, so that each panel has the same
    // series in the same order (the renderer colours series by index) and the same bar slots.
    for (String impl : chart.impls()) {
      for (String category : chart.categories()) {
        Bar bar = panel.bar(impl, category);
        Double value = bar == null ? null : bar.value();
        Double error = bar == null || Double.isNaN(bar.error()) ? null : bar.error();
        data.add(value, error, impl, category);
      }
    }

    String label =
        (panel.label().isEmpty() ? "" : panel.label() + ": ")
            + chart.unit()
            + (log ? " (log)" : "");
    ValueAxis axis;
    if (log) {
      LogAxis logAxis = new FlooredLogAxis(label);
      logAxis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
      logAxis.setMinorTickMarksVisible(true);
      axis = logAxis;
    } else {
      NumberAxis numberAxis = new NumberAxis(label);
      numberAxis.setNumberFormatOverride(new DecimalFormat("#,##0.##"));
      axis = numberAxis;
    }
    axis.setRange(bounds[0], bounds[1]);
    axis.setLabelFont(BASE.deriveFont(Font.BOLD, 13f));
    axis.setTickLabelFont(BASE);

    StatisticalBarRenderer renderer = new StatisticalBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.04);
    // A chart with one group of bars would otherwise draw each bar a tenth of the page wide.
    renderer.setMaximumBarWidth(0.08);
    renderer.setDrawBarOutline(true);
    renderer.setErrorIndicatorPaint(new Color(0x22, 0x22, 0x22));
    renderer.setErrorIndicatorStroke(new BasicStroke(1.2f));
    int sluice = 0;
    int peer = 0;
    for (int series = 0; series < chart.impls().size(); series++) {
      if (Chart.isSluice(chart.impls().get(series))) {
        Color c = SLUICE[sluice++ % SLUICE.length];
        renderer.setSeriesPaint(series, c);
        renderer.setSeriesOutlinePaint(series, Color.BLACK);
        renderer.setSeriesOutlineStroke(series, new BasicStroke(1.4f));
        renderer.setLegendTextFont(series, BASE.deriveFont(Font.BOLD, 13f));
      } else {
        Color c = PEERS[peer++ % PEERS.length];
        renderer.setSeriesPaint(series, c);
        renderer.setSeriesOutlinePaint(series, c);
        renderer.setSeriesOutlineStroke(series, new BasicStroke(0.5f));
      }
    }

    CategoryPlot sub = new CategoryPlot(data, null, axis, renderer);
    sub.setBackgroundPaint(Color.WHITE);
    sub.setOutlinePaint(new Color(0xBB, 0xBB, 0xBB));
    sub.setRangeGridlinePaint(new Color(0xCC, 0xCC, 0xCC));
    sub.setRangeGridlineStroke(new BasicStroke(0.8f));
    if (log) {
      sub.setRangeMinorGridlinesVisible(true);
      sub.setRangeMinorGridlinePaint(new Color(0xEE, 0xEE, 0xEE));
      sub.setRangeMinorGridlineStroke(new BasicStroke(0.6f));
    }
    return sub;
  }

  /**
   * The value axis's range, the same in every panel: from zero (linear) or the power of ten below
   * the smallest bar (log), to a little above the highest error bar (linear) or the power of ten
   * above it (log).
   */
  private static double[] axisBounds(Chart chart, boolean log) {
    double[] range = valueRange(chart);
    double top = range[1];
    for (Panel p : chart.panels()) {
      for (Bar b : p.bars()) {
        if (!Double.isNaN(b.error())) {
          top = Math.max(top, b.value() + b.error());
        }
      }
    }
    if (!log) {
      return new double[] {0, top * 1.06};
    }
    int exponent = (int) Math.floor(Math.log10(range[0]));
    double floor = Double.parseDouble("1e" + exponent);
    double ceiling = floor;
    for (int step = 1; ceiling < top; step++) {
      // 2, 5, 10, 20, 50...: the axis ends at its first labelled tick above the highest bar.
      ceiling = Double.parseDouble(new int[] {1, 2, 5}[step % 3] + "e" + (exponent + step / 3));
    }
    if (Math.ceil(Math.log10(ceiling) - 1e-9) - exponent > 3) {
      // Over three decades only the powers of ten are labelled: end at one.
      ceiling = Double.parseDouble("1e" + (int) Math.ceil(Math.log10(top) - 1e-9));
    }
    return new double[] {floor, ceiling};
  }

  private static Color[] colors(String... hex) {
    Color[] colors = new Color[hex.length];
    for (int i = 0; i < hex.length; i++) {
      colors[i] = Color.decode(hex[i]);
    }
    return colors;
  }

  /**
   * A log axis that draws a value outside its range at its nearest end, and labels the ticks 1, 2
   * and 5 of each decade when it spans three decades or fewer (else 1 only).
   *
   * <p>An error bar reaching below zero (2.41 ± 2.44) has no place on a log scale; {@link LogAxis}
   * would turn its lower end into NaN, and this one stops it at the floor instead. {@link
   * LogAxis}'s own ticks are a whole number of decades apart, or half-decades labelled 3.162 and
   * 31.623.
   */
  private static final class FlooredLogAxis extends LogAxis {
    private static final long serialVersionUID = 1L;

    FlooredLogAxis(String label) {
      super(label);
    }

    @Override
    public double valueToJava2D(double value, Rectangle2D area, RectangleEdge edge) {
      double clamped = Math.min(Math.max(value, getLowerBound()), getUpperBound());
      return super.valueToJava2D(clamped, area, edge);
    }

    @Override
    @SuppressWarnings("rawtypes") // JFreeChart's signature
    protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
      List<LogTick> ticks = new ArrayList<>();
      int low = (int) Math.floor(Math.log10(getLowerBound()) + 1e-9);
      int high = (int) Math.ceil(Math.log10(getUpperBound()) - 1e-9);
      boolean fine = high - low <= 3;
      TextAnchor anchor =
          edge == RectangleEdge.RIGHT ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT;
      for (int decade = low; decade <= high; decade++) {
        for (int mantissa = 1; mantissa <= 9; mantissa++) {
          // Parsed from its decimal form, so that 3 x 0.1 is 0.3 and not 0.30000000000000004.
          double v = Double.parseDouble(mantissa + "e" + decade);
          if (v < getLowerBound() * (1 - 1e-9) || v > getUpperBound() * (1 + 1e-9)) {
            continue;
          }
          boolean labelled = mantissa == 1 || (fine && (mantissa == 2 || mantissa == 5));
          ticks.add(
              labelled
                  ? new LogTick(TickType.MAJOR, v, createTickLabel(v), anchor)
                  : new LogTick(TickType.MINOR, v, null, anchor));
        }
      }
      return ticks;
    }
  }
}
