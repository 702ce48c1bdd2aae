package io.tributary.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.sink.RowChange;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

class IcebergPartitionedTest extends IcebergSinkTestBase {
  static final StructType ORDERS = StructType.of(
      Field.required("id", Types.IntegerType.get()),
      Field.optional("region", Types.StringType.get()),
      Field.optional("created_at", Types.TimestampType.zoned()),
      Field.optional("note", Types.StringType.get()));
  static final long DAY = 86_400_000_000L;
  static final TableId ORDERS_TABLE = TableId.of("shop", "orders");

  static Row order(int id, String region, long createdAt, Object note) {
    return Row.of(ORDERS, id, region, createdAt, note);
  }

  @Test
  void deletesAndMovesReachThePartitionTheRowLivesIn() {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.PARTITION_SPEC.name(), "identity(region), day(created_at)"));
    sink.create(ORDERS_TABLE, ORDERS, List.of("id"));
    Table table = sink.loadTable(ORDERS_TABLE);
    assertThat(table.spec().fields()).hasSize(2);

    commitBatch(sink, ORDERS_TABLE, List.of(
        upsert(order(1, "eu", 0, "a")), upsert(order(2, "us", DAY, "b")), upsert(order(3, "eu", 2 * DAY, "c")),
        upsert(order(4, "apac", 3 * DAY, "d"))));
    commitBatch(sink, ORDERS_TABLE, List.of(
        // key-only delete: the event has no region nor created_at
        delete(1),
        // the row moves to another partition: the old copy must go
        upsert(order(2, "eu", 5 * DAY, "b moved")),
        // TOAST in a partitioned table
        upsert(order(3, "eu", 2 * DAY, Unavailable.VALUE)),
        // inserted and deleted in the same batch
        upsert(order(5, "us", DAY, "e")), delete(5)));
    commitBatch(sink, ORDERS_TABLE, List.of(
        // moved in one batch twice, then deleted in the next
        upsert(order(4, "us", DAY, "d1")), upsert(order(4, "eu", DAY, "d2"))));

    assertThat(rows(sink, ORDERS_TABLE)).containsExactly(
        Row.of(sink.describe(ORDERS_TABLE).orElseThrow().schema(), 2, "eu", 5 * DAY, "b moved"),
        Row.of(sink.describe(ORDERS_TABLE).orElseThrow().schema(), 3, "eu", 2 * DAY, "c"),
        Row.of(sink.describe(ORDERS_TABLE).orElseThrow().schema(), 4, "eu", DAY, "d2"));
    commitBatch(sink, ORDERS_TABLE, List.of(delete(4), delete(2)));
    assertThat(rows(sink, ORDERS_TABLE)).extracting(r -> r.get("id")).containsExactly(3);
  }

  @Test
  void partitionsOfKeyColumnsNeedNoLookup() {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.PARTITION_SPEC.name(), "bucket(4, id)",
        IcebergSinkConfig.FORMAT_VERSION.name(), "2"));
    sink.create(ORDERS_TABLE, ORDERS, List.of("id"));
    commitBatch(sink, ORDERS_TABLE, List.of(
        upsert(order(1, "eu", 0, "a")), upsert(order(2, "us", 0, "b")), upsert(order(3, "eu", 0, "c"))));
    commitBatch(sink, ORDERS_TABLE, List.of(delete(1), upsert(order(2, "us", 0, "b2"))));
    assertThat(rows(sink, ORDERS_TABLE)).extracting(r -> r.get("note")).containsExactly("b2", "c");
    // the later commit's deletes are equality deletes, the earlier rows were not read
    assertThat(sink.loadTable(ORDERS_TABLE).currentSnapshot().summary())
        .containsEntry("added-equality-deletes", "2");
  }
}
