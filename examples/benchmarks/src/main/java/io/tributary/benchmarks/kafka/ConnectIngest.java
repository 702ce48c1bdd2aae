package io.tributary.benchmarks.kafka;

import io.tributary.benchmarks.report.ProcessCounters;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.kafka.testing.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;

/**
 * The alternative users would pick: Apache Iceberg's own Kafka Connect sink with its {@code DebeziumTransform},
 * in a Kafka Connect standalone worker in this JVM, reading the same topic into an Iceberg table of a local
 * warehouse with the catalog Tributary uses locally (SQLite JDBC catalog, local files). That sink appends every
 * change as a row (no upserts; a delete is a row with {@code _cdc.op = D}).
 */
final class ConnectIngest {
  static final TableIdentifier TABLE = TableIdentifier.of("inventory", "customers");
  private static final String CONNECTOR_PREFIX = "iceberg-sink";
  /** A JDBC catalog keeps its tables under its name: the sink's catalog and ours must have the same. */
  static final String CATALOG = "connect";

  /** What one run measured. */
  record Result(long records, long millis, double cpuSeconds, int snapshots) {
    double eventsPerSecond() {
      return records * 1000.0 / millis;
    }

    double eventsPerCpuSecond() {
      return records / cpuSeconds;
    }
  }

  private final EmbeddedKafka kafka;
  private final long commitIntervalMs;
  private final Map<String, String> workerOverrides;

  /** {@code workerOverrides}: worker properties set over the defaults below (e.g. {@code consumer.*}). */
  ConnectIngest(EmbeddedKafka kafka, long commitIntervalMs, Map<String, String> workerOverrides) {
    this.kafka = kafka;
    this.commitIntervalMs = commitIntervalMs;
    this.workerOverrides = Map.copyOf(workerOverrides);
  }

  /**
   * Runs the sink over {@code topic} until its table holds {@code records} rows: measured from the moment the
   * connector is created in a started worker to the commit time of the snapshot that reached that count.
   */
  Result run(String topic, long records, Path warehouse, Path workerDir) throws Exception {
    Map<String, String> catalogProps = IcebergTableSink.localWarehouseProperties(Files.createDirectories(warehouse));
    Catalog catalog = CatalogUtil.buildIcebergCatalog(CATALOG, catalogProps, new Configuration());
    ((SupportsNamespaces) catalog).createNamespace(Namespace.of(TABLE.namespace().levels()));
    String controlTopic = EmbeddedKafka.uniqueName("control-iceberg");
    kafka.createTopic(controlTopic, 1);

    // a connector of its own per run: its consumer group, named after it, keeps the offsets it committed
    String connector = EmbeddedKafka.uniqueName(CONNECTOR_PREFIX);
    Connect<StandaloneHerder> connect = startWorker(workerDir);
    try {
      long cpuStart = ProcessCounters.cpuNanos();
      Map<String, Double> threadCpu = ProcessCounters.threadCpuSecondsByKind();
      long start = System.currentTimeMillis();
      FutureCallback<org.apache.kafka.connect.runtime.Herder.Created<
          org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo>> created = new FutureCallback<>();
      connect.herder().putConnectorConfig(connector, connectorConfig(connector, topic, controlTopic, catalogProps),
          false, created);
      created.get(60, TimeUnit.SECONDS);
      Snapshot done = awaitRecords(catalog, records, Duration.ofSeconds(180 + records / 200));
      double cpuSeconds = (ProcessCounters.cpuNanos() - cpuStart) / 1e9;
      System.err.printf("Kafka Connect backlog, CPU by thread: %s%n",
          ProcessCounters.describeCpuBetween(threadCpu, ProcessCounters.threadCpuSecondsByKind()));
      Table table = catalog.loadTable(TABLE);
      int snapshots = 0;
      for (Snapshot s : table.snapshots()) {
        snapshots++;
      }
      return new Result(records, done.timestampMillis() - start, cpuSeconds, snapshots);
    } finally {
      connect.stop();
      connect.awaitStop();
      if (catalog instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }

  private Connect<StandaloneHerder> startWorker(Path dir) {
    Map<String, String> worker = new HashMap<>();
    worker.put("bootstrap.servers", kafka.bootstrapServers());
    worker.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    worker.put("key.converter.schemas.enable", "true");
    worker.put("value.converter.schemas.enable", "true");
    worker.put("offset.storage.file.filename", dir.resolve("connect.offsets").toString());
    worker.put("offset.flush.interval.ms", "1000");
    worker.put("listeners", "http://127.0.0.1:0");
    // the plugins are on the class path with their service manifests: no need to scan every class for them
    worker.put("plugin.discovery", "service_load");
    worker.putAll(workerOverrides);
    // the worker swaps in its own context class loader; later code of this JVM keeps the application's
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    try {
      return new ConnectStandalone().startConnect(worker);
    } finally {
      Thread.currentThread().setContextClassLoader(loader);
    }
  }

  private Map<String, String> connectorConfig(String name, String topic, String controlTopic,
      Map<String, String> catalog) {
    Map<String, String> c = new HashMap<>();
    c.put("name", name);
    c.put("connector.class", "org.apache.iceberg.connect.IcebergSinkConnector");
    c.put("tasks.max", "1");
    c.put("topics", topic);
    c.put("transforms", "debezium");
    c.put("transforms.debezium.type", "org.apache.iceberg.connect.transforms.DebeziumTransform");
    c.put("iceberg.tables", TABLE.toString());
    c.put("iceberg.tables.auto-create-enabled", "true");
    c.put("iceberg.tables.evolve-schema-enabled", "true");
    c.put("iceberg.control.topic", controlTopic);
    c.put("iceberg.control.commit.interval-ms", Long.toString(commitIntervalMs));
    // the sink reads its control-topic clients' settings from the worker's properties file only when the JVM
    // was started by Connect's own main class
    c.put("iceberg.kafka.bootstrap.servers", kafka.bootstrapServers());
    c.put("iceberg.catalog", CATALOG);
    catalog.forEach((k, v) -> c.put("iceberg.catalog." + k, v));
    return c;
  }

  /** Waits until a snapshot of the table holds {@code records} rows; returns the first such snapshot. */
  private static Snapshot awaitRecords(Catalog catalog, long records, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long seen = 0;
    while (System.nanoTime() < deadline) {
      if (catalog.tableExists(TABLE)) {
        Table table = catalog.loadTable(TABLE);
        Snapshot first = null;
        for (Snapshot s = table.currentSnapshot(); s != null;
            s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
          long total = totalRecords(s);
          seen = Math.max(seen, total);
          if (total >= records) {
            first = s;
          }
        }
        if (first != null) {
          return first;
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Iceberg's Kafka Connect sink committed " + seen + " of " + records
        + " records within " + timeout);
  }

  private static long totalRecords(Snapshot s) {
    String total = s.summary() == null ? null : s.summary().get("total-records");
    return total == null ? 0 : Long.parseLong(total);
  }
}
