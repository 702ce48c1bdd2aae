package io.tributary.benchmarks.chart;

import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ResultsFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Draws every {@code *.json} results file of a directory as one SVG: per suite and unit (events/s, ms), a
 * horizontal bar per measurement, labelled with its value and with the ratios whose name is the measurement's
 * name followed by {@code /} (e.g. {@code iceberg.update-50.e2e/ceiling-upsert}).
 */
@Command(name = "results-chart", mixinStandardHelpOptions = true,
    description = "Writes chart.svg from the benchmark results files of a directory.")
public final class ResultsChart implements Callable<Integer> {
  private static final List<String> CHARTED_UNITS = List.of("events/s", "events/cpu-s", "ms");
  private static final int WIDTH = 1100;
  private static final int LABEL_WIDTH = 330;
  private static final int BAR_WIDTH = 380;
  private static final int ROW = 18;

  @Option(names = "--dir", defaultValue = "benchmark-results",
      description = "Directory of the results files; chart.svg is written there (default ${DEFAULT-VALUE}).")
  Path dir;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ResultsChart()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    List<ResultsFile.Contents> files = new ArrayList<>();
    try (Stream<Path> paths = Files.list(dir)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
        files.add(ResultsFile.read(p));
      }
    }
    Path svg = dir.resolve("chart.svg");
    Files.writeString(svg, render(files), StandardCharsets.UTF_8);
    System.out.println("wrote " + svg);
    return 0;
  }

  /** The SVG of the results files. */
  public static String render(List<ResultsFile.Contents> files) {
    StringBuilder body = new StringBuilder();
    int y = 30;
    for (ResultsFile.Contents file : files) {
      for (String unit : CHARTED_UNITS) {
        List<Measurement> bars = file.measurements().stream().filter(m -> m.unit().equals(unit)).toList();
        if (bars.isEmpty()) {
          continue;
        }
        double max = bars.stream().mapToDouble(Measurement::value).max().orElse(1);
        y += ROW;
        text(body, 10, y, "section", file.suite() + " (" + unit + ") — " + file.environment().describe());
        y += 6;
        String group = null;
        for (Measurement m : bars) {
          String prefix = m.name().contains(".") ? m.name().substring(0, m.name().lastIndexOf('.')) : "";
          if (!prefix.equals(group)) {
            group = prefix;
            y += 4;
          }
          y += ROW;
          text(body, LABEL_WIDTH - 6, y - 4, "label", m.name());
          int w = (int) Math.max(1, Math.round(BAR_WIDTH * m.value() / max));
          body.append(String.format(Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"%s\"/>%n",
              LABEL_WIDTH, y - ROW + 4, w, ROW - 4, m.name().contains("ceiling") ? "ceiling" : "bar"));
          text(body, LABEL_WIDTH + w + 6, y - 4, "value", format(m.value()) + " " + unit + ratios(file, m));
        }
        y += 8;
      }
    }
    Map<String, String> styles = new LinkedHashMap<>();
    styles.put(".section", "font: bold 13px sans-serif");
    styles.put(".label", "font: 11px monospace; text-anchor: end");
    styles.put(".value", "font: 11px sans-serif");
    styles.put(".bar", "fill: #3b7dd8");
    styles.put(".ceiling", "fill: #9aa5b1");
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
        WIDTH, y + 20, WIDTH, y + 20));
    svg.append("<style>");
    styles.forEach((k, v) -> svg.append(k).append(" { ").append(v).append(" } "));
    svg.append("</style>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, 10, 20, "section", "Tributary benchmarks (blue: Tributary, grey: the format's own writer)");
    return svg.append(body).append("</svg>\n").toString();
  }

  private static String ratios(ResultsFile.Contents file, Measurement m) {
    StringBuilder s = new StringBuilder();
    for (Measurement r : file.measurements()) {
      if (r.unit().equals("ratio") && r.name().startsWith(m.name() + "/")) {
        s.append(String.format(Locale.ROOT, "  (%.2f× %s)", r.value(), r.name().substring(m.name().length() + 1)));
      }
    }
    return s.toString();
  }

  private static String format(double v) {
    return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private static void text(StringBuilder out, int x, int y, String cssClass, String text) {
    out.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"%s\">%s</text>%n", x, y, cssClass,
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")));
  }
}
