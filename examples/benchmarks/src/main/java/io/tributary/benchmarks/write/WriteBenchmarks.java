package io.tributary.benchmarks.write;

import io.tributary.benchmarks.report.Harness;
import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ResultsFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Tributary end to end from Debezium record bytes to committed tables, without Kafka, against the write
 * ceiling of each format (its own writer on the same rows, same table settings and commit cadence). Writes
 * {@code write.json} with events/s per workload and format and the ratio to the matching ceiling.
 */
@Command(name = "write-benchmarks", mixinStandardHelpOptions = true,
    description = "Tributary end to end (bytes to committed table) vs the formats' own writers.")
public final class WriteBenchmarks implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "1000000", description = "Events per workload (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--commit-every", defaultValue = "10000",
      description = "Events per commit, Tributary and ceilings alike (default ${DEFAULT-VALUE}).")
  int commitEvery;

  @Option(names = "--format", defaultValue = "all", description = "iceberg, paimon or all (default ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--workload", split = ",", defaultValue = "insert-only,update-50,delete-10",
      description = "Workloads to run (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(names = "--warmup-events", defaultValue = "200000",
      description = "Events of an unmeasured run of the first workload, Tributary and ceilings alike, in as many"
          + " commits as a measured workload, before the measured ones, so that none of them is measured with a"
          + " cold JIT (default ${DEFAULT-VALUE}; 0: none).")
  long warmupEvents;

  @Option(names = "--set", description = "A Tributary setting for the sinks and pipelines, key=value (repeatable).")
  Map<String, String> settings = new java.util.HashMap<>();

  @Option(names = "--out", defaultValue = "benchmark-results", description = "Results directory (default ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--work-dir", description = "Where tables are written (default: a temporary directory, deleted after).")
  Path workDir;

  public static void main(String[] args) {
    Harness.run(new WriteBenchmarks(), args);
  }

  @Override
  public Integer call() throws IOException {
    ResultsFile results = ResultsFile.forSuite("write");
    results.add("events-per-workload", events, "events");
    results.add("commit-every", commitEvery, "events");
    settings.forEach((k, v) -> System.out.println("# setting " + k + "=" + v));
    List<Format> formats = Format.parse(format);
    if (warmupEvents > 0) {
      warmUp(Workload.fromLabel(workloads.get(0)), formats);
    }
    for (String label : workloads) {
      Workload workload = Workload.fromLabel(label);
      Path dir = workDir != null ? workDir : Files.createTempDirectory("tributary-write-bench");
      try (WriteRun run = new WriteRun(workload, formats, dir, commitEvery, settings)) {
        run.run(events);
        for (Format f : formats) {
          report(results, f, workload, run.figures(f));
        }
      } finally {
        if (workDir == null) {
          deleteTree(dir);
        }
      }
    }
    results.writeTo(out.resolve("write.json"));
    return 0;
  }

  /**
   * Runs Tributary and the ceilings on fewer events into throwaway tables, in as many (smaller) commits as a
   * measured workload makes; nothing is reported. A table's metadata grows with every commit, and the code that
   * reads and writes it is compiled only once it is that big: with fewer commits the JIT would still be
   * compiling it during the first measured run, which runs Tributary first and its ceilings after.
   */
  private void warmUp(Workload workload, List<Format> formats) throws IOException {
    Path dir = Files.createTempDirectory("tributary-write-warmup");
    int warmupCommitEvery = (int) Math.max(1, warmupEvents * commitEvery / Math.max(events, 1));
    try (WriteRun run = new WriteRun(workload, formats, dir, warmupCommitEvery, settings)) {
      System.err.printf("warm-up: %,d %s events, %,d per commit (not measured)%n", warmupEvents, workload.label(),
          warmupCommitEvery);
      run.run(warmupEvents);
    } finally {
      deleteTree(dir);
    }
  }

  private void report(ResultsFile results, Format format, Workload workload, WriteRun.Figures figures) {
    String prefix = format.label() + "." + workload.label() + ".";
    Measurement e2e = results.add(prefix + "e2e", perSecond(figures.e2eNanos()), "events/s");
    List<Measurement> ceilings = new ArrayList<>();
    figures.ceilingNanos().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c ->
        ceilings.add(results.add(prefix + c.getKey(), perSecond(c.getValue()), "events/s")));
    for (Measurement ceiling : ceilings) {
      results.addRatio(prefix + "e2e/" + ceiling.name().substring(prefix.length()), e2e, ceiling);
    }
    // events per CPU-second of the whole process: steadier than wall-clock on a shared machine, and it counts
    // the pipeline's commit thread and the formats' background threads (Paimon compaction, Iceberg manifest
    // workers) as well as the feeding thread
    Measurement e2eCpu = results.add(prefix + "e2e.cpu", perSecond(figures.e2eCpuNanos()), "events/cpu-s");
    figures.ceilingCpuNanos().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(c -> {
      Measurement ceiling = results.add(prefix + c.getKey() + ".cpu", perSecond(c.getValue()), "events/cpu-s");
      results.addRatio(prefix + "e2e.cpu/" + c.getKey() + ".cpu", e2eCpu, ceiling);
    });
    results.add(prefix + "e2e.allocated", (double) figures.e2eAllocatedBytes() / events, "B/event");
  }

  private double perSecond(long nanos) {
    return events / (nanos / 1e9);
  }

  /** Deletes a directory and everything in it. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
