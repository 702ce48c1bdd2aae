package io.tributary.paimon.glue;

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
import io.tributary.core.sink.TableWriter;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.iceberg.testing.AwsTestCatalogs;
import io.tributary.iceberg.testing.GlueEndpoint;
import io.tributary.iceberg.testing.StaticTestCredentials;
import io.tributary.paimon.PaimonTableSink;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.aws.AwsClientProperties;
import org.apache.iceberg.aws.AwsProperties;
import org.apache.iceberg.aws.HttpClientProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** PaimonTableSink over the Glue catalog: writes, evolution, a fresh sink, and Iceberg readers through Glue. */
class GluePaimonSinkTest {
  @RegisterExtension static final GlueEndpoint GLUE = GlueEndpoint.create();

  private static final StructType ORDERS = StructType.of(
      Field.required("id", Types.LongType.get()),
      Field.optional("customer", Types.StringType.get()),
      Field.optional("total", Types.DecimalType.of(10, 2)));

  @TempDir Path dir;

  @AfterEach
  void clearEndpoint() {
    GLUE.reset();
  }

  private static void writeAndCommit(PaimonTableSink sink, TableId table, long offset, RowChange... changes) {
    try (TableWriter w = sink.newWriter(table)) {
      for (RowChange c : changes) {
        w.write(c);
      }
      sink.commit(table, w.complete(), new CommitRequest("s", Long.toString(offset),
          Map.of(StreamPartition.of("orders", 0), offset), Map.of()));
    }
  }

  private static RowChange upsert(StructType schema, long offset, Object... values) {
    return RowChange.upsert(null, Row.of(schema, values), Origin.of("orders", 0, offset));
  }

  @Test
  void sinkWritesEvolvesAndReadsThroughGlue() {
    Map<String, String> options = GlueCatalogTest.options(GLUE, dir);
    TableId table = TableId.of("shop", "orders");
    StructType evolved = StructType.of(ORDERS.field(0), ORDERS.field(1), ORDERS.field(2),
        Field.optional("note", Types.StringType.get()));
    try (PaimonTableSink sink = PaimonTableSink.builder().catalogOptions(options).build()) {
      sink.create(table, ORDERS, List.of("id"));
      assertThat(GLUE.table("shop", "orders").orElseThrow().parameters()).containsEntry("table_type", "PAIMON");
      writeAndCommit(sink, table, 1, upsert(ORDERS, 0, 1L, "ann", new BigDecimal("9.99")));
      sink.evolve(table, new SchemaEvolution(SchemaChangePlan.of(List.of(
          new SchemaChange.AddColumn(List.of(), evolved.field(3), "total"))), null, 1L));
      assertThat(GLUE.table("shop", "orders").orElseThrow().columns()).containsExactly(
          Map.entry("id", "bigint"), Map.entry("customer", "string"), Map.entry("total", "decimal(10,2)"),
          Map.entry("note", "string"));
      writeAndCommit(sink, table, 2, upsert(evolved, 1, 2L, "bob", null, "gift"));
    }
    try (PaimonTableSink fresh = PaimonTableSink.builder().catalogOptions(options).build()) {
      assertThat(fresh.listTables()).containsExactly(table);
      assertThat(fresh.describe(table).orElseThrow().schema()).isEqualTo(evolved);
      assertThat(fresh.read(table)).containsExactlyInAnyOrder(
          Row.of(evolved, 1L, "ann", new BigDecimal("9.99"), null), Row.of(evolved, 2L, "bob", null, "gift"));
      assertThat(fresh.lastCommitted(table, "s").nextOffset(StreamPartition.of("orders", 0))).isEqualTo(2L);
    }
  }

  @Test
  void icebergReadersSeeEveryCommitThroughGlue() throws Exception {
    Map<String, String> options = GlueCatalogTest.options(GLUE, dir);
    TableId table = TableId.of("shop", "orders");
    Settings settings = Settings.of(Map.of(
        "tributary.paimon.bucket", "1",
        "tributary.paimon.iceberg-compatibility", "true"));
    StructType evolved = StructType.of(ORDERS.field(0), ORDERS.field(1), ORDERS.field(2),
        Field.optional("note", Types.StringType.get()));
    Catalog iceberg = icebergGlueCatalog();
    try (PaimonTableSink sink = PaimonTableSink.builder().catalogOptions(options).settings(settings).build()) {
      sink.create(table, ORDERS, List.of("id"));
      writeAndCommit(sink, table, 2,
          upsert(ORDERS, 0, 1L, "ann", new BigDecimal("9.99")), upsert(ORDERS, 1, 2L, "bob", new BigDecimal("1.50")));
      assertThat(icebergRows(iceberg)).containsExactlyInAnyOrder(
          List.of(1L, "ann", new BigDecimal("9.99")), List.of(2L, "bob", new BigDecimal("1.50")));

      writeAndCommit(sink, table, 4,
          upsert(ORDERS, 2, 1L, "ann", new BigDecimal("12.00")),
          RowChange.delete(Row.of(ORDERS, 2L, null, null), null, Origin.of("orders", 0, 3)));
      sink.evolve(table, new SchemaEvolution(SchemaChangePlan.of(List.of(
          new SchemaChange.AddColumn(List.of(), evolved.field(3), "total"))), null, 4L));
      writeAndCommit(sink, table, 5, upsert(evolved, 4, 3L, "cy", null, "new"));

      GlueEndpoint.StoredTable stored = GLUE.table("shop", "orders_iceberg").orElseThrow();
      assertThat(stored.parameters()).containsEntry("table_type", "ICEBERG");
      long latest = ((org.apache.paimon.table.FileStoreTable) sink.catalog()
          .getTable(org.apache.paimon.catalog.Identifier.create("shop", "orders"))).snapshotManager().latestSnapshotId();
      assertThat(stored.parameters().get("metadata_location")).endsWith("/metadata/v" + latest + ".metadata.json");
      assertThat(stored.parameters()).containsKey("previous_metadata_location");
      assertThat(icebergRows(iceberg)).containsExactlyInAnyOrder(
          List.of(1L, "ann", new BigDecimal("12.00"), "<null>"), List.of(3L, "cy", "<null>", "new"));
      // the Paimon table is still the one Paimon lists; the Iceberg table is Glue's alone
      assertThat(sink.listTables()).containsExactly(table);
    } finally {
      ((java.io.Closeable) iceberg).close();
    }
  }

  private static List<List<Object>> icebergRows(Catalog iceberg) throws Exception {
    org.apache.iceberg.Table t = iceberg.loadTable(TableIdentifier.of("shop", "orders_iceberg"));
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
      for (Record r : records) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) {
          Object v = r.get(i);
          row.add(v == null ? "<null>" : v);
        }
        rows.add(row);
      }
    }
    return rows;
  }

  private Catalog icebergGlueCatalog() {
    Map<String, String> properties = new HashMap<>();
    properties.put(CatalogProperties.CATALOG_IMPL, "org.apache.iceberg.aws.glue.GlueCatalog");
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, dir.toUri().toString());
    properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.hadoop.HadoopFileIO");
    properties.put(AwsProperties.GLUE_CATALOG_ENDPOINT, GLUE.endpoint().toString());
    properties.put(AwsClientProperties.CLIENT_REGION, AwsTestCatalogs.REGION);
    properties.put(AwsClientProperties.CLIENT_CREDENTIALS_PROVIDER, StaticTestCredentials.class.getName());
    properties.put(StaticTestCredentials.ACCESS_KEY_ID_PROPERTY, AwsTestCatalogs.ACCESS_KEY_ID);
    properties.put(StaticTestCredentials.SECRET_ACCESS_KEY_PROPERTY, AwsTestCatalogs.SECRET_ACCESS_KEY);
    properties.put(HttpClientProperties.CLIENT_TYPE, HttpClientProperties.CLIENT_TYPE_URLCONNECTION);
    return CatalogUtil.buildIcebergCatalog("glue", properties, null);
  }
}
