package io.tributary.cli;

import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.SchemaHistoryEntry;
import io.tributary.kafka.IngestRunner;
import io.tributary.kafka.RunnerMetrics;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tributary quickstart}: real Debezium events through a real Kafka broker into a local Iceberg and a
 * local Paimon warehouse, with nothing to install.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
    description = "Start a Kafka broker in this JVM, load a sample of real Debezium MariaDB events (inserts,"
        + " updates, deletes, a primary-key change, ADD COLUMN, a widening, a rename, a truncate), run the"
        + " ingest runner into a local Iceberg and a local Paimon warehouse, and print what happened.")
final class QuickstartCommand implements Callable<Integer> {
  static final String SAMPLE = "/quickstart/mariadb-sample.jsonl.gz";

  @Spec CommandSpec spec;

  @Option(names = "--warehouse", paramLabel = "DIR", defaultValue = "tributary-quickstart",
      description = "Where the two warehouses go, as DIR/iceberg and DIR/paimon (default: ${DEFAULT-VALUE});"
          + " those two are emptied first.")
  Path warehouse;

  @Option(names = "--timeout-seconds", defaultValue = "180", description = "Give up after this long.")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    for (SinkFactory.Format format : SinkFactory.Format.values()) {
      Paths.delete(warehouse.resolve(format.toString()));
    }
    out.println("Starting a Kafka broker in this JVM...");
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      Set<String> topics = produceSample(broker.bootstrapServers(), out);
      for (SinkFactory.Format format : SinkFactory.Format.values()) {
        ingest(broker.bootstrapServers(), format, topics, out);
      }
    }
    out.printf("%nDone. Look again with:%n  java -jar tributary-cli.jar show --sink iceberg --warehouse %s"
        + " --table inventory.customers%n", warehouse.resolve("iceberg"));
    out.flush();
    return 0;
  }

  private Set<String> produceSample(String bootstrap, PrintWriter out) throws Exception {
    Map<String, Object> props = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    Set<String> topics = new TreeSet<>();
    int count = 0;
    try (InputStream in = QuickstartCommand.class.getResourceAsStream(SAMPLE);
        RecordFile file = RecordFile.read(in, SAMPLE);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (ConsumerRecord<byte[], byte[]> r : file) {
        producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()));
        topics.add(r.topic());
        count++;
      }
      producer.flush();
    }
    out.printf("Produced %d real Debezium records to %s%n", count, topics);
    return topics;
  }

  private void ingest(String bootstrap, SinkFactory.Format format, Set<String> topics, PrintWriter out)
      throws Exception {
    Path dir = warehouse.resolve(format.toString());
    Settings settings = Settings.of(Map.of("tributary.commit.interval-ms", "1000"));
    out.printf("%n== %s warehouse at %s ==%n", format, dir.toAbsolutePath());
    try (SinkFactory.OpenSink sink = SinkFactory.open(format, dir, settings)) {
      Map<String, Object> consumer = new HashMap<>();
      consumer.put("bootstrap.servers", bootstrap);
      consumer.put("group.id", "tributary-quickstart-" + format);
      IngestRunner runner = IngestRunner.builder()
          .consumerProperties(consumer)
          .topicPattern(Pattern.compile("mariadb(\\..*)?"))
          .sink(sink.sink())
          .settings(settings)
          .build();
      runner.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
      RunnerMetrics m = runner.metrics();
      while (!(m.lag().keySet().stream().map(p -> p.topic()).distinct().count() == topics.size() && m.totalLag() == 0)) {
        if (runner.failure() != null) {
          throw new IllegalStateException("the runner failed: " + runner.failure().getMessage(), runner.failure());
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the runner did not catch up within " + timeoutSeconds + " s");
        }
        Thread.sleep(200);
        m = runner.metrics();
      }
      runner.close();
      m = runner.metrics();
      out.printf("Consumed %d events; the runner committed them table by table:%n", m.events());
      new java.util.TreeMap<>(m.tables()).forEach((table, t) -> out.printf("  %-24s %4d events  %4d rows upserted  %3d deleted  %d schema"
          + " change(s) applied%n", table, t.events(), t.rows(), t.deletes(), t.schemaChanges()));
      for (TableId table : new TreeSet<>(m.tables().keySet())) {
        List<SchemaHistoryEntry> history = sink.inspector().schemaHistory(table);
        for (SchemaHistoryEntry e : history) {
          out.printf("  %s evolved: %s (first seen at %s)%n", table, String.join(", ", e.changes()), e.cause());
        }
      }
      TableId customers = TableId.of("inventory", "customers");
      List<Row> rows = sink.inspector().read(customers);
      out.printf("%s now has %d rows and columns %s; the first ones:%n", customers, rows.size(),
          sink.sink().describe(customers).orElseThrow().schema().fieldNames());
      rows.stream().sorted((a, b) -> Integer.compare((Integer) a.get("id"), (Integer) b.get("id"))).limit(5)
          .forEach(r -> out.println("  " + RowJson.toJson(r)));
      TableId events = TableId.of("inventory", "events_nopk");
      out.printf("%s (no primary key; truncated, then two inserts):%n", events);
      sink.inspector().read(events).forEach(r -> out.println("  " + RowJson.toJson(r)));
    }
  }

  /** Removes an earlier quickstart's warehouse. */
  static final class Paths {
    private Paths() {}

    static void delete(Path dir) throws java.io.IOException {
      if (!Files.exists(dir)) {
        return;
      }
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
