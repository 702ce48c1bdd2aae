package io.tributary.paimon.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.iceberg.testing.AwsTestCatalogs;
import io.tributary.iceberg.testing.GlueEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.DelegateCatalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.options.Options;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.SchemaChange;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.types.DataTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The Glue catalog's databases and tables against the loopback Glue endpoint, with a local warehouse. */
class GlueCatalogTest {
  @RegisterExtension static final GlueEndpoint GLUE = GlueEndpoint.create();

  @TempDir Path dir;

  /** Catalog options for the loopback Glue endpoint and a local warehouse. */
  static Map<String, String> options(GlueEndpoint glue, Path warehouse) {
    return Map.of(
        "metastore", "glue",
        "warehouse", warehouse.toUri().toString(),
        "glue.endpoint", glue.endpoint().toString(),
        "client.region", AwsTestCatalogs.REGION,
        "glue.access-key-id", AwsTestCatalogs.ACCESS_KEY_ID,
        "glue.secret-access-key", AwsTestCatalogs.SECRET_ACCESS_KEY);
  }

  static Catalog newCatalog(Map<String, String> options) {
    return CatalogFactory.createCatalog(CatalogContext.create(Options.fromMap(options)));
  }

  @AfterEach
  void clearEndpoint() {
    GLUE.reset();
  }

  @Test
  void factorySpiFindsTheGlueCatalog() throws Exception {
    try (Catalog catalog = newCatalog(options(GLUE, dir))) {
      assertThat(DelegateCatalog.rootCatalog(catalog)).isInstanceOf(GlueCatalog.class);
      assertThat(catalog.caseSensitive()).isFalse();
    }
  }

  @Test
  void catalogIdAndCredentialsOptionsReachGlue() throws Exception {
    Map<String, String> options = new java.util.HashMap<>(options(GLUE, dir));
    options.put("glue.catalog-id", "123456789012");
    try (Catalog catalog = newCatalog(options)) {
      catalog.createDatabase("sales", false);
    }
    assertThat(GLUE.database("sales").orElseThrow().catalogId()).isEqualTo("123456789012");
    options.remove("glue.secret-access-key");
    assertThatThrownBy(() -> newCatalog(options)).hasMessageContaining("glue.secret-access-key");
    // keys the endpoint does not know are refused, so the configured keys are the ones used above
    options.put("glue.access-key-id", "someone-else");
    options.put("glue.secret-access-key", "secret");
    try (Catalog catalog = newCatalog(options)) {
      assertThatThrownBy(catalog::listDatabases).hasMessageContaining("security token included in the request is invalid");
    }
  }

  @Test
  void databasesAndTablesLiveInGlueAndSchemasInTheWarehouse() throws Exception {
    Identifier orders = Identifier.create("shop", "orders");
    try (Catalog catalog = newCatalog(options(GLUE, dir))) {
      catalog.createDatabase("shop", false, Map.of(Catalog.COMMENT_PROP, "the shop", "owner-team", "sales"));
      assertThat(catalog.listDatabases()).contains("shop");
      assertThat(GLUE.database("shop")).hasValueSatisfying(d -> {
        assertThat(d.parameters()).containsEntry("owner-team", "sales");
        assertThat(d.locationUri()).hasValueSatisfying(l -> assertThat(l).endsWith("shop.db"));
      });
      assertThat(catalog.getDatabase("shop").comment()).contains("the shop");

      catalog.createTable(orders, Schema.newBuilder()
          .column("region", DataTypes.STRING().notNull())
          .column("id", DataTypes.BIGINT().notNull())
          .column("total", DataTypes.DECIMAL(10, 2), "order total")
          .column("tags", DataTypes.ARRAY(DataTypes.STRING()))
          .primaryKey("region", "id")
          .partitionKeys("region")
          .option("bucket", "2")
          .build(), false);
      assertThat(catalog.listTables("shop")).containsExactly("orders");

      GlueEndpoint.StoredTable stored = GLUE.table("shop", "orders").orElseThrow();
      assertThat(stored.parameters()).containsEntry("table_type", "PAIMON");
      assertThat(stored.location()).hasValueSatisfying(l -> assertThat(l).endsWith("shop.db/orders"));
      // partition columns are Glue partition keys, the rest are columns
      assertThat(stored.columns()).containsExactly(
          Map.entry("id", "bigint"), Map.entry("total", "decimal(10,2)"), Map.entry("tags", "array<string>"));
      assertThat(Files.exists(dir.resolve("shop.db/orders/schema/schema-0"))).isTrue();

      catalog.alterTable(orders, List.of(SchemaChange.addColumn("note", DataTypes.VARCHAR(20))), false);
      assertThat(GLUE.table("shop", "orders").orElseThrow().columns())
          .containsEntry("note", "varchar(20)").hasSize(4);
      assertThat(GLUE.table("shop", "orders").orElseThrow().versionId()).isEqualTo("2");

      // a Glue table of another format is not listed as a Paimon table
      try (var client = GLUE.newClient()) {
        client.createTable(r -> r.databaseName("shop").tableInput(t -> t.name("other")
            .parameters(Map.of("table_type", "ICEBERG", "metadata_location", "s3://x/v1.metadata.json"))));
      }
      assertThat(catalog.listTables("shop")).containsExactly("orders");
      assertThatThrownBy(() -> catalog.getTable(Identifier.create("shop", "other")))
          .isInstanceOf(Catalog.TableNotExistException.class);
    }

    try (Catalog fresh = newCatalog(options(GLUE, dir))) {
      FileStoreTable table = (FileStoreTable) fresh.getTable(orders);
      assertThat(table.rowType().getFieldNames()).containsExactly("region", "id", "total", "tags", "note");
      assertThat(table.primaryKeys()).containsExactly("region", "id");
      assertThat(table.location().toString()).endsWith("shop.db/orders");

      fresh.renameTable(orders, Identifier.create("shop", "sales"), false);
      assertThat(fresh.listTables("shop")).containsExactly("sales");
      assertThat(((FileStoreTable) fresh.getTable(Identifier.create("shop", "sales"))).rowType().getFieldCount())
          .isEqualTo(5);

      fresh.dropTable(Identifier.create("shop", "sales"), false);
      assertThat(GLUE.table("shop", "sales")).isEmpty();
      assertThat(Files.exists(dir.resolve("shop.db/orders"))).isFalse();
      // Glue would delete the foreign "other" table with the database
      assertThatThrownBy(() -> fresh.dropDatabase("shop", false, true))
          .isInstanceOf(Catalog.DatabaseNotEmptyException.class);
      assertThat(GLUE.table("shop", "other")).isPresent();
      try (var client = GLUE.newClient()) {
        client.deleteTable(r -> r.databaseName("shop").name("other"));
      }
      fresh.dropDatabase("shop", false, false);
      assertThat(GLUE.database("shop")).isEmpty();
      assertThat(fresh.listDatabases()).doesNotContain("shop");
    }
  }

  @Test
  void glueUpdatesAreConditionalOnTheTableVersion() throws Exception {
    Identifier orders = Identifier.create("shop", "orders");
    try (Catalog catalog = newCatalog(options(GLUE, dir))) {
      catalog.createDatabase("shop", false);
      catalog.createTable(orders, Schema.newBuilder().column("id", DataTypes.INT().notNull()).primaryKey("id")
          .option("bucket", "1").build(), false);
      // another writer updated the Glue table between our read and our write: the columns are mirrored again
      GLUE.failNextUpdateTableWithConcurrentModification();
      long before = GLUE.requestCount("UpdateTable");
      catalog.alterTable(orders, List.of(SchemaChange.addColumn("name", DataTypes.STRING())), false);
      assertThat(GLUE.requestCount("UpdateTable") - before).isEqualTo(2);
      assertThat(GLUE.table("shop", "orders").orElseThrow().columns()).containsKeys("id", "name");

      GlueCatalog glue = (GlueCatalog) DelegateCatalog.rootCatalog(catalog);
      FileStoreTable table = (FileStoreTable) catalog.getTable(orders);
      org.apache.paimon.fs.Path location = table.location();
      org.apache.paimon.fs.Path v5 = new org.apache.paimon.fs.Path(location, "metadata/v5.metadata.json");
      org.apache.paimon.fs.Path v3 = new org.apache.paimon.fs.Path(location, "metadata/v3.metadata.json");
      org.apache.paimon.fs.Path v7 = new org.apache.paimon.fs.Path(location, "metadata/v7.metadata.json");
      glue.commitIcebergMetadata(orders, table.options(), location, table.schema().fields(), v5, 5);
      assertThat(GLUE.table("shop", "orders_iceberg").orElseThrow().parameters())
          .containsEntry("table_type", "ICEBERG").containsEntry("metadata_location", v5.toString());
      // a late callback of an older commit never moves the pointer back
      glue.commitIcebergMetadata(orders, table.options(), location, table.schema().fields(), v3, 3);
      assertThat(GLUE.table("shop", "orders_iceberg").orElseThrow().parameters())
          .containsEntry("metadata_location", v5.toString());
      GLUE.failNextUpdateTableWithConcurrentModification();
      glue.commitIcebergMetadata(orders, table.options(), location, table.schema().fields(), v7, 7);
      assertThat(GLUE.table("shop", "orders_iceberg").orElseThrow().parameters())
          .containsEntry("metadata_location", v7.toString())
          .containsEntry("previous_metadata_location", v5.toString());
      // a Glue table of another format under the Iceberg name is never overwritten
      catalog.createTable(Identifier.create("shop", "items_iceberg"),
          Schema.newBuilder().column("id", DataTypes.INT()).option("bucket", "-1").build(), false);
      Identifier items = Identifier.create("shop", "items");
      assertThatThrownBy(() -> glue.commitIcebergMetadata(items, Map.of(), location, table.schema().fields(), v7, 7))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an Iceberg table");
      assertThat(GLUE.table("shop", "items_iceberg").orElseThrow().parameters()).containsEntry("table_type", "PAIMON");
      // enabling Iceberg metadata later also installs the callback that registers it in Glue
      assertThat(table.options()).doesNotContainKey("commit.callbacks");
      catalog.alterTable(orders, List.of(SchemaChange.setOption("metadata.iceberg.storage", "table-location")), false);
      assertThat(((FileStoreTable) catalog.getTable(orders)).options())
          .containsEntry("commit.callbacks", GlueIcebergCommitCallback.class.getName());
      // renaming removes the Iceberg table of the old name (the next commit registers the new one)
      Identifier renamed = Identifier.create("shop", "orders2");
      catalog.renameTable(orders, renamed, false);
      assertThat(GLUE.table("shop", "orders_iceberg")).isEmpty();
      glue.commitIcebergMetadata(renamed, table.options(), location, table.schema().fields(), v7, 7);
      assertThat(GLUE.table("shop", "orders2_iceberg")).isPresent();
      // dropping the Paimon table drops its Iceberg table too
      catalog.dropTable(renamed, false);
      assertThat(GLUE.table("shop", "orders2_iceberg")).isEmpty();
      assertThat(GLUE.table("shop", "orders2")).isEmpty();
    }
  }
}
