package io.tributary.engines.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.core.testing.Corpus;
import io.tributary.core.testing.FinalState;
import io.tributary.engines.TributarySinks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Test support: the recorded MariaDB corpus ({@code json-schemas}) as Kafka records, and the comparison of the
 * three tables a replay produced with the corpus's final state.
 *
 * <p>Every record is on partition 0 of its topic with offset = line number - 1 and timestamp = line number, so
 * offsets and timestamps follow the connector's emit order across topics.
 */
public final class CorpusRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  public static final List<String> TABLES = List.of("customers", "order_lines", "events_nopk");

  private CorpusRecords() {}

  /** The corpus directory; skips the calling test when it is absent. */
  public static Path mariadb() {
    return Corpus.mariadb();
  }

  /** The records of {@code json-schemas/events.jsonl} in file order. */
  public static List<ConsumerRecord<byte[], byte[]>> jsonSchemas() {
    Path dir = mariadb().resolve("json-schemas");
    try {
      Map<Integer, JsonNode> headers = new HashMap<>();
      for (String line : Files.readAllLines(dir.resolve("headers.jsonl"))) {
        if (!line.isBlank()) {
          JsonNode h = MAPPER.readTree(line);
          headers.put(h.get("line").asInt(), h.get("headers"));
        }
      }
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      int lineNo = 0;
      for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
        lineNo++;
        JsonNode event = MAPPER.readTree(line);
        RecordHeaders recordHeaders = new RecordHeaders();
        JsonNode hs = headers.get(lineNo);
        if (hs != null) {
          for (JsonNode h : hs) {
            recordHeaders.add(h.get("key").asText(), MAPPER.writeValueAsBytes(h.get("value")));
          }
        }
        byte[] key = bytes(event.get("key"));
        byte[] value = bytes(event.get("value"));
        out.add(new ConsumerRecord<>(event.get("topic").asText(), 0, lineNo - 1, lineNo,
            TimestampType.CREATE_TIME, key == null ? -1 : key.length, value == null ? -1 : value.length, key, value,
            recordHeaders, Optional.empty()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode node) throws IOException {
    return node == null || node.isNull() ? null : MAPPER.writeValueAsBytes(node);
  }

  /**
   * Opens the catalog once and creates the corpus's namespace before parallel tasks start: concurrent first
   * use of an empty SQLite JDBC catalog races on its own tables, and a concurrent createNamespace on it fails
   * with a SQL constraint error that the Iceberg sink does not treat as "already exists".
   */
  public static void prepareCatalog(Map<String, String> settings) {
    try (TableSink sink = TributarySinks.create(Settings.of(settings))) {
      if (sink instanceof io.tributary.iceberg.IcebergTableSink iceberg
          && iceberg.catalog() instanceof org.apache.iceberg.catalog.SupportsNamespaces namespaces) {
        org.apache.iceberg.catalog.Namespace ns = org.apache.iceberg.catalog.Namespace.of("inventory");
        if (!namespaces.namespaceExists(ns)) {
          namespaces.createNamespace(ns);
        }
      }
    }
  }

  /** The number of commits (Iceberg snapshots, Paimon snapshot ids) in the corpus tables of the sink. */
  public static long commitCount(Map<String, String> settings) {
    long n = 0;
    try (TableSink sink = TributarySinks.create(Settings.of(settings))) {
      for (String t : TABLES) {
        TableId id = TableId.of("inventory", t);
        if (sink.describe(id).isEmpty()) {
          continue;
        }
        if (sink instanceof io.tributary.iceberg.IcebergTableSink iceberg) {
          for (var ignored : iceberg.loadTable(id).snapshots()) {
            n++;
          }
        } else {
          try {
            n += ((io.tributary.paimon.PaimonTableSink) sink).catalog()
                .getTable(org.apache.paimon.catalog.Identifier.create(id.namespace(), id.name()))
                .latestSnapshot().map(org.apache.paimon.Snapshot::id).orElse(0L);
          } catch (org.apache.paimon.catalog.Catalog.TableNotExistException e) {
            throw new IllegalStateException(e);
          }
        }
      }
    }
    return n;
  }

  /** Every difference between the tables of the sink the settings describe and the final state; empty when equal. */
  public static List<String> differences(Map<String, String> settings) {
    Path dir = mariadb();
    List<String> diffs = new ArrayList<>();
    try (TableSink sink = TributarySinks.create(Settings.of(settings))) {
      for (String table : TABLES) {
        TableId id = TableId.of("inventory", table);
        if (sink.describe(id).isEmpty()) {
          diffs.add(table + ": table does not exist");
          continue;
        }
        List<Row> rows = ((TableInspector) sink).read(id);
        diffs.addAll(FinalState.load(dir, table).differences(rows));
      }
    }
    return diffs;
  }
}
