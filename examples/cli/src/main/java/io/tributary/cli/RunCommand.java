package io.tributary.cli;

import io.tributary.core.config.Settings;
import io.tributary.kafka.IngestRunner;
import io.tributary.kafka.RunnerMetrics;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary run}: the ingest service, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {
        "Consume Debezium topics from Kafka into Iceberg or Paimon until stopped (Ctrl-C or SIGTERM commits"
            + " what is buffered and exits).",
        "The config file holds kafka.* consumer properties (kafka.bootstrap.servers, kafka.group.id, SSL/SASL...),"
            + " tributary.topics or tributary.topic-pattern, tributary.sink.format, catalog properties under"
            + " tributary.iceberg.catalog.* or tributary.paimon.catalog.*, and any other tributary.* setting."})
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SinkOptions sinkOptions;

  @Option(names = "--progress-seconds", defaultValue = "5", description = "Print progress this often (default: ${DEFAULT-VALUE}).")
  long progressSeconds;

  @Override
  public Integer call() throws Exception {
    Settings settings = sinkOptions.settings();
    PrintWriter out = spec.commandLine().getOut();
    try (SinkFactory.OpenSink sink = sinkOptions.open()) {
      IngestRunner runner = IngestRunner.builder().sink(sink.sink()).settings(settings).build();
      runner.closeOnSignals();
      runner.start();
      out.printf("Ingesting into %s at %s; Ctrl-C to stop.%n", sink.format(), sink.location());
      out.flush();
      while (!runner.awaitTermination(progressSeconds, TimeUnit.SECONDS)) {
        out.println(progress(runner.metrics()));
        out.flush();
      }
      out.println(progress(runner.metrics()));
      if (runner.failure() != null) {
        throw new IllegalStateException(runner.failure().getMessage(), runner.failure());
      }
    }
    return 0;
  }

  static String progress(RunnerMetrics m) {
    long rows = m.tables().values().stream().mapToLong(RunnerMetrics.TableStats::rows).sum();
    long deletes = m.tables().values().stream().mapToLong(RunnerMetrics.TableStats::deletes).sum();
    return String.format("%s  %,d events (%,.0f/s), lag %,d, %d tables, %,d rows, %,d deletes, %d dead letters,"
            + " last commit %s",
        m.state(), m.events(), m.eventsPerSecond(), m.totalLag(), m.tables().size(), rows, deletes,
        m.deadLetters(), m.lastTableCommitMillis() == 0 ? "none" : Instant.ofEpochMilli(m.lastTableCommitMillis()));
  }
}
