package io.tributary.benchmarks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.CanonicalCustomers;
import io.tributary.benchmarks.CustomersData;
import io.tributary.benchmarks.CustomersData.Customer;
import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ResultsFile;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A small run of the Kafka benchmarks ingests what it should: each Tributary table equals the generator's final
 * source state (upserts and deletes applied, backlog and steady phase), and the table of Iceberg's Kafka
 * Connect sink holds every change event of the backlog as a row. Never checks timings.
 */
class KafkaBenchmarksTest {
  private static final int RECORDS = 3000;
  private static final int RATE = 1000;
  private static final int STEADY_SECONDS = 1;
  private static final TableId TABLE = TableId.of("inventory", "customers");

  @TempDir
  static Path dir;

  private static List<Event> events;

  @BeforeAll
  static void runBenchmarks() {
    int status = new CommandLine(new KafkaBenchmarks()).execute(
        "--records", Integer.toString(RECORDS), "--partitions", "3", "--sink", "all", "--compare-connect",
        "--warmup-passes", "1",
        "--rate", Integer.toString(RATE), "--steady-seconds", Integer.toString(STEADY_SECONDS),
        "--work-dir", dir.toString(), "--out", dir.resolve("kafka.json").toString());
    assertThat(status).isZero();
    events = CustomersData.events(KafkaBenchmarks.SEED, RECORDS + RATE * STEADY_SECONDS);
  }

  @Test
  void icebergTableEqualsTheSourceState() throws Exception {
    try (TableSink sink = TableFormat.ICEBERG.open(dir.resolve("tributary-iceberg"), Settings.empty())) {
      assertThat(rowsById((TableInspector) sink)).isEqualTo(finalState());
    }
  }

  @Test
  void paimonTableEqualsTheSourceState() throws Exception {
    try (TableSink sink = TableFormat.PAIMON.open(dir.resolve("tributary-paimon"), Settings.empty())) {
      assertThat(rowsById((TableInspector) sink)).isEqualTo(finalState());
    }
  }

  @Test
  void connectSinkAppendedEveryBacklogEvent() throws Exception {
    Catalog catalog = CatalogUtil.buildIcebergCatalog(ConnectIngest.CATALOG,
        IcebergTableSink.localWarehouseProperties(dir.resolve(KafkaBenchmarks.CONNECT_WAREHOUSE)), new Configuration());
    Table table = catalog.loadTable(ConnectIngest.TABLE);
    List<String> appended = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      for (Record r : rows) {
        Record cdc = (Record) r.getField("_cdc");
        appended.add(r.getField("id") + " " + cdc.getField("op") + " " + r.getField("name"));
      }
    }
    List<String> expected = new ArrayList<>();
    for (Event e : events.subList(0, RECORDS)) {
      Customer row = e.after() != null ? e.after() : e.before();
      String op = switch (e.op()) {
        case "u" -> "U";
        case "d" -> "D";
        default -> "I";
      };
      expected.add(row.id() + " " + op + " " + row.name());
    }
    assertThat(appended).containsExactlyInAnyOrderElementsOf(expected);
    ((AutoCloseable) catalog).close();
  }

  @Test
  void resultsFileHoldsEveryFigure() {
    List<String> names = ResultsFile.read(dir.resolve("kafka.json")).measurements().stream()
        .map(Measurement::name).toList();
    for (String sink : List.of("tributary-iceberg", "tributary-paimon")) {
      assertThat(names).contains(sink + ".backlog.throughput", sink + ".backlog.commit-latency.p99",
          sink + ".steady.freshness.p50", sink + ".steady.freshness.p99", sink + "/connect-iceberg.throughput");
    }
    assertThat(names).contains("connect-iceberg.backlog.throughput");
  }

  private static Map<Integer, Map<String, Object>> rowsById(TableInspector table) {
    Map<Integer, Map<String, Object>> out = new HashMap<>();
    for (Row row : table.read(TABLE)) {
      Map<String, Object> m = new LinkedHashMap<>(row.toMap());
      m.keySet().removeIf(k -> k.startsWith("_"));
      m.values().removeIf(v -> v == null);
      out.put((Integer) m.get("id"), m);
    }
    return out;
  }

  /** The source table after every generated event: the rows as the core types hold them. */
  private static Map<Integer, Map<String, Object>> finalState() {
    Map<Integer, Map<String, Object>> state = new HashMap<>();
    for (Event e : events) {
      if (e.after() == null) {
        state.remove(e.before().id());
      } else {
        state.put(e.after().id(), CanonicalCustomers.of(e.after()));
      }
    }
    return state;
  }
}
