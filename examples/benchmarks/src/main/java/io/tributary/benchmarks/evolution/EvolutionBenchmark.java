package io.tributary.benchmarks.evolution;

import io.tributary.benchmarks.report.Harness;
import io.tributary.benchmarks.ConnectEncoding;
import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ResultsFile;
import io.tributary.benchmarks.write.EventChunks;
import io.tributary.benchmarks.write.Format;
import io.tributary.benchmarks.write.Replay;
import io.tributary.benchmarks.write.SpilledRecords;
import io.tributary.benchmarks.write.WriteBenchmarks;
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
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The cost of a schema change in the middle of an insert stream: from event {@code --new-column-at} on, the
 * records carry a new column (a new schema version in the Connect schema block, as after
 * {@code ALTER TABLE ... ADD COLUMN}). The records are spilled to disk first; then each format ingests them in one
 * continuous run. Measures the time from feeding the first such record to the commit of the evolved table, and
 * events/s in windows of {@code --commit-every} events before, around and after it, each window ending when the
 * commit that holds its last event became visible (the pipeline may commit on a thread of its own, so the time a
 * record was fed says nothing about when it was written).
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
    Harness.run(new EvolutionBenchmark(), args);
  }

  /**
   * When the table was evolved and when each commit became visible, with the offset after the last record it
   * holds. Called on the thread the pipeline commits on; read once {@link Replay#finish()} has returned.
   */
  private static final class Clock implements PipelineListener {
    private volatile long evolvedAt = -1;
    private final List<long[]> commits = new CopyOnWriteArrayList<>();

    @Override
    public void onSchemaEvolved(TableId table, SchemaChangePlan appliedPlan) {
      if (evolvedAt < 0) {
        evolvedAt = System.nanoTime();
      }
    }

    @Override
    public void onCommitted(CommitStats stats) {
      long now = System.nanoTime();
      long nextOffset = stats.nextOffsets().values().stream().mapToLong(Long::longValue).max().orElse(-1);
      commits.add(new long[] {nextOffset, now});
    }

    /** When the first commit that holds the record at {@code offset} became visible. */
    long committedAt(long offset) {
      for (long[] commit : commits) {
        if (commit[0] > offset) {
          return commit[1];
        }
      }
      throw new IllegalStateException("no commit holds offset " + offset);
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
    Path dir = Files.createTempDirectory("tributary-evolution-bench");
    try (SpilledRecords records = SpilledRecords.write(dir.resolve("records.spill"),
        EventChunks.withNewColumnFrom(Workload.INSERT_ONLY, newColumnAt), events, commitEvery)) {
      for (Format f : Format.parse(format)) {
        run(results, f, dir.resolve(f.label()), records);
      }
    } finally {
      WriteBenchmarks.deleteTree(dir);
    }
    results.writeTo(out.resolve("evolution.json"));
    return 0;
  }

  private void run(ResultsFile results, Format format, Path dir, SpilledRecords records) {
    Clock clock = new Clock();
    long start;
    long firstNewRecordAt = -1;
    try (TableSink sink = format.sink(dir, Replay.settings(commitEvery));
        Replay replay = new Replay(sink, Replay.settings(commitEvery), clock);
        SpilledRecords.Reader reader = records.open()) {
      start = System.nanoTime();
      for (ConsumerRecord<byte[], byte[]> record = reader.next(); record != null; record = reader.next()) {
        if (record.offset() == newColumnAt) {
          firstNewRecordAt = System.nanoTime();
        }
        replay.feed(record);
      }
      replay.finish();
      if (!sink.describe(Replay.TABLE).orElseThrow().schema().fieldNames().contains(ConnectEncoding.NEW_COLUMN)) {
        throw new IllegalStateException("the " + format.label() + " table was not evolved");
      }
    }
    // a window ends when the commit holding its last event is visible, and the next one starts there
    List<Double> rates = new ArrayList<>();
    long windowStart = start;
    for (long first = 0; first < events; first += commitEvery) {
      long last = Math.min(first + commitEvery, events) - 1;
      long end = clock.committedAt(last);
      if (end == windowStart) {
        throw new IllegalStateException("the window from event " + first + " was committed together with the one"
            + " before it: its events/s cannot be told apart (commits must come every --commit-every events)");
      }
      rates.add((last - first + 1) / ((end - windowStart) / 1e9));
      windowStart = end;
    }
    int evolutionWindow = (int) (newColumnAt / commitEvery);
    long committed = clock.committedAt(newColumnAt);
    String prefix = format.label() + ".";
    results.add(prefix + "first-new-record-to-evolved",
        (clock.evolvedAt - firstNewRecordAt) / 1e6, "ms");
    results.add(prefix + "first-new-record-to-commit", (committed - firstNewRecordAt) / 1e6, "ms");
    results.add(prefix + "evolved-to-commit", (committed - clock.evolvedAt) / 1e6, "ms");
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
