package io.tributary.benchmarks.kafka;

import io.tributary.benchmarks.ConnectEncoding;
import io.tributary.benchmarks.CustomersData;
import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ProcessCounters;
import io.tributary.benchmarks.report.ResultsFile;
import io.tributary.kafka.testing.EmbeddedKafka;
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
 * End-to-end ingest benchmarks from Kafka: a topic of generated {@code customers} change events in an in-JVM
 * broker, ingested by Tributary's runner into Iceberg and Paimon tables (throughput over a backlog, commit
 * latency, freshness under a steady stream) and, for comparison, by Apache Iceberg's own Kafka Connect sink.
 */
@Command(name = "kafka-benchmarks", mixinStandardHelpOptions = true,
    description = "Ingest throughput, commit latency and freshness from Kafka, against Iceberg's Kafka Connect sink.")
public final class KafkaBenchmarks implements Callable<Integer> {
  /** Seed of the generated change events, the same as the decode benchmarks'. */
  public static final long SEED = 20240601L;
  /** The sub-directories of the work directory holding each sink's warehouse. */
  static final String CONNECT_WAREHOUSE = "connect-iceberg";

  /** Which Tributary sinks to run. */
  enum SinkChoice {
    iceberg, paimon, all, none;

    List<TableFormat> formats() {
      return switch (this) {
        case iceberg -> List.of(TableFormat.ICEBERG);
        case paimon -> List.of(TableFormat.PAIMON);
        case all -> List.of(TableFormat.ICEBERG, TableFormat.PAIMON);
        case none -> List.of();
      };
    }
  }

  @Option(names = "--records", description = "Records of the backlog topic (default: ${DEFAULT-VALUE}).")
  int records = 1_000_000;

  @Option(names = "--partitions", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
  int partitions = 6;

  @Option(names = "--sink", description = "Tributary sinks to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  SinkChoice sink = SinkChoice.all;

  @Option(names = "--runners", description = "Tributary runners in one consumer group, each on its own thread and"
      + " sink instance (default: ${DEFAULT-VALUE}). Iceberg only beyond 1: Paimon buckets take one writer each.")
  int runners = 1;

  @Option(names = "--compare-connect", description = "Also run Iceberg's Kafka Connect sink on the backlog topic.")
  boolean compareConnect;

  @Option(names = "--rate", description = "Records per second of the steady phase (default: ${DEFAULT-VALUE}).")
  int rate = 5_000;

  @Option(names = "--steady-seconds", description = "Length of the steady phase (default: ${DEFAULT-VALUE}).")
  int steadySeconds = 30;

  @Option(names = "--commit-interval-ms", description = "Commit interval of every sink (default: ${DEFAULT-VALUE}).")
  long commitIntervalMs = 1000;

  @Option(names = "--set", description = "A Tributary setting for the runners and sinks, key=value (repeatable),"
      + " e.g. tributary.commit.in-background=false for an A/B run.")
  Map<String, String> settings = new java.util.HashMap<>();

  @Option(names = "--consumer", description = "A Kafka consumer property for Tributary's runners, key=value"
      + " (repeatable), e.g. max.partition.fetch.bytes=8388608.")
  Map<String, String> consumer = new java.util.HashMap<>();

  @Option(names = "--connect-worker", description = "A Kafka Connect worker property for the Connect sink, key=value"
      + " (repeatable), e.g. consumer.receive.buffer.bytes=-1.")
  Map<String, String> connectWorker = new java.util.HashMap<>();

  @Option(names = "--warmup-passes", description = "Passes over the backlog topic that every sink makes into"
      + " throwaway tables before the measured runs, so that they do not measure the JIT compiling the code"
      + " (default: ${DEFAULT-VALUE}; after one pass C2 still compiled for 3-8 s during Tributary's measured"
      + " million records, after two for 2-3 s).")
  int warmupPasses = 2;

  @Option(names = "--work-dir", description = "Where the warehouses go (default: a temporary directory, deleted).")
  Path workDir;

  @Option(names = "--out", description = "Results file (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("benchmark-results", "kafka.json");

  public static void main(String[] args) {
    int status = new CommandLine(new KafkaBenchmarks()).execute(args);
    // stop the broker before the JVM's exit hooks delete its directories under it
    EmbeddedKafka.shared().close();
    System.exit(status);
  }

  /** Records of the steady phase of each Tributary sink. */
  int steadyRecords() {
    return sink.formats().isEmpty() ? 0 : rate * steadySeconds;
  }

  @Override
  public Integer call() throws Exception {
    boolean temporary = workDir == null;
    Path dir = temporary ? Files.createTempDirectory("tributary-kafka-bench") : workDir;
    try {
      run(dir);
      return 0;
    } finally {
      if (temporary) {
        deleteRecursively(dir);
      }
    }
  }

  private void run(Path dir) throws Exception {
    if (runners > 1 && sink.formats().contains(TableFormat.PAIMON)) {
      throw new IllegalArgumentException("--runners above 1 is for Iceberg only: Paimon's fixed buckets take one"
          + " writer each, so use --sink iceberg");
    }
    ResultsFile results = ResultsFile.forSuite("kafka");
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    String topic = EmbeddedKafka.uniqueName(ConnectEncoding.TOPIC);
    List<Event> steady = produceBacklog(kafka, topic, results);
    warmUp(kafka, topic, dir.resolve("warmup"));

    List<Measurement> throughputs = new ArrayList<>();
    for (TableFormat format : sink.formats()) {
      String name = "tributary-" + format.id() + (runners > 1 ? "-x" + runners : "");
      System.out.printf("%s: ingesting %,d records, then %,d at %,d/s%n", name, records, steady.size(), rate);
      TributaryIngest.Result r = new TributaryIngest(format, kafka, commitIntervalMs, runners, settings, consumer)
          .run(topic, topic + "_steady_" + format.id(), partitions, steady, rate, dir.resolve(name));
      throughputs.add(results.add(name + ".backlog.throughput", r.eventsPerSecond(), "events/s"));
      throughputs.add(results.add(name + ".backlog.throughput-cpu", r.eventsPerCpuSecond(), "events/CPU-s"));
      results.add(name + ".backlog.seconds", r.backlogMillis() / 1000.0, "s");
      commitLatencies(results, name + ".backlog", r.backlogCommits());
      // with commits in the background this may exceed 100%: the next batch is read while one commits
      results.add(name + ".backlog.time-in-commits", 100.0 * r.backlogCommits().sum() / r.backlogMillis(), "%");
      results.add(name + ".steady.rate", r.steadyRate(), "events/s");
      commitLatencies(results, name + ".steady", r.steadyCommits());
      results.add(name + ".steady.freshness.p50", r.freshness().at(50), "ms");
      results.add(name + ".steady.freshness.p99", r.freshness().at(99), "ms");
      results.add(name + ".steady.freshness.max", r.freshness().max(), "ms");
    }

    if (compareConnect) {
      System.out.printf("connect-iceberg: ingesting %,d records%n", records);
      ConnectIngest.Result c = new ConnectIngest(kafka, commitIntervalMs, connectWorker)
          .run(topic, records, dir.resolve(CONNECT_WAREHOUSE), Files.createDirectories(dir.resolve("connect-worker")));
      Measurement theirs = results.add(CONNECT_WAREHOUSE + ".backlog.throughput", c.eventsPerSecond(), "events/s");
      Measurement theirsCpu =
          results.add(CONNECT_WAREHOUSE + ".backlog.throughput-cpu", c.eventsPerCpuSecond(), "events/CPU-s");
      results.add(CONNECT_WAREHOUSE + ".backlog.seconds", c.millis() / 1000.0, "s");
      results.add(CONNECT_WAREHOUSE + ".backlog.snapshots", c.snapshots(), "commits");
      for (Measurement ours : throughputs) {
        String sinkName = ours.name().substring(0, ours.name().indexOf('.'));
        boolean cpu = ours.unit().equals("events/CPU-s");
        results.addRatio(sinkName + "/connect-iceberg" + (cpu ? ".throughput-cpu" : ".throughput"), ours,
            cpu ? theirsCpu : theirs);
      }
    }
    results.writeTo(out);
    System.out.println("wrote " + out.toAbsolutePath());
  }

  /**
   * Runs every sink of the run over the backlog topic {@code --warmup-passes} times into throwaway tables, each
   * run in a consumer group of its own. A cold JVM spends more CPU compiling than ingesting in the first hundred
   * thousand records, and on two cores the compiler threads take CPU from whichever sink is measured while they
   * still work: after one pass over a 100,000-record topic C2 still used 13-15 s of CPU during Tributary's measured
   * million records, halving its throughput, and six such passes left 6-8 s. Passes over the backlog itself make
   * the JIT compile what the measured runs execute, for every sink alike.
   */
  private void warmUp(EmbeddedKafka kafka, String topic, Path dir) throws Exception {
    for (int pass = 1; pass <= warmupPasses; pass++) {
      long t = System.nanoTime();
      long cpu = ProcessCounters.cpuNanos();
      double compiler = ProcessCounters.compilerCpuSeconds();
      Path passDir = dir.resolve("pass-" + pass);
      for (TableFormat format : sink.formats()) {
        new TributaryIngest(format, kafka, commitIntervalMs, runners, settings, consumer).run(topic,
            EmbeddedKafka.uniqueName("warmup_steady_" + format.id()), partitions, List.of(), rate,
            passDir.resolve(format.id()));
      }
      if (compareConnect) {
        new ConnectIngest(kafka, commitIntervalMs, connectWorker).run(topic, records, passDir.resolve(CONNECT_WAREHOUSE),
            Files.createDirectories(passDir.resolve("connect-worker")));
      }
      double cpuSeconds = (ProcessCounters.cpuNanos() - cpu) / 1e9;
      System.out.printf("warm-up pass %d: every sink ingested the %,d backlog records (%.1f s, %.1f CPU-s, %.0f%% of"
          + " it in the JIT compiler threads; not measured)%n", pass, records, (System.nanoTime() - t) / 1e9,
          cpuSeconds, 100 * (ProcessCounters.compilerCpuSeconds() - compiler) / cpuSeconds);
      deleteRecursively(passDir);
    }
  }

  /** Produces the backlog topic and returns the events of the steady phase, which follow it. */
  private List<Event> produceBacklog(EmbeddedKafka kafka, String topic, ResultsFile results) {
    long t = System.nanoTime();
    List<Event> events = CustomersData.events(SEED, records + steadyRecords());
    System.out.printf("generated %,d events in %.1f s%n", events.size(), (System.nanoTime() - t) / 1e9);
    kafka.createTopic(topic, partitions);
    t = System.nanoTime();
    try (CustomersProducer producer =
        new CustomersProducer(kafka.producerProperties(), new ChangeEventRecords(topic, partitions))) {
      producer.sendAll(events.subList(0, records));
    }
    results.add("backlog.produce", records / ((System.nanoTime() - t) / 1e9), "events/s");
    // a copy, so that the backlog's events (about a gigabyte for a million) are not kept while ingesting
    return new ArrayList<>(events.subList(records, events.size()));
  }

  private static void commitLatencies(ResultsFile results, String prefix, Percentiles commits) {
    results.add(prefix + ".commits", commits.count(), "commits");
    results.add(prefix + ".commit-latency.p50", commits.at(50), "ms");
    results.add(prefix + ".commit-latency.p95", commits.at(95), "ms");
    results.add(prefix + ".commit-latency.p99", commits.at(99), "ms");
    results.add(prefix + ".commit-latency.max", commits.max(), "ms");
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
