package io.tributary.iceberg.testing;

import static io.tributary.iceberg.testing.IcebergTestData.readRows;
import static io.tributary.iceberg.testing.IcebergTestData.record;
import static io.tributary.iceberg.testing.IcebergTestData.row;
import static io.tributary.iceberg.testing.IcebergTestData.writeParquet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * The same GlueCatalog + S3FileIO round trip against real AWS; runs only when {@link RealAws} is enabled and cleans up
 * the uniquely named database it creates.
 */
@RealAws.Enabled
class RealAwsGlueCatalogTest {

  @Test
  void roundTripOnRealGlueAndS3() throws IOException {
    Map<String, String> properties = RealAws.glueCatalogProperties();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    Namespace namespace = Namespace.of("tributary_test_" + suffix);
    TableIdentifier id = TableIdentifier.of(namespace, "orders");
    Schema schema = new Schema(List.of(Types.NestedField.required(1, "id", Types.LongType.get()),
        Types.NestedField.optional(2, "name", Types.StringType.get())), Set.of(1));
    Catalog writer = AwsTestCatalogs.newCatalog("glue", properties);
    Catalog reader = AwsTestCatalogs.newCatalog("glue", properties);
    try {
      ((SupportsNamespaces) writer).createNamespace(namespace);
      Table table = writer.createTable(id, schema);
      table.newAppend().appendFile(writeParquet(table, 1, List.of(record(schema, 1L, "one")))).commit();
      table.updateSchema().addColumn("note", Types.StringType.get()).commit();

      Table fresh = reader.loadTable(id);
      assertThat(fresh.schema().identifierFieldNames()).containsExactly("id");
      assertThat(readRows(fresh)).containsExactly(row(1L, "one", null));
      assertThat(reader.listTables(namespace)).containsExactly(id);
    } finally {
      writer.dropTable(id, true);
      ((SupportsNamespaces) writer).dropNamespace(namespace);
      ((Closeable) writer).close();
      ((Closeable) reader).close();
    }
  }
}
