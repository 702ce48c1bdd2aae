package io.tributary.engines.testing;

import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.core.testing.Corpus;
import io.tributary.core.testing.FinalState;
import io.tributary.engines.TributarySinks;
import io.tributary.kafka.testing.CorpusTopicRecords;
import java.nio.file.Path;
import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Test support: the recorded MariaDB corpus ({@code json-schemas}) as Kafka records, and the comparison of the
 * three tables a replay produced with the corpus's final state.
 */
public final class CorpusRecords {
  public static final List<String> TABLES = List.of("customers", "order_lines", "events_nopk");

  private CorpusRecords() {}

  /** The corpus directory; skips the calling test when it is absent. */
  public static Path mariadb() {
    return Corpus.mariadb();
  }

  /** The records of {@code json-schemas/events.jsonl} in file order (see {@link CorpusTopicRecords}). */
  public static List<ConsumerRecord<byte[], byte[]>> jsonSchemas() {
    return CorpusTopicRecords.read("json-schemas");
  }

  /**
   * Opens the catalog once before parallel tasks start: the first use of an empty SQLite JDBC catalog creates
   * its own tables, and concurrent first uses race on that. (Concurrent namespace and table creation is the
   * sink's job and needs nothing here.)
   */
  public static void prepareCatalog(Map<String, String> settings) {
    TributarySinks.create(Settings.of(settings)).close();
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

  /**
   * The commit tokens of the settings' sink id in each corpus table's snapshot history, oldest first (tables
   * that do not exist are left out). Paimon commits a write's compaction as a second snapshot with the same
   * properties, so only its non-compaction snapshots count: a token listed twice is a change committed twice.
   */
  public static Map<String, List<String>> commitTokens(Map<String, String> settings) {
    String key = "tributary." + settings.get("tributary.sink.id") + ".token";
    Map<String, List<String>> tokens = new LinkedHashMap<>();
    try (TableSink sink = TributarySinks.create(Settings.of(settings))) {
      for (String t : TABLES) {
        TableId id = TableId.of("inventory", t);
        if (sink.describe(id).isEmpty()) {
          continue;
        }
        List<String> list = new ArrayList<>();
        if (sink instanceof io.tributary.iceberg.IcebergTableSink iceberg) {
          for (var s : iceberg.loadTable(id).snapshots()) {
            if (s.summary().containsKey(key)) {
              list.add(s.summary().get(key));
            }
          }
        } else {
          list.addAll(paimonTokens((io.tributary.paimon.PaimonTableSink) sink, id, key));
        }
        tokens.put(t, list);
      }
    }
    return tokens;
  }

  private static List<String> paimonTokens(io.tributary.paimon.PaimonTableSink sink, TableId id, String key) {
    org.apache.paimon.utils.SnapshotManager snapshots;
    try {
      snapshots = ((org.apache.paimon.table.FileStoreTable) sink.catalog()
          .getTable(org.apache.paimon.catalog.Identifier.create(id.namespace(), id.name()))).snapshotManager();
    } catch (org.apache.paimon.catalog.Catalog.TableNotExistException e) {
      throw new IllegalStateException(e);
    }
    List<String> list = new ArrayList<>();
    Long earliest = snapshots.earliestSnapshotId();
    Long latest = snapshots.latestSnapshotId();
    for (long i = earliest == null ? 1 : earliest; latest != null && i <= latest; i++) {
      org.apache.paimon.Snapshot s;
      try {
        s = snapshots.tryGetSnapshot(i);
      } catch (FileNotFoundException e) {
        throw new IllegalStateException("snapshot " + i + " of " + id + " expired while reading tokens", e);
      }
      if (s.commitKind() != org.apache.paimon.Snapshot.CommitKind.COMPACT && s.properties() != null
          && s.properties().containsKey(key)) {
        list.add(s.properties().get(key));
      }
    }
    return list;
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
