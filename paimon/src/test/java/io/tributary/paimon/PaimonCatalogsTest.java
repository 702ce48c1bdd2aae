package io.tributary.paimon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.table.FileStoreTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Catalog options passing through, settings reaching the created tables, and nested columns. */
class PaimonCatalogsTest {
  private static final StructType ORDERS = StructType.of(
      Field.required("region", Types.StringType.get()),
      Field.required("id", Types.LongType.get()),
      Field.optional("total", Types.DecimalType.of(10, 2)));

  @TempDir Path dir;

  private static void writeAndCommit(PaimonTableSink sink, TableId table, String token, RowChange... changes) {
    try (TableWriter w = sink.newWriter(table)) {
      for (RowChange c : changes) {
        w.write(c);
      }
      sink.commit(table, w.complete(), new CommitRequest("s", token,
          Map.of(StreamPartition.of("orders", 0), Long.parseLong(token)), Map.of()));
    }
  }

  @Test
  void jdbcCatalogOverSqliteStoresTablesAndOffsets() {
    Map<String, String> options = Map.of(
        "metastore", "jdbc",
        "uri", "jdbc:sqlite:" + dir.resolve("catalog.db"),
        "catalog-key", "tributary",
        "warehouse", dir.resolve("warehouse").toUri().toString());
    TableId table = TableId.of("shop", "orders");
    try (PaimonTableSink sink = PaimonTableSink.builder().catalogOptions(options).build()) {
      assertThat(org.apache.paimon.catalog.DelegateCatalog.rootCatalog(sink.catalog()).getClass().getSimpleName())
          .isEqualTo("JdbcCatalog");
      sink.create(table, ORDERS, List.of("region", "id"));
      writeAndCommit(sink, table, "5",
          RowChange.upsert(null, Row.of(ORDERS, "eu", 1L, new java.math.BigDecimal("9.99")), Origin.of("orders", 0, 4)));
    }
    try (PaimonTableSink sink = PaimonTableSink.builder().catalogOptions(options).build()) {
      assertThat(sink.listTables()).containsExactly(table);
      assertThat(sink.read(table)).containsExactly(Row.of(ORDERS, "eu", 1L, new java.math.BigDecimal("9.99")));
      assertThat(sink.lastCommitted(table, "s").nextOffset(StreamPartition.of("orders", 0))).isEqualTo(5L);
    }
  }

  @Test
  void settingsChooseBucketsPartitionsAndTableOptions() throws Exception {
    Settings settings = Settings.of(Map.of(
        "tributary.paimon.bucket", "3",
        "tributary.paimon.partition-keys", "region",
        "tributary.paimon.table-options.file.format", "avro",
        "tributary.paimon.table-options.changelog-producer", "input"));
    try (PaimonTableSink sink = PaimonTableSink.builder().localWarehouse(dir).settings(settings).build()) {
      TableId table = TableId.of("shop", "orders");
      sink.create(table, ORDERS, List.of("region", "id"));
      FileStoreTable t = (FileStoreTable) sink.catalog().getTable(Identifier.create("shop", "orders"));
      assertThat(t.options()).containsEntry("bucket", "3").containsEntry("file.format", "avro")
          .containsEntry("changelog-producer", "input");
      assertThat(t.partitionKeys()).containsExactly("region");
      writeAndCommit(sink, table, "3",
          RowChange.upsert(null, Row.of(ORDERS, "eu", 1L, null), Origin.of("orders", 0, 1)),
          RowChange.upsert(null, Row.of(ORDERS, "us", 1L, null), Origin.of("orders", 0, 2)));
      assertThat(sink.read(table)).containsExactlyInAnyOrder(
          Row.of(ORDERS, "eu", 1L, null), Row.of(ORDERS, "us", 1L, null));
      // a table whose key does not hold the partition columns is created unpartitioned
      TableId other = TableId.of("shop", "items");
      sink.create(other, ORDERS, List.of("id"));
      assertThat(((FileStoreTable) sink.catalog().getTable(Identifier.create("shop", "items"))).partitionKeys())
          .isEmpty();
    }
  }

  @Test
  void nestedColumnsCanBeAddedAndWidened() {
    StructType address = StructType.of(Field.optional("city", Types.StringType.get()));
    StructType schema = StructType.of(
        Field.required("id", Types.IntegerType.get()), Field.optional("address", address));
    try (PaimonTableSink sink = PaimonTableSink.builder().localWarehouse(dir).build()) {
      TableId table = TableId.of("shop", "customers");
      sink.create(table, schema, List.of("id"));
      writeAndCommit(sink, table, "1",
          RowChange.upsert(null, Row.of(schema, 1, Row.of(address, "Oslo")), Origin.of("orders", 0, 0)));
      Field zip = Field.optional("zip", Types.IntegerType.ofBits(16));
      TableDescriptor evolved = sink.evolve(table, new SchemaEvolution(SchemaChangePlan.of(List.of(
          new SchemaChange.AddColumn(List.of("address"), zip, "city"),
          new SchemaChange.WidenType(List.of("address", "zip"), zip.type(), Types.IntegerType.get()))),
          null, 0L));
      StructType newAddress = StructType.of(address.field(0), Field.optional("zip", Types.IntegerType.get()));
      StructType newSchema = StructType.of(schema.field(0), Field.optional("address", newAddress));
      assertThat(evolved.schema()).isEqualTo(newSchema);
      writeAndCommit(sink, table, "2",
          RowChange.upsert(null, Row.of(newSchema, 2, Row.of(newAddress, "Rome", 100)), Origin.of("orders", 0, 1)));
      assertThat(sink.read(table)).containsExactlyInAnyOrder(
          Row.of(newSchema, 1, Row.of(newAddress, "Oslo", null)),
          Row.of(newSchema, 2, Row.of(newAddress, "Rome", 100)));
    }
  }
}
