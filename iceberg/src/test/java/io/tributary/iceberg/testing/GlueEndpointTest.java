package io.tributary.iceberg.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GlueException;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;

/** Drives {@link GlueEndpoint} with the real AWS SDK v2 Glue client to pin the wire protocol and Glue semantics. */
class GlueEndpointTest {

  @RegisterExtension
  static final GlueEndpoint GLUE = GlueEndpoint.create();

  private GlueClient glue;

  @BeforeEach
  void connect() {
    GLUE.reset();
    glue = GLUE.newClient();
  }

  @AfterEach
  void disconnect() {
    glue.close();
  }

  private static GlueClient clientSigningWith(String accessKeyId) {
    return GlueClient.builder()
        .endpointOverride(GLUE.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, "secret")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(config -> config.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  private static TableInput tableInput(String name, String metadataLocation) {
    return TableInput.builder()
        .name(name)
        .tableType("EXTERNAL_TABLE")
        .parameters(Map.of("table_type", "ICEBERG", "metadata_location", metadataLocation))
        .storageDescriptor(StorageDescriptor.builder()
            .location("s3://bucket/wh/db.db/" + name)
            .columns(Column.builder().name("id").type("bigint").build(),
                Column.builder().name("name").type("string").comment("display name").build())
            .build())
        .build();
  }

  @Test
  void databasesRoundTripAndMissingOnesRaiseEntityNotFound() {
    glue.createDatabase(r -> r.databaseInput(DatabaseInput.builder()
        .name("Sales").locationUri("s3://bucket/sales").parameters(Map.of("owner", "ops")).build()));

    Database database = glue.getDatabase(r -> r.name("sales")).database();
    assertThat(database.name()).isEqualTo("sales");
    assertThat(database.locationUri()).isEqualTo("s3://bucket/sales");
    assertThat(database.parameters()).containsEntry("owner", "ops");
    assertThat(database.catalogId()).isEqualTo(GlueEndpoint.DEFAULT_CATALOG_ID);
    assertThat(database.createTime()).isNotNull();

    assertThatThrownBy(() -> glue.createDatabase(r -> r.databaseInput(d -> d.name("sales"))))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> glue.getDatabase(r -> r.name("missing")))
        .isInstanceOf(EntityNotFoundException.class)
        .hasMessageContaining("missing");

    glue.updateDatabase(r -> r.name("sales").databaseInput(d -> d.name("sales").description("updated")));
    assertThat(glue.getDatabase(r -> r.name("sales")).database().description()).isEqualTo("updated");
    assertThat(GLUE.database("SALES")).hasValueSatisfying(d -> assertThat(d.locationUri()).isEmpty());

    glue.deleteDatabase(r -> r.name("sales"));
    assertThat(GLUE.databaseNames()).isEmpty();
    assertThatThrownBy(() -> glue.deleteDatabase(r -> r.name("sales"))).isInstanceOf(EntityNotFoundException.class);
  }

  @Test
  void tablesAreStoredFullyAndVersioned() {
    glue.createDatabase(r -> r.databaseInput(d -> d.name("db")));
    glue.createTable(r -> r.databaseName("db").tableInput(tableInput("orders", "s3://m/00000.json")));

    Table table = glue.getTable(r -> r.databaseName("db").name("orders")).table();
    assertThat(table.databaseName()).isEqualTo("db");
    assertThat(table.versionId()).isEqualTo("1");
    assertThat(table.parameters()).containsEntry("metadata_location", "s3://m/00000.json");
    assertThat(table.storageDescriptor().columns()).extracting(Column::name, Column::type, Column::comment)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("id", "bigint", null),
            org.assertj.core.groups.Tuple.tuple("name", "string", "display name"));
    assertThat(table.createTime()).isEqualTo(table.updateTime());

    glue.updateTable(r -> r.databaseName("db").versionId("1").tableInput(tableInput("orders", "s3://m/00001.json")));
    GlueEndpoint.StoredTable stored = GLUE.table("db", "orders").orElseThrow();
    assertThat(stored.versionId()).isEqualTo("2");
    assertThat(stored.parameters()).containsEntry("metadata_location", "s3://m/00001.json");
    assertThat(stored.location()).hasValue("s3://bucket/wh/db.db/orders");
    assertThat(stored.columns()).containsExactly(Map.entry("id", "bigint"), Map.entry("name", "string"));

    assertThatThrownBy(() -> glue.updateTable(
        r -> r.databaseName("db").versionId("1").tableInput(tableInput("orders", "s3://m/stale.json"))))
        .isInstanceOf(ConcurrentModificationException.class)
        .hasMessageContaining("expected version 1");
    assertThat(GLUE.table("db", "orders").orElseThrow().parameters())
        .containsEntry("metadata_location", "s3://m/00001.json");

    assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("db").tableInput(tableInput("orders", "x"))))
        .isInstanceOf(AlreadyExistsException.class);
    assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("nodb").tableInput(tableInput("orders", "x"))))
        .isInstanceOf(EntityNotFoundException.class);
    assertThatThrownBy(() -> glue.getTable(r -> r.databaseName("db").name("nope")))
        .isInstanceOf(EntityNotFoundException.class);

    glue.deleteTable(r -> r.databaseName("db").name("orders"));
    assertThat(GLUE.table("db", "orders")).isEmpty();
  }

  @Test
  void injectedConflictFailsExactlyOneUpdate() {
    glue.createDatabase(r -> r.databaseInput(d -> d.name("db")));
    glue.createTable(r -> r.databaseName("db").tableInput(tableInput("t", "s3://m/0.json")));
    GLUE.failNextUpdateTableWithConcurrentModification();

    assertThatThrownBy(() -> glue.updateTable(r -> r.databaseName("db").tableInput(tableInput("t", "s3://m/1.json"))))
        .isInstanceOf(ConcurrentModificationException.class);
    glue.updateTable(r -> r.databaseName("db").tableInput(tableInput("t", "s3://m/1.json")));

    assertThat(GLUE.table("db", "t").orElseThrow().versionId()).isEqualTo("2");
    assertThat(GLUE.requestCount("UpdateTable")).isEqualTo(2);
  }

  @Test
  void listingsPaginateAndFilter() {
    glue.createDatabase(r -> r.databaseInput(d -> d.name("db")));
    glue.createDatabase(r -> r.databaseInput(d -> d.name("other")));
    IntStream.range(0, 7).forEach(i ->
        glue.createTable(r -> r.databaseName("db").tableInput(tableInput("t" + i, "s3://m/" + i + ".json"))));

    List<String> names = glue.getTablesPaginator(r -> r.databaseName("db").maxResults(3)).stream()
        .flatMap(page -> page.tableList().stream())
        .map(Table::name)
        .toList();
    assertThat(names).containsExactly("t0", "t1", "t2", "t3", "t4", "t5", "t6");
    assertThat(glue.getTables(r -> r.databaseName("db").expression("t[13]")).tableList())
        .extracting(Table::name).containsExactly("t1", "t3");
    assertThat(glue.getDatabasesPaginator(r -> r.maxResults(1)).stream()
        .flatMap(page -> page.databaseList().stream()).map(Database::name).toList())
        .containsExactly("db", "other");
    assertThat(GLUE.tableNames("db")).hasSize(7);
  }

  @Test
  void requestsSignedWithAnotherKeyAreRejected() {
    try (GlueClient stranger = clientSigningWith("someone-else")) {
      assertThatThrownBy(() -> stranger.getDatabases(r -> { }))
          .isInstanceOf(GlueException.class)
          .satisfies(e -> assertThat(((GlueException) e).awsErrorDetails().errorCode())
              .isEqualTo("UnrecognizedClientException"));
    }
  }

  @Test
  void injectedFailuresAnswerOneRequestEach() {
    glue.createDatabase(r -> r.databaseInput(d -> d.name("db")));
    GLUE.failNext("GetDatabase", "AccessDeniedException");

    assertThatThrownBy(() -> glue.getDatabase(r -> r.name("db")))
        .isInstanceOf(software.amazon.awssdk.services.glue.model.AccessDeniedException.class);
    assertThat(glue.getDatabase(r -> r.name("db")).database().name()).isEqualTo("db");

    GLUE.applyNextThenFail("CreateTable", "InvalidInputException");
    assertThatThrownBy(() -> glue.createTable(r -> r.databaseName("db").tableInput(tableInput("t", "s3://m/0.json"))))
        .isInstanceOf(software.amazon.awssdk.services.glue.model.InvalidInputException.class);
    assertThat(GLUE.table("db", "t")).isPresent();
  }
}
