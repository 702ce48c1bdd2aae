package io.tributary.benchmarks.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.report.ResultsFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The chart draws one bar per throughput figure, scaled to the largest, with its ratios as labels. */
class ResultsChartTest {
  @TempDir Path dir;

  @Test
  void drawsBarsWithRatioLabels() throws Exception {
    ResultsFile write = ResultsFile.forSuite("write");
    var e2e = write.add("iceberg.update-50.e2e", 6000, "events/s");
    var ceiling = write.add("iceberg.update-50.ceiling-upsert", 12000, "events/s");
    write.addRatio("iceberg.update-50.e2e/ceiling-upsert", e2e, ceiling);
    write.add("iceberg.update-50.e2e.allocated", 9000, "B/event");
    write.writeTo(dir.resolve("write.json"));
    ResultsFile read = ResultsFile.forSuite("read");
    read.add("scan.compacted", 70, "ms");
    read.writeTo(dir.resolve("read.json"));

    assertThat(new CommandLine(new ResultsChart()).execute("--dir", dir.toString())).isZero();

    String svg = Files.readString(dir.resolve("chart.svg"), StandardCharsets.UTF_8);
    assertThat(svg).startsWith("<svg").endsWith("</svg>\n")
        .contains(">iceberg.update-50.e2e<", "6,000 events/s  (0.50× ceiling-upsert)", "12,000 events/s<",
            ">scan.compacted<", "70.0 ms")
        .doesNotContain("B/event");
    // the ceiling's bar is the longest, the e2e bar half of it
    assertThat(svg).contains("width=\"380\" height=\"14\" class=\"ceiling\"", "width=\"190\" height=\"14\" class=\"bar\"");
  }
}
