package io.tributary.iceberg;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Shared helpers: a sink over a local SQLite/JDBC warehouse in a temp dir and small row builders. */
abstract class IcebergSinkTestBase {
  static final String SINK = "test-sink";
  static final String TOPIC = "db.shop.customers";
  static final TableId TABLE = TableId.of("shop", "customers");
  static final StructType CUSTOMERS = StructType.of(
      Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()),
      Field.optional("bio", Types.StringType.get()));
  static final StructType KEY = StructType.of(Field.required("id", Types.IntegerType.get()));

  @TempDir Path warehouse;
  final List<IcebergTableSink> sinks = new ArrayList<>();
  final AtomicLong offsets = new AtomicLong();

  IcebergTableSink sink() {
    return sink(Map.of());
  }

  IcebergTableSink sink(Map<String, String> settings) {
    IcebergTableSink sink = IcebergTableSink.builder()
        .localWarehouse(warehouse)
        .settings(Settings.of(settings))
        .build();
    sinks.add(sink);
    return sink;
  }

  @AfterEach
  void closeSinks() {
    sinks.forEach(IcebergTableSink::close);
  }

  Origin origin() {
    return Origin.of(TOPIC, 0, offsets.getAndIncrement());
  }

  RowChange upsert(Row row) {
    StructType keySchema = KEY;
    return RowChange.upsert(Row.of(keySchema, row.get("id")), row, origin());
  }

  RowChange delete(int id) {
    return RowChange.delete(Row.of(KEY, id), null, origin());
  }

  static Row customer(int id, String name, String bio) {
    return Row.of(CUSTOMERS, id, name, bio);
  }

  /** Writes and commits one batch; the token is the next offset. */
  void commitBatch(IcebergTableSink sink, TableId table, List<RowChange> changes) {
    WriteResult result = write(sink, table, changes);
    long next = offsets.get();
    sink.commit(table, result, request(next));
  }

  static WriteResult write(IcebergTableSink sink, TableId table, List<RowChange> changes) {
    TableWriter writer = sink.newWriter(table);
    for (RowChange c : changes) {
      writer.write(c);
    }
    return writer.complete();
  }

  static CommitRequest request(long nextOffset) {
    return new CommitRequest(SINK, "t" + nextOffset, Map.of(StreamPartition.of(TOPIC, 0), nextOffset), Map.of());
  }

  /** The table's rows sorted by their id column (or their first column). */
  static List<Row> rows(IcebergTableSink sink, TableId table) {
    List<Row> rows = new ArrayList<>(sink.read(table));
    rows.sort(Comparator.comparing(r -> ((Number) (r.hasField("id") ? r.get("id") : r.get(0))).longValue()));
    return rows;
  }

  static List<Map<String, Object>> maps(IcebergTableSink sink, TableId table) {
    return rows(sink, table).stream().map(Row::toMap).toList();
  }
}
