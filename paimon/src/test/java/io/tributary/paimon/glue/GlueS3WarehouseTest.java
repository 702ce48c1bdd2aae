package io.tributary.paimon.glue;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.iceberg.testing.AwsTestCatalogs;
import io.tributary.iceberg.testing.GlueEndpoint;
import io.tributary.iceberg.testing.S3Endpoint;
import io.tributary.paimon.PaimonTableSink;
import io.tributary.core.config.Settings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Glue catalog with an {@code s3://} warehouse on the loopback S3 endpoint, through Paimon's S3 FileIO. */
class GlueS3WarehouseTest {
  @RegisterExtension static final GlueEndpoint GLUE = GlueEndpoint.create();
  @RegisterExtension static final S3Endpoint S3 = S3Endpoint.create();

  private static final StructType ORDERS = StructType.of(
      Field.required("id", Types.LongType.get()), Field.optional("customer", Types.StringType.get()));

  @Test
  void tablesLiveOnS3AndInGlue() throws Exception {
    S3.createBucket("lake");
    Map<String, String> options = new HashMap<>();
    options.put("metastore", "glue");
    options.put("warehouse", "s3://lake/wh");
    options.put("glue.endpoint", GLUE.endpoint().toString());
    options.put("client.region", AwsTestCatalogs.REGION);
    options.put("glue.access-key-id", AwsTestCatalogs.ACCESS_KEY_ID);
    options.put("glue.secret-access-key", AwsTestCatalogs.SECRET_ACCESS_KEY);
    options.put("s3.endpoint", S3.endpoint().toString());
    options.put("s3.access-key", S3.accessKeyId());
    options.put("s3.secret-key", S3.secretAccessKey());
    options.put("s3.path.style.access", "true");
    TableId table = TableId.of("shop", "orders");
    Settings settings = Settings.of(Map.of(
        "tributary.paimon.iceberg-compatibility", "true", "tributary.paimon.bucket", "1"));
    try (PaimonTableSink sink = PaimonTableSink.builder().catalogOptions(options).settings(settings).build()) {
      sink.create(table, ORDERS, List.of("id"));
      try (TableWriter w = sink.newWriter(table)) {
        w.write(RowChange.upsert(null, Row.of(ORDERS, 1L, "ann"), Origin.of("orders", 0, 0)));
        sink.commit(table, w.complete(), new CommitRequest("s", "1",
            Map.of(StreamPartition.of("orders", 0), 1L), Map.of()));
      }
    }
    assertThat(GLUE.table("shop", "orders").orElseThrow().location()).contains("s3://lake/wh/shop.db/orders");
    assertThat(S3.objectKeys("lake", "wh/shop.db/orders/")).anyMatch(k -> k.contains("/schema/schema-0"))
        .anyMatch(k -> k.contains("/snapshot/snapshot-1"));
    try (PaimonTableSink fresh = PaimonTableSink.builder().catalogOptions(options).build()) {
      assertThat(fresh.read(table)).containsExactly(Row.of(ORDERS, 1L, "ann"));
    }
    // Iceberg's own GlueCatalog and S3FileIO read the rows through the Glue Iceberg table, as Athena would
    Catalog iceberg = AwsTestCatalogs.newCatalog("glue", AwsTestCatalogs.glueCatalogProperties(GLUE, S3, "lake"));
    org.apache.iceberg.Table t = iceberg.loadTable(TableIdentifier.of("shop", "orders_iceberg"));
    assertThat(t.location()).isEqualTo("s3://lake/wh/shop.db/orders");
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
      records.forEach(r -> rows.add(r.getField("id") + "/" + r.getField("customer")));
    }
    assertThat(rows).containsExactly("1/ann");
    ((java.io.Closeable) iceberg).close();
  }
}
