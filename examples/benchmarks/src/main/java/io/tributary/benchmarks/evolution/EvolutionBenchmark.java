package io.tributary.benchmarks.evolution;

import io.tributary.benchmarks.ConnectEncoding;
import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ResultsFile;
import io.tributary.benchmarks.write.EventChunks;
import io.tributary.benchmarks.write.Format;
import io.tributary.benchmarks.write.Replay;
import io.tributary.core.TableId;
import io.tributary.core.pipeline.CommitStats;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.sink.TableSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cost of a schema change in the middle of an insert stream: from event {@code --new-column-at} on, the
 * records carry a new column (a new schema version in the Connect schema block, as after
 * {@code ALTER TABLE ... ADD COLUMN}). Measures the time from feeding the first such record to the commit of
 * the evolved table, and events/s in windows of {@code --commit-every} events before, around and after it.
 */
@Command(name = "evolution-benchmark", mixinStandardHelpOptions = true,
    description = "Throughput dip and latency of a column added in the middle of an insert stream.")
public final class EvolutionBenchmark implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "200000", description = "Events per format (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--commit-every", defaultValue = "10000",
      description = "Events per commit and per measured window (default ${DEFAULT-VALUE}).")
  int commitEvery;

  @Option(names = "--new-column-at", defaultValue = "105000",
      description = "Index of the first event with the new column (default ${DEFAULT-VALUE}: mid-window).")
  long newColumnAt;

  @Option(names = "--format", defaultValue = "all", description = "iceberg, paimon or all (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--out", defaultValue = "benchmark-results", description = "Results directory (default ${DEFAULT-VALUE}).")
  Path out;

  public static void main(String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.exit(new CommandLine(new EvolutionBenchmark()).execute(args));
  }

  /** Notes when the table was evolved and when the first commit after that completed. */
  private static final class Clock implements PipelineListener {
    long evolvedAt = -1;
    long committedAfterEvolutionAt = -1;

    @Override
    public void onSchemaEvolved(TableId table, SchemaChangePlan appliedPlan) {
      evolvedAt = System.nanoTime();
    }

    @Override
    public void onCommitted(CommitStats stats) {
      if (evolvedAt >= 0 && committedAfterEvolutionAt < 0) {
        committedAfterEvolutionAt = System.nanoTime();
      }
    }
  }

  @Override
  public Integer call() throws IOException {
    if (newColumnAt <= 2L * commitEvery || newColumnAt >= events - 2L * commitEvery) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--new-column-at must leave at least two windows before (the first is warm-up) and two after it");
    }
    ResultsFile results = ResultsFile.forSuite("evolution");
    results.add("events", events, "events");
    results.add("new-column-at", newColumnAt, "event");
    for (Format f : Format.parse(format)) {
      Path dir = Files.createTempDirectory("tributary-evolution-bench");
      try {
        run(results, f, dir);
      } finally {
        io.tributary.benchmarks.write.WriteBenchmarks.deleteTree(dir);
      }
    }
    results.writeTo(out.resolve("evolution.json"));
    return 0;
  }

  private void run(ResultsFile results, Format format, Path dir) {
    Clock clock = new Clock();
    List<Double> rates = new ArrayList<>();
    long firstNewRecordAt = -1;
    int evolutionWindow = (int) (newColumnAt / commitEvery);
    try (TableSink sink = format.sink(dir, Replay.settings(commitEvery));
        Replay replay = new Replay(sink, Replay.settings(commitEvery), clock)) {
      EventChunks chunks = EventChunks.withNewColumnFrom(Workload.INSERT_ONLY, newColumnAt);
      for (long done = 0; done < events; done += commitEvery) {
        EventChunks.Chunk chunk = chunks.next((int) Math.min(commitEvery, events - done));
        long start = System.nanoTime();
        if (rates.size() == evolutionWindow) {
          int before = (int) (newColumnAt - chunk.firstOffset());
          replay.feed(chunk.slice(0, before));
          firstNewRecordAt = System.nanoTime();
          replay.feed(chunk.slice(before, chunk.size()));
        } else {
          replay.feed(chunk);
        }
        rates.add(chunk.size() / ((System.nanoTime() - start) / 1e9));
      }
      replay.finish();
      if (!sink.describe(Replay.TABLE).orElseThrow().schema().fieldNames().contains(ConnectEncoding.NEW_COLUMN)) {
        throw new IllegalStateException("the " + format.label() + " table was not evolved");
      }
    }
    String prefix = format.label() + ".";
    results.add(prefix + "first-new-record-to-evolved",
        (clock.evolvedAt - firstNewRecordAt) / 1e6, "ms");
    results.add(prefix + "first-new-record-to-commit",
        (clock.committedAfterEvolutionAt - firstNewRecordAt) / 1e6, "ms");
    results.add(prefix + "evolved-to-commit", (clock.committedAfterEvolutionAt - clock.evolvedAt) / 1e6, "ms");
    // the first window is JIT warm-up
    Measurement before = results.add(prefix + "events-per-second.before",
        mean(rates.subList(1, evolutionWindow)), "events/s");
    Measurement around = results.add(prefix + "events-per-second.evolution-window",
        rates.get(evolutionWindow), "events/s");
    results.add(prefix + "events-per-second.next-window", rates.get(evolutionWindow + 1), "events/s");
    results.add(prefix + "events-per-second.after",
        mean(rates.subList(evolutionWindow + 2, rates.size())), "events/s");
    results.addRatio(prefix + "events-per-second.evolution-window/before", around, before);
    StringBuilder windows = new StringBuilder(prefix + "windows (events/s):");
    rates.forEach(r -> windows.append(String.format(" %.0f", r)));
    System.out.println(windows);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
