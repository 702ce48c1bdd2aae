package io.tributary.iceberg.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.testing.AwsJsonEndpoint;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * An in-JVM AWS Glue Data Catalog endpoint on loopback that speaks the Glue JSON 1.1 protocol, so tests can drive
 * Iceberg's real {@code GlueCatalog} through the real AWS SDK v2 without an AWS account.
 *
 * <p>It implements the database and table operations {@code GlueCatalog} and {@code GlueTableOperations} call, keeps
 * the catalog in memory, enforces {@code UpdateTable}'s {@code VersionId} optimistic locking like Glue does, and
 * offers inspection and fault-injection hooks for assertions. Use it as a JUnit 5 extension
 * ({@code @RegisterExtension static final GlueEndpoint GLUE = GlueEndpoint.create();}) or as an
 * {@link AutoCloseable} with {@link #start()}.
 */
public final class GlueEndpoint extends AwsJsonEndpoint {

  /** The account id reported as {@code CatalogId} when a request names none, as Glue reports the caller's. */
  public static final String DEFAULT_CATALOG_ID = "000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(GlueEndpoint.class);
  private static final int DEFAULT_PAGE_SIZE = 100;

  // database name -> database; guarded by lock
  private final Map<String, StoredDatabase> databases = new TreeMap<>();
  // database name -> (table name -> table); guarded by lock
  private final Map<String, Map<String, StoredTable>> tables = new TreeMap<>();
  // operation -> error types to answer the next requests with after applying them (lost responses)
  private final Map<String, Deque<String>> pendingLostResponses = new ConcurrentHashMap<>();


  private GlueEndpoint(String requiredAccessKeyId) {
    super("Glue", "AWSGlue.", requiredAccessKeyId, 4);
  }

  /** Starts listening on a random port of 127.0.0.1; returns this endpoint. Starting twice is an error. */
  public GlueEndpoint start() {
    startServer();
    LOG.info("Glue endpoint listening at {}", endpoint());
    return this;
  }

  /**
   * An endpoint that accepts requests signed with {@link AwsTestCatalogs#ACCESS_KEY_ID}; requests signed with another
   * key (or unsigned) fail with {@code UnrecognizedClientException}, which catches credentials not reaching the client.
   */
  public static GlueEndpoint create() {
    return new GlueEndpoint(AwsTestCatalogs.ACCESS_KEY_ID);
  }

  /** An endpoint that accepts requests signed with the given access key id only. */
  public static GlueEndpoint requiringAccessKey(String accessKeyId) {
    return new GlueEndpoint(accessKeyId);
  }

  /**
   * A new AWS SDK v2 Glue client for this endpoint (static test credentials, URL-connection HTTP client); the caller
   * closes it.
   */
  public GlueClient newClient() {
    return GlueClient.builder()
        .endpointOverride(endpoint())
        .region(Region.of(AwsTestCatalogs.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(AwsTestCatalogs.ACCESS_KEY_ID, AwsTestCatalogs.SECRET_ACCESS_KEY)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** The stored database with this name (Glue names are case-insensitive and stored lower-case). */
  public Optional<StoredDatabase> database(String name) {
    synchronized (lock) {
      return Optional.ofNullable(databases.get(normalize(name)));
    }
  }

  /** The stored table, as the latest {@code CreateTable}/{@code UpdateTable} left it. */
  public Optional<StoredTable> table(String databaseName, String tableName) {
    synchronized (lock) {
      Map<String, StoredTable> inDatabase = tables.get(normalize(databaseName));
      return Optional.ofNullable(inDatabase == null ? null : inDatabase.get(normalize(tableName)));
    }
  }

  /** Names of all stored databases, sorted. */
  public List<String> databaseNames() {
    synchronized (lock) {
      return List.copyOf(databases.keySet());
    }
  }

  /** Names of the tables stored in a database, sorted; empty when the database does not exist. */
  public List<String> tableNames(String databaseName) {
    synchronized (lock) {
      Map<String, StoredTable> inDatabase = tables.get(normalize(databaseName));
      return inDatabase == null ? List.of() : List.copyOf(inDatabase.keySet());
    }
  }

  /**
   * Makes the next {@code UpdateTable} request (of any table) fail with {@code ConcurrentModificationException}
   * without changing anything, as Glue does when another writer updated the table in between.
   */
  public void failNextUpdateTableWithConcurrentModification() {
    failNext("UpdateTable", "ConcurrentModificationException");
  }

  /**
   * Makes the next request of this operation take effect and then answer with this Glue error type, as when Glue
   * applied a change but the response was lost: the client cannot tell whether its change happened.
   */
  public void applyNextThenFail(String operation, String errorType) {
    pendingLostResponses.computeIfAbsent(operation, ignored -> new ConcurrentLinkedDeque<>()).add(errorType);
  }

  /** Removes every database and table, and resets request counts and injected faults. */
  public void reset() {
    synchronized (lock) {
      databases.clear();
      tables.clear();
    }
    resetRequests();
    pendingLostResponses.clear();
  }

  @Override
  protected void afterApplied(String operation) {
    String lost = poll(pendingLostResponses, operation);
    if (lost != null) {
      throw new AwsError(lost, "Injected failure after applying " + operation);
    }
  }

  @Override
  protected JsonNode dispatch(String operation, JsonNode request) {
    switch (operation) {
      case "CreateDatabase":
        return createDatabase(request);
      case "GetDatabase":
        return getDatabase(request);
      case "GetDatabases":
        return getDatabases(request);
      case "UpdateDatabase":
        return updateDatabase(request);
      case "DeleteDatabase":
        return deleteDatabase(request);
      case "CreateTable":
        return createTable(request);
      case "GetTable":
        return getTable(request);
      case "GetTables":
        return getTables(request);
      case "UpdateTable":
        return updateTable(request);
      case "DeleteTable":
        return deleteTable(request);
      default:
        throw new AwsError("UnknownOperationException",
            "Operation " + operation + " is not supported by the test Glue endpoint");
    }
  }

  private JsonNode createDatabase(JsonNode request) {
    ObjectNode input = requiredObject(request, "DatabaseInput");
    String name = normalize(requiredText(input, "Name"));
    synchronized (lock) {
      if (databases.containsKey(name)) {
        throw new AwsError("AlreadyExistsException", "Database already exists: " + name);
      }
      databases.put(name, new StoredDatabase(name, catalogId(request), Instant.now(), input.deepCopy()));
      tables.put(name, new TreeMap<>());
    }
    return emptyResponse();
  }

  private JsonNode getDatabase(JsonNode request) {
    String name = normalize(requiredText(request, "Name"));
    synchronized (lock) {
      ObjectNode response = mapper.createObjectNode();
      response.set("Database", toJson(existingDatabase(name)));
      return response;
    }
  }

  private JsonNode getDatabases(JsonNode request) {
    synchronized (lock) {
      List<ObjectNode> all = new ArrayList<>();
      for (StoredDatabase database : databases.values()) {
        all.add(toJson(database));
      }
      return page(request, all, "DatabaseList");
    }
  }

  private JsonNode updateDatabase(JsonNode request) {
    String name = normalize(requiredText(request, "Name"));
    ObjectNode input = requiredObject(request, "DatabaseInput");
    String newName = normalize(requiredText(input, "Name"));
    if (!newName.equals(name)) {
      throw new AwsError("InvalidInputException", "Renaming databases is not supported: " + name + " -> " + newName);
    }
    synchronized (lock) {
      StoredDatabase existing = existingDatabase(name);
      databases.put(name, new StoredDatabase(name, existing.catalogId(), existing.createTime(), input.deepCopy()));
    }
    return emptyResponse();
  }

  private JsonNode deleteDatabase(JsonNode request) {
    String name = normalize(requiredText(request, "Name"));
    synchronized (lock) {
      existingDatabase(name);
      // Glue deletes the database's tables with it; callers that must refuse non-empty databases check first
      databases.remove(name);
      tables.remove(name);
    }
    return emptyResponse();
  }

  private JsonNode createTable(JsonNode request) {
    String databaseName = normalize(requiredText(request, "DatabaseName"));
    ObjectNode input = requiredObject(request, "TableInput");
    String tableName = normalize(requiredText(input, "Name"));
    synchronized (lock) {
      existingDatabase(databaseName);
      Map<String, StoredTable> inDatabase = tables.get(databaseName);
      if (inDatabase.containsKey(tableName)) {
        throw new AwsError("AlreadyExistsException", "Table already exists: " + databaseName + "." + tableName);
      }
      Instant now = Instant.now();
      inDatabase.put(tableName,
          new StoredTable(databaseName, tableName, catalogId(request), "1", now, now, input.deepCopy()));
    }
    return emptyResponse();
  }

  private JsonNode getTable(JsonNode request) {
    String databaseName = normalize(requiredText(request, "DatabaseName"));
    String tableName = normalize(requiredText(request, "Name"));
    synchronized (lock) {
      ObjectNode response = mapper.createObjectNode();
      response.set("Table", toJson(existingTable(databaseName, tableName)));
      return response;
    }
  }

  private JsonNode getTables(JsonNode request) {
    String databaseName = normalize(requiredText(request, "DatabaseName"));
    Pattern expression = expression(request);
    synchronized (lock) {
      existingDatabase(databaseName);
      List<ObjectNode> matching = new ArrayList<>();
      for (StoredTable table : tables.get(databaseName).values()) {
        if (expression == null || expression.matcher(table.name()).matches()) {
          matching.add(toJson(table));
        }
      }
      return page(request, matching, "TableList");
    }
  }

  private JsonNode updateTable(JsonNode request) {
    String databaseName = normalize(requiredText(request, "DatabaseName"));
    ObjectNode input = requiredObject(request, "TableInput");
    String tableName = normalize(requiredText(input, "Name"));
    String expectedVersion = request.hasNonNull("VersionId") ? request.get("VersionId").asText() : null;
    synchronized (lock) {
      StoredTable existing = existingTable(databaseName, tableName);
      if (expectedVersion != null && !expectedVersion.equals(existing.versionId())) {
        throw new AwsError("ConcurrentModificationException", "Table " + databaseName + "." + tableName
            + " was updated concurrently: expected version " + expectedVersion + " but it is " + existing.versionId());
      }
      String nextVersion = Long.toString(Long.parseLong(existing.versionId()) + 1);
      tables.get(databaseName).put(tableName, new StoredTable(databaseName, tableName, existing.catalogId(),
          nextVersion, existing.createTime(), Instant.now(), input.deepCopy()));
    }
    return emptyResponse();
  }

  private JsonNode deleteTable(JsonNode request) {
    String databaseName = normalize(requiredText(request, "DatabaseName"));
    String tableName = normalize(requiredText(request, "Name"));
    synchronized (lock) {
      existingTable(databaseName, tableName);
      tables.get(databaseName).remove(tableName);
    }
    return emptyResponse();
  }

  private StoredDatabase existingDatabase(String name) {
    StoredDatabase database = databases.get(name);
    if (database == null) {
      throw new AwsError("EntityNotFoundException", "Database " + name + " not found.");
    }
    return database;
  }

  private StoredTable existingTable(String databaseName, String tableName) {
    existingDatabase(databaseName);
    StoredTable table = tables.get(databaseName).get(tableName);
    if (table == null) {
      throw new AwsError("EntityNotFoundException",
          "Table " + tableName + " not found in database " + databaseName + ".");
    }
    return table;
  }

  private JsonNode page(JsonNode request, List<ObjectNode> all, String listField) {
    int start = 0;
    if (request.hasNonNull("NextToken")) {
      try {
        start = Integer.parseInt(request.get("NextToken").asText());
      } catch (NumberFormatException e) {
        throw new AwsError("InvalidInputException", "Invalid NextToken " + request.get("NextToken"));
      }
    }
    int size = request.hasNonNull("MaxResults") ? request.get("MaxResults").asInt() : DEFAULT_PAGE_SIZE;
    if (size <= 0) {
      throw new AwsError("InvalidInputException", "MaxResults must be positive, got " + size);
    }
    int end = Math.min(all.size(), start + size);
    ObjectNode response = mapper.createObjectNode();
    ArrayNode list = response.putArray(listField);
    for (int i = Math.min(start, all.size()); i < end; i++) {
      list.add(all.get(i));
    }
    if (end < all.size()) {
      response.put("NextToken", Integer.toString(end));
    }
    return response;
  }

  private static Pattern expression(JsonNode request) {
    if (!request.hasNonNull("Expression") || request.get("Expression").asText().isEmpty()) {
      return null;
    }
    try {
      return Pattern.compile(request.get("Expression").asText(), Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new AwsError("InvalidInputException", "Invalid Expression: " + e.getMessage());
    }
  }

  private ObjectNode toJson(StoredDatabase database) {
    ObjectNode json = database.databaseInput().deepCopy();
    json.put("Name", database.name());
    json.set("CreateTime", epochSeconds(database.createTime()));
    json.put("CatalogId", database.catalogId());
    return json;
  }

  private ObjectNode toJson(StoredTable table) {
    ObjectNode json = table.tableInput().deepCopy();
    json.put("Name", table.name());
    json.put("DatabaseName", table.databaseName());
    json.set("CreateTime", epochSeconds(table.createTime()));
    json.set("UpdateTime", epochSeconds(table.updateTime()));
    json.put("CatalogId", table.catalogId());
    json.put("VersionId", table.versionId());
    json.put("IsRegisteredWithLakeFormation", false);
    return json;
  }

  private static JsonNode epochSeconds(Instant instant) {
    // the JSON 1.1 protocol carries timestamps as fractional epoch seconds
    return JsonNodeFactory.instance.numberNode(
        new BigDecimal(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano() / 1_000_000, 3)));
  }

  private static String catalogId(JsonNode request) {
    return request.hasNonNull("CatalogId") ? request.get("CatalogId").asText() : DEFAULT_CATALOG_ID;
  }

  private static ObjectNode requiredObject(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new AwsError("InvalidInputException", "Missing required object " + field);
    }
    return (ObjectNode) value;
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new AwsError("InvalidInputException", "Missing required field " + field);
    }
    return value.asText();
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private ObjectNode emptyResponse() {
    return mapper.createObjectNode();
  }

  /**
   * A database as the endpoint stores it: the {@code DatabaseInput} of the last create or update, as sent.
   *
   * @param name lower-case database name
   * @param catalogId the catalog (account) id it was created in
   * @param createTime when it was created
   * @param databaseInput the {@code DatabaseInput} JSON as sent by the client
   */
  public record StoredDatabase(String name, String catalogId, Instant createTime, ObjectNode databaseInput) {
    /** Copies the JSON so callers cannot change the stored state. */
    public StoredDatabase {
      databaseInput = databaseInput.deepCopy();
    }

    @Override
    public ObjectNode databaseInput() {
      return databaseInput.deepCopy();
    }

    /** The database's {@code LocationUri}, if set. */
    public Optional<String> locationUri() {
      return Optional.ofNullable(databaseInput.get("LocationUri")).map(JsonNode::asText);
    }

    /** The database's {@code Parameters}. */
    public Map<String, String> parameters() {
      return stringMap(databaseInput.get("Parameters"));
    }
  }

  /**
   * A table as the endpoint stores it: the {@code TableInput} of the last create or update, as sent, with Glue's
   * version bookkeeping.
   *
   * @param databaseName lower-case database name
   * @param name lower-case table name
   * @param catalogId the catalog (account) id it was created in
   * @param versionId Glue's version, {@code "1"} after create and incremented by each successful update
   * @param createTime when it was created
   * @param updateTime when it was last created or updated
   * @param tableInput the {@code TableInput} JSON as sent by the client
   */
  public record StoredTable(String databaseName, String name, String catalogId, String versionId, Instant createTime,
      Instant updateTime, ObjectNode tableInput) {
    /** Copies the JSON so callers cannot change the stored state. */
    public StoredTable {
      tableInput = tableInput.deepCopy();
    }

    @Override
    public ObjectNode tableInput() {
      return tableInput.deepCopy();
    }

    /** The table's {@code Parameters} (for Iceberg: {@code table_type}, {@code metadata_location}, ...). */
    public Map<String, String> parameters() {
      return stringMap(tableInput.get("Parameters"));
    }

    /** The {@code TableType} (Iceberg writes {@code EXTERNAL_TABLE}), if set. */
    public Optional<String> tableType() {
      return Optional.ofNullable(tableInput.get("TableType")).map(JsonNode::asText);
    }

    /** The {@code StorageDescriptor.Location}, if set. */
    public Optional<String> location() {
      return Optional.ofNullable(tableInput.path("StorageDescriptor").get("Location")).map(JsonNode::asText);
    }

    /** The {@code StorageDescriptor.Columns} as name to Hive type string, in order. */
    public Map<String, String> columns() {
      Map<String, String> columns = new LinkedHashMap<>();
      for (JsonNode column : tableInput.path("StorageDescriptor").path("Columns")) {
        columns.put(column.path("Name").asText(), column.path("Type").asText());
      }
      return Collections.unmodifiableMap(columns);
    }
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new TreeMap<>();
    if (node != null) {
      node.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
    }
    return Collections.unmodifiableMap(map);
  }
}
