package io.tributary.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.ChangeEvent;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.Types;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.kafka.IngestRunner;
import io.tributary.kafka.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole path with real components: PostgreSQL (logical decoding with pgoutput) → the Debezium embedded
 * engine → Kafka Connect's JsonConverter (schemas enabled, as a Kafka Connect deployment writes) → an
 * in-JVM Kafka broker → {@link IngestRunner} → an Iceberg table in a local warehouse. The test changes the
 * source with DML, ADD COLUMN ... DEFAULT and a widening ALTER COLUMN ... TYPE BIGINT, and checks the Iceberg
 * tables equal the source tables column by column.
 *
 * <p>Needs a PostgreSQL server with {@code wal_level=logical} (see {@code prepare-db.sh}); skips otherwise.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PostgresDebeziumToIcebergE2ETest {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresDebeziumToIcebergE2ETest.class);

  private static final String HOST = System.getProperty("e2e.pg.host", "127.0.0.1");
  private static final String PORT = System.getProperty("e2e.pg.port", "5432");
  private static final String USER = System.getProperty("e2e.pg.user", "postgres");
  private static final String PASSWORD = System.getProperty("e2e.pg.password", "postgres");
  private static final String DATABASE = "tributary_e2e";
  private static final String SLOT = "tributary_e2e";
  private static final String PREFIX = "e2e";
  private static final Duration CATCH_UP = Duration.ofSeconds(Long.getLong("e2e.catch-up-seconds", 120));

  @TempDir
  Path warehouse;

  private final ExecutorService engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium"));
  private final AtomicReference<Throwable> engineFailure = new AtomicReference<>();
  private DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;
  private KafkaProducer<byte[], byte[]> producer;
  private IngestRunner runner;
  private IcebergTableSink sink;
  private Connection db;

  @BeforeEach
  void prepareDatabase() throws SQLException {
    String level;
    try (Connection admin = connect("postgres"); Statement s = admin.createStatement()) {
      try (ResultSet rs = s.executeQuery("SHOW wal_level")) {
        rs.next();
        level = rs.getString(1);
      }
      assumeTrue("logical".equals(level), "SKIPPED: PostgreSQL wal_level is " + level
          + ", not logical; run examples/e2e/prepare-db.sh as root");
      // a slot left by an aborted run pins its database; drop both
      s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
          + SLOT + "' AND NOT active");
      s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + DATABASE);
    }
    db = connect(DATABASE);
    sql("CREATE SCHEMA inventory",
        "CREATE TABLE inventory.customers (id integer PRIMARY KEY, name varchar(100) NOT NULL, email text,"
            + " balance numeric(12,2), qty integer, active boolean, born date, updated_at timestamp)",
        // no key: Debezium needs the whole old row for updates and deletes
        "CREATE TABLE inventory.events (kind text NOT NULL, amount integer, note text)",
        "ALTER TABLE inventory.events REPLICA IDENTITY FULL",
        "INSERT INTO inventory.customers VALUES"
            + " (1, 'Ada', 'ada@example.com', 10.50, 3, true, '1815-12-10', '2024-01-02 03:04:05.123456'),"
            + " (2, 'Brian', NULL, 0.00, 0, false, '1970-01-01', '2024-02-03 04:05:06'),"
            + " (3, 'Chloé', 'chloe@example.com', -12.34, 7, NULL, NULL, NULL),"
            + " (4, 'Dmitri', 'd@example.com', 99999.99, 2147483647, true, '2000-02-29', '1969-12-31 23:59:59.5')",
        "INSERT INTO inventory.events VALUES ('open', 1, 'first'), ('click', 2, NULL), ('close', 3, 'last')");
  }

  private static Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("password", PASSWORD);
    try {
      return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, props);
    } catch (SQLException e) {
      assumeTrue(false, "SKIPPED: PostgreSQL is not reachable at " + HOST + ":" + PORT + ": " + e.getMessage());
      throw e;
    }
  }

  private void sql(String... statements) throws SQLException {
    try (Statement s = db.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
    engineThread.shutdown();
    engineThread.awaitTermination(30, TimeUnit.SECONDS);
    if (runner != null) {
      runner.close();
    }
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (sink != null) {
      sink.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void icebergTablesEqualTheSourceTablesAfterDmlAndSchemaChanges() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.shared();
    List<String> topics = List.of(PREFIX + ".inventory.customers", PREFIX + ".inventory.events");
    topics.forEach(t -> kafka.createTopic(t, 1));
    producer = new KafkaProducer<>(kafka.producerProperties());
    startDebezium();

    String group = EmbeddedKafka.uniqueName("e2e");
    startTributary(kafka, group, topics);

    // the snapshot: once it is in, the replication slot exists and every later change is captured
    awaitEqual("inventory", "customers", List.of("id"));
    awaitEqual("inventory", "events", List.of());

    sql("INSERT INTO inventory.customers VALUES (5, 'Eve', 'eve@example.com', 5.05, 5, true, '1990-05-05',"
            + " '2025-05-05 05:05:05')",
        "UPDATE inventory.customers SET email = 'brian@example.com', balance = balance + 1.25 WHERE id = 2",
        "UPDATE inventory.customers SET name = 'Ada L.', qty = qty + 1 WHERE id = 1",
        "DELETE FROM inventory.customers WHERE id = 3",
        "INSERT INTO inventory.events VALUES ('scroll', 4, 'mid')",
        "UPDATE inventory.events SET note = 'changed' WHERE kind = 'click'",
        "DELETE FROM inventory.events WHERE kind = 'open'");

    // a column with a default: rows written before it read the default in the source
    sql("ALTER TABLE inventory.customers ADD COLUMN tier text DEFAULT 'basic'",
        "ALTER TABLE inventory.events ADD COLUMN source text DEFAULT 'web'",
        "INSERT INTO inventory.customers (id, name, qty) VALUES (6, 'Farid', 6)",
        "UPDATE inventory.customers SET tier = 'gold' WHERE id = 1",
        "INSERT INTO inventory.events (kind, amount) VALUES ('resize', 5)",
        "INSERT INTO inventory.events VALUES ('drag', 6, 'n', 'app')");

    // a crash of the ingest service with changes buffered or in flight: a new runner and sink on the same
    // warehouse resume from the offsets the tables recorded, so nothing is lost or applied twice (the key-less
    // table would show duplicates)
    long snapshotEvents = 4 + 3;
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    while (runner.metrics().events() <= snapshotEvents && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(runner.metrics().events()).as("events read before the crash").isGreaterThan(snapshotEvents);
    runner.abort();
    assertThat(runner.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    sink.close();
    startTributary(kafka, group, topics);

    // widening: int to bigint, then values beyond 32 bits
    sql("ALTER TABLE inventory.customers ALTER COLUMN qty TYPE bigint",
        "ALTER TABLE inventory.events ALTER COLUMN amount TYPE bigint",
        "UPDATE inventory.customers SET qty = 5000000000 WHERE id = 4",
        "INSERT INTO inventory.customers VALUES (7, 'Grace', NULL, 1.00, -9000000000, false, '2024-02-29',"
            + " '2024-02-29 12:00:00', 'silver')",
        "INSERT INTO inventory.events VALUES ('big', 8000000000, NULL, 'batch')",
        "DELETE FROM inventory.customers WHERE id = 5",
        "UPDATE inventory.events SET amount = -7000000000 WHERE kind = 'scroll'",
        "DELETE FROM inventory.events WHERE kind = 'close'");

    awaitEqual("inventory", "customers", List.of("id"));
    awaitEqual("inventory", "events", List.of());
    assertThat(runner.failure()).isNull();
    assertThat(engineFailure.get()).isNull();
  }

  private void startTributary(EmbeddedKafka kafka, String group, List<String> topics) {
    sink = IcebergTableSink.builder().localWarehouse(warehouse).build();
    runner = IngestRunner.builder()
        .consumerProperties(kafka.consumerProperties(group))
        .topics(topics)
        .sink(sink)
        .settings(Map.of(
            "tributary.commit.interval-ms", "500",
            "tributary.runner.poll-timeout-ms", "200"))
        .build()
        .start();
  }

  private void startDebezium() {
    Properties props = new Properties();
    props.setProperty("name", "tributary-e2e");
    props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    props.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    props.setProperty("offset.flush.interval.ms", "1000");
    props.setProperty("database.hostname", HOST);
    props.setProperty("database.port", PORT);
    props.setProperty("database.user", USER);
    props.setProperty("database.password", PASSWORD);
    props.setProperty("database.dbname", DATABASE);
    props.setProperty("topic.prefix", PREFIX);
    props.setProperty("plugin.name", "pgoutput");
    props.setProperty("slot.name", SLOT);
    props.setProperty("slot.drop.on.stop", "true");
    props.setProperty("publication.name", "tributary_e2e");
    props.setProperty("publication.autocreate.mode", "filtered");
    props.setProperty("schema.include.list", "inventory");
    props.setProperty("snapshot.mode", "initial");

    // the converters a Kafka Connect worker would apply with schemas.enable=true
    JsonConverter keys = new JsonConverter();
    keys.configure(Map.of("schemas.enable", "true"), true);
    JsonConverter values = new JsonConverter();
    values.configure(Map.of("schemas.enable", "true"), false);

    engine = DebeziumEngine.create(Connect.class)
        .using(props)
        .using((success, message, error) -> {
          if (!success) {
            engineFailure.set(error != null ? error : new IllegalStateException(message));
            LOG.error("Debezium engine stopped: {}", message, error);
          }
        })
        .notifying((records, committer) -> {
          List<Future<?>> sent = new ArrayList<>();
          for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
            SourceRecord r = event.value();
            byte[] key = keys.fromConnectData(r.topic(), r.keySchema(), r.key());
            byte[] value = values.fromConnectData(r.topic(), r.valueSchema(), r.value());
            sent.add(producer.send(new ProducerRecord<>(r.topic(), key, value)));
          }
          producer.flush();
          for (Future<?> f : sent) {
            try {
              f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException("could not produce a change record", e);
            }
          }
          for (ChangeEvent<SourceRecord, SourceRecord> event : records) {
            committer.markProcessed(event);
          }
          committer.markBatchFinished();
        })
        .build();
    engineThread.submit(engine);
  }

  /** Waits until the Iceberg table equals the source table, then asserts it (so a mismatch shows a diff). */
  private void awaitEqual(String schema, String table, List<String> key) throws Exception {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    List<Map<String, Object>> source = List.of();
    List<Map<String, Object>> iceberg = List.of();
    while (System.nanoTime() < deadline) {
      assertThat(runner.failure()).as("ingest runner failure").isNull();
      assertThat(engineFailure.get()).as("Debezium engine failure").isNull();
      source = sourceRows(schema, table, key);
      iceberg = icebergRows(table, key, source.isEmpty() ? List.of() : List.copyOf(source.get(0).keySet()));
      if (source.equals(iceberg)) {
        LOG.info("{}.{}: Iceberg equals the source ({} rows)", schema, table, source.size());
        assertThat(icebergColumns(table)).as("columns of the Iceberg table %s", table)
            .containsExactlyElementsOf(sourceColumns(schema, table));
        assertThat(descriptor(table).keyColumns()).as("key of the Iceberg table %s", table).isEqualTo(key);
        return;
      }
      Thread.sleep(500);
    }
    assertThat(iceberg).as("Iceberg table %s.%s vs. the source table", schema, table)
        .containsExactlyElementsOf(source);
  }

  private List<String> sourceColumns(String schema, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = db.getMetaData().getColumns(null, schema, table, null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    }
    return columns;
  }

  private List<String> icebergColumns(String table) {
    return descriptor(table).schema().fieldNames();
  }

  private TableDescriptor descriptor(String table) {
    TableId id = sink.listTables().stream().filter(t -> t.name().equals(table)).findFirst().orElseThrow();
    return sink.describe(id).orElseThrow();
  }

  /** The source rows in canonical Tributary values, ordered by key (or by every column). */
  private List<Map<String, Object>> sourceRows(String schema, String table, List<String> key) throws SQLException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Statement s = db.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM " + schema + "." + table)) {
      ResultSetMetaData meta = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.put(meta.getColumnName(i), canonicalSource(rs, i, meta.getColumnType(i)));
        }
        rows.add(row);
      }
    }
    rows.sort(order(key));
    return rows;
  }

  private static Object canonicalSource(ResultSet rs, int column, int sqlType) throws SQLException {
    Object v = switch (sqlType) {
      case java.sql.Types.DATE -> rs.getObject(column, LocalDate.class);
      case java.sql.Types.TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
      default -> rs.getObject(column);
    };
    return v;
  }

  /** The Iceberg rows with the source's columns, as the same Java values as the JDBC side. */
  private List<Map<String, Object>> icebergRows(String table, List<String> key, List<String> columns) {
    TableId id = sink.listTables().stream().filter(t -> t.name().equals(table)).findFirst().orElse(null);
    if (id == null) {
      return List.of();
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Row r : sink.read(id)) {
      Map<String, Object> row = new java.util.LinkedHashMap<>();
      for (String column : columns) {
        if (!r.hasField(column)) {
          row.put(column, "<missing column>");
          continue;
        }
        Field f = r.schema().field(column);
        row.put(column, jdbcValue(f.type(), r.get(column)));
      }
      rows.add(row);
    }
    rows.sort(order(key));
    return rows;
  }

  /** A canonical Tributary value as the Java value PostgreSQL's JDBC driver returns for that column. */
  private static Object jdbcValue(DataType type, Object v) {
    if (v == null) {
      return null;
    }
    if (type instanceof Types.DateType) {
      return LocalDate.ofEpochDay((Integer) v);
    }
    if (type instanceof Types.TimestampType ts && !ts.isZoned()) {
      long value = (Long) v;
      long nanosPerUnit = ts.precision() == Types.TimestampPrecision.NANOS ? 1 : 1000;
      long perSecond = 1_000_000_000L / nanosPerUnit;
      return LocalDateTime.ofEpochSecond(Math.floorDiv(value, perSecond),
          (int) (Math.floorMod(value, perSecond) * nanosPerUnit), ZoneOffset.UTC);
    }
    return v;
  }

  private static Comparator<Map<String, Object>> order(List<String> key) {
    if (!key.isEmpty()) {
      return Comparator.comparing(row -> key.stream().map(k -> String.valueOf(row.get(k))).toList().toString());
    }
    return Comparator.comparing(row -> row.values().stream().map(String::valueOf).toList().toString());
  }
}
