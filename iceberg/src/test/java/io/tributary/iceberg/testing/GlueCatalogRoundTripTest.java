package io.tributary.iceberg.testing;

import static io.tributary.iceberg.testing.IcebergTestData.readRows;
import static io.tributary.iceberg.testing.IcebergTestData.record;
import static io.tributary.iceberg.testing.IcebergTestData.row;
import static io.tributary.iceberg.testing.IcebergTestData.writeParquet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Iceberg's real {@code GlueCatalog} and {@code S3FileIO}, built from {@link AwsTestCatalogs} properties, against the
 * loopback {@link GlueEndpoint} and {@link S3Endpoint}: the full table lifecycle and commit conflicts.
 */
class GlueCatalogRoundTripTest {

  @RegisterExtension
  static final GlueEndpoint GLUE = GlueEndpoint.create();

  @RegisterExtension
  static final S3Endpoint S3 = S3Endpoint.create();

  private static final String BUCKET = "lake";
  private static final Namespace NAMESPACE = Namespace.of("cdc");
  private static final Schema SCHEMA = new Schema(
      List.of(Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get())),
      Set.of(1));

  private final List<Catalog> catalogs = new ArrayList<>();
  private Map<String, String> properties;

  @BeforeEach
  void setUp() {
    GLUE.reset();
    properties = AwsTestCatalogs.glueCatalogProperties(GLUE, S3, BUCKET);
  }

  @AfterEach
  void closeCatalogs() throws IOException {
    for (Catalog catalog : catalogs) {
      ((Closeable) catalog).close();
    }
  }

  private Catalog newCatalog() {
    Catalog catalog = AwsTestCatalogs.newCatalog("glue", properties);
    catalogs.add(catalog);
    return catalog;
  }

  @Test
  void tableLifecycleThroughGlueAndS3() {
    Catalog catalog = newCatalog();
    SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
    namespaces.createNamespace(NAMESPACE, Map.of("owner", "tributary"));
    assertThat(namespaces.listNamespaces()).containsExactly(NAMESPACE);
    assertThat(GLUE.database("cdc").orElseThrow().parameters()).containsEntry("owner", "tributary");

    TableIdentifier id = TableIdentifier.of(NAMESPACE, "orders");
    Table created = catalog.createTable(id, SCHEMA, PartitionSpec.unpartitioned(),
        Map.of(TableProperties.FORMAT_VERSION, "2"));
    GlueEndpoint.StoredTable afterCreate = GLUE.table("cdc", "orders").orElseThrow();
    String createdMetadata = afterCreate.parameters().get("metadata_location");
    assertThat(createdMetadata).startsWith("s3://lake/wh/cdc.db/orders/metadata/").endsWith(".metadata.json");
    assertThat(afterCreate.parameters()).containsEntry("table_type", "ICEBERG");
    assertThat(afterCreate.tableType()).hasValue("EXTERNAL_TABLE");
    assertThat(afterCreate.location()).hasValue("s3://lake/wh/cdc.db/orders");
    assertThat(afterCreate.columns()).containsExactly(Map.entry("id", "bigint"), Map.entry("name", "string"));

    DataFile file = writeParquet(created, 1,
        List.of(record(SCHEMA, 1L, "one"), record(SCHEMA, 2L, "two"), record(SCHEMA, 3L, null)));
    created.newAppend().appendFile(file).commit();

    GlueEndpoint.StoredTable afterAppend = GLUE.table("cdc", "orders").orElseThrow();
    assertThat(afterAppend.versionId()).isEqualTo("2");
    assertThat(afterAppend.parameters()).containsEntry("previous_metadata_location", createdMetadata);
    assertThat(afterAppend.parameters().get("metadata_location")).isNotEqualTo(createdMetadata);
    assertThat(S3.objectKeys(BUCKET, "wh/cdc.db/orders/data/"))
        .singleElement().satisfies(key -> assertThat(key).endsWith(".parquet"));
    assertThat(S3.objectKeys(BUCKET, "wh/cdc.db/orders/metadata/"))
        .contains(createdMetadata.substring("s3://lake/".length()))
        .anySatisfy(key -> assertThat(key).endsWith(".avro"));

    Table fresh = newCatalog().loadTable(id);
    assertThat(fresh.schema().identifierFieldNames()).containsExactly("id");
    assertThat(fresh.currentSnapshot().summary()).containsEntry("added-data-files", "1");
    assertThat(readRows(fresh)).containsExactly(
        row(1L, "one"), row(2L, "two"), row(3L, null));

    fresh.updateSchema().addColumn("amount", Types.DecimalType.of(10, 2)).commit();
    assertThat(GLUE.table("cdc", "orders").orElseThrow().columns()).containsEntry("amount", "decimal(10,2)");
    Table evolved = newCatalog().loadTable(id);
    assertThat(evolved.schema().findField("amount").type()).isEqualTo(Types.DecimalType.of(10, 2));
    DataFile second = writeParquet(evolved, 2, List.of(record(evolved.schema(), 4L, "four", new BigDecimal("12.50"))));
    evolved.newAppend().appendFile(second).commit();
    assertThat(readRows(newCatalog().loadTable(id))).containsExactly(
        row(1L, "one", null), row(2L, "two", null),
        row(3L, null, null), row(4L, "four", new BigDecimal("12.50")));

    namespaces.setProperties(NAMESPACE, Map.of("team", "data"));
    assertThat(namespaces.loadNamespaceMetadata(NAMESPACE))
        .containsEntry("owner", "tributary")
        .containsEntry("team", "data");

    TableIdentifier renamed = TableIdentifier.of(NAMESPACE, "orders_v2");
    catalog.renameTable(id, renamed);
    assertThat(catalog.listTables(NAMESPACE)).containsExactly(renamed);
    assertThat(GLUE.tableNames("cdc")).containsExactly("orders_v2");
    assertThat(readRows(newCatalog().loadTable(renamed))).hasSize(4);

    assertThat(catalog.dropTable(renamed, true)).isTrue();
    assertThat(GLUE.table("cdc", "orders_v2")).isEmpty();
    assertThat(catalog.tableExists(renamed)).isFalse();
    // purge deletes the data and metadata files the table's snapshots reference, through S3 DeleteObjects
    assertThat(S3.objectKeys(BUCKET, "wh/cdc.db/orders/data/")).isEmpty();
    assertThat(namespaces.dropNamespace(NAMESPACE)).isTrue();
    assertThat(GLUE.databaseNames()).isEmpty();
  }

  @Test
  void glueConflictOnUpdateTableIsRetriedByIceberg() {
    Catalog catalog = newCatalog();
    ((SupportsNamespaces) catalog).createNamespace(NAMESPACE);
    TableIdentifier id = TableIdentifier.of(NAMESPACE, "conflicts");
    Table table = catalog.createTable(id, SCHEMA);
    long updatesBefore = GLUE.requestCount("UpdateTable");

    GLUE.failNextUpdateTableWithConcurrentModification();
    table.newAppend().appendFile(writeParquet(table, 1, List.of(record(SCHEMA, 1L, "a")))).commit();

    assertThat(GLUE.requestCount("UpdateTable") - updatesBefore).isEqualTo(2);
    assertThat(GLUE.table("cdc", "conflicts").orElseThrow().versionId()).isEqualTo("2");
    assertThat(readRows(newCatalog().loadTable(id))).containsExactly(row(1L, "a"));
  }

  @Test
  void staleWriterFromAnotherCatalogRetriesOnTopOfTheNewerCommit() {
    Catalog first = newCatalog();
    Catalog second = newCatalog();
    ((SupportsNamespaces) first).createNamespace(NAMESPACE);
    TableIdentifier id = TableIdentifier.of(NAMESPACE, "two_writers");
    first.createTable(id, SCHEMA);
    Table viaFirst = first.loadTable(id);
    Table viaSecond = second.loadTable(id);

    viaFirst.newAppend().appendFile(writeParquet(viaFirst, 1, List.of(record(SCHEMA, 1L, "first")))).commit();
    // viaSecond still holds the metadata from before that commit: its first attempt fails, Iceberg refreshes, retries
    viaSecond.newAppend().appendFile(writeParquet(viaSecond, 2, List.of(record(SCHEMA, 2L, "second")))).commit();

    Table reloaded = newCatalog().loadTable(id);
    assertThat(readRows(reloaded)).containsExactly(row(1L, "first"), row(2L, "second"));
    List<Long> parents = new ArrayList<>();
    for (Snapshot snapshot : reloaded.snapshots()) {
      parents.add(snapshot.parentId());
    }
    assertThat(parents).hasSize(2).containsOnlyOnce((Long) null);
    assertThat(GLUE.table("cdc", "two_writers").orElseThrow().versionId()).isEqualTo("3");
  }

  @Test
  void racingWritersNeverLoseACommit() throws Exception {
    Catalog setup = newCatalog();
    ((SupportsNamespaces) setup).createNamespace(NAMESPACE);
    TableIdentifier id = TableIdentifier.of(NAMESPACE, "race");
    setup.createTable(id, SCHEMA, PartitionSpec.unpartitioned(), Map.of(
        TableProperties.COMMIT_NUM_RETRIES, "50",
        TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "5",
        TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "50"));
    int writers = 3;
    int commitsPerWriter = 3;
    List<Catalog> writerCatalogs = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      writerCatalogs.add(newCatalog());
    }

    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        futures.add(pool.submit(() -> {
          Table table = writerCatalogs.get(writer).loadTable(id);
          for (int c = 0; c < commitsPerWriter; c++) {
            long key = writer * 100L + c;
            DataFile file = writeParquet(table, writer * 10 + c, List.of(record(SCHEMA, key, "w" + writer)));
            table.newAppend().appendFile(file).commit();
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    Set<Object> keys = new HashSet<>();
    for (List<Object> row : readRows(newCatalog().loadTable(id))) {
      keys.add(row.get(0));
    }
    assertThat(keys).containsExactlyInAnyOrder(0L, 1L, 2L, 100L, 101L, 102L, 200L, 201L, 202L);
    assertThat(GLUE.table("cdc", "race").orElseThrow().versionId())
        .isEqualTo(Integer.toString(1 + writers * commitsPerWriter));
  }

  @Test
  void lostUpdateTableResponseCommitsExactlyOnce() {
    Catalog catalog = newCatalog();
    ((SupportsNamespaces) catalog).createNamespace(NAMESPACE);
    TableIdentifier id = TableIdentifier.of(NAMESPACE, "lost");
    Table table = catalog.createTable(id, SCHEMA);

    GLUE.applyNextThenFail("UpdateTable", "InternalServiceException");
    table.newAppend().appendFile(writeParquet(table, 1, List.of(record(SCHEMA, 1L, "a")))).commit();

    // Glue applied the update but answered 500; the SDK retried with the now stale VersionId and got a conflict;
    // Iceberg then checked the commit status, found its own metadata in Glue and did not append again
    Table reloaded = newCatalog().loadTable(id);
    assertThat(reloaded.snapshots()).hasSize(1);
    assertThat(readRows(reloaded)).containsExactly(row(1L, "a"));
    assertThat(GLUE.requestCount("UpdateTable")).isEqualTo(2);
    assertThat(GLUE.table("cdc", "lost").orElseThrow().versionId()).isEqualTo("2");
  }
}
