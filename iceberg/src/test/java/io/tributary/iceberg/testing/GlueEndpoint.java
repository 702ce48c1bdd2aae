package io.tributary.iceberg.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
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
public final class GlueEndpoint implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

  /** The account id reported as {@code CatalogId} when a request names none, as Glue reports the caller's. */
  public static final String DEFAULT_CATALOG_ID = "000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(GlueEndpoint.class);
  private static final String TARGET_PREFIX = "AWSGlue.";
  private static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final int DEFAULT_PAGE_SIZE = 100;
  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final ObjectMapper mapper = new ObjectMapper();
  private final String requiredAccessKeyId;
  private final Object lock = new Object();
  // database name -> database; guarded by lock
  private final Map<String, StoredDatabase> databases = new TreeMap<>();
  // database name -> (table name -> table); guarded by lock
  private final Map<String, Map<String, StoredTable>> tables = new TreeMap<>();
  private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
  // operation -> error types to answer the next requests with, before (failures) or after (lost responses) applying
  private final Map<String, Deque<String>> pendingFailures = new ConcurrentHashMap<>();
  private final Map<String, Deque<String>> pendingLostResponses = new ConcurrentHashMap<>();

  private volatile HttpServer server;
  private ExecutorService executor;

  private GlueEndpoint(String requiredAccessKeyId) {
    this.requiredAccessKeyId = requiredAccessKeyId;
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

  /** Starts listening on a random port of 127.0.0.1; returns this endpoint. Starting twice is an error. */
  public GlueEndpoint start() {
    synchronized (lock) {
      if (server != null) {
        throw new IllegalStateException("Glue endpoint already started at " + endpoint());
      }
      // without TCP_NODELAY each small response waits out the client's delayed ACK (~40 ms a call); the JDK server
      // reads this property once, so it must be set before the first server of the JVM starts
      if (System.getProperty(NO_DELAY_PROPERTY) == null) {
        System.setProperty(NO_DELAY_PROPERTY, "true");
      }
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot bind the Glue endpoint on loopback", e);
      }
      executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "glue-endpoint");
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
      LOG.info("Glue endpoint listening at {}", endpoint());
      return this;
    }
  }

  /** The base URI to pass as {@code glue.endpoint} or to {@code GlueClient.builder().endpointOverride(...)}. */
  public URI endpoint() {
    HttpServer current = server;
    if (current == null) {
      throw new IllegalStateException("Glue endpoint not started");
    }
    return URI.create("http://127.0.0.1:" + current.getAddress().getPort());
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

  /** How many requests for this operation (e.g. {@code "UpdateTable"}) arrived, failed ones included. */
  public long requestCount(String operation) {
    AtomicLong count = requestCounts.get(operation);
    return count == null ? 0 : count.get();
  }

  /**
   * Makes the next {@code UpdateTable} request (of any table) fail with {@code ConcurrentModificationException}
   * without changing anything, as Glue does when another writer updated the table in between.
   */
  public void failNextUpdateTableWithConcurrentModification() {
    failNext("UpdateTable", "ConcurrentModificationException");
  }

  /**
   * Makes the next request of this operation (e.g. {@code "GetTable"}) fail with this Glue error type (e.g.
   * {@code "AccessDeniedException"}) without changing anything. {@code InternalServiceException} and
   * {@code ThrottlingException} are answered with HTTP 500 and 400 like Glue, and the SDK retries them by itself.
   * Calls queue up: each one fails one request.
   */
  public void failNext(String operation, String errorType) {
    pendingFailures.computeIfAbsent(operation, ignored -> new ConcurrentLinkedDeque<>()).add(errorType);
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
    requestCounts.clear();
    pendingFailures.clear();
    pendingLostResponses.clear();
  }

  /** Stops the server; stored state stays inspectable. */
  @Override
  public void close() {
    synchronized (lock) {
      if (server != null) {
        server.stop(0);
        executor.shutdownNow();
        server = null;
        executor = null;
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)) {
        respond(exchange, 400, error("UnknownOperationException",
            "Expected POST with X-Amz-Target AWSGlue.<Operation>, got " + exchange.getRequestMethod() + " " + target));
        return;
      }
      String operation = target.substring(TARGET_PREFIX.length());
      requestCounts.computeIfAbsent(operation, ignored -> new AtomicLong()).incrementAndGet();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (requiredAccessKeyId != null
          && (authorization == null || !authorization.contains("Credential=" + requiredAccessKeyId + "/"))) {
        respond(exchange, 400, error("UnrecognizedClientException",
            "The security token included in the request is invalid (expected access key " + requiredAccessKeyId + ")"));
        return;
      }
      JsonNode request;
      try (InputStream body = exchange.getRequestBody()) {
        byte[] bytes = body.readAllBytes();
        request = bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
      }
      JsonNode response;
      try {
        String injected = poll(pendingFailures, operation);
        if (injected != null) {
          throw new GlueError(injected, "Injected failure of " + operation);
        }
        response = dispatch(operation, request);
        String lost = poll(pendingLostResponses, operation);
        if (lost != null) {
          throw new GlueError(lost, "Injected failure after applying " + operation);
        }
      } catch (GlueError e) {
        LOG.debug("Glue {} failed: {} {}", operation, e.type, e.getMessage());
        respond(exchange, "InternalServiceException".equals(e.type) ? 500 : 400, error(e.type, e.getMessage()));
        return;
      }
      respond(exchange, 200, response);
    } catch (RuntimeException e) {
      LOG.error("Glue endpoint failed on {}", exchange.getRequestHeaders().getFirst("X-Amz-Target"), e);
      respond(exchange, 500, error("InternalServiceException", String.valueOf(e)));
    }
  }

  private JsonNode dispatch(String operation, JsonNode request) {
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
        throw new GlueError("UnknownOperationException",
            "Operation " + operation + " is not supported by the test Glue endpoint");
    }
  }

  private JsonNode createDatabase(JsonNode request) {
    ObjectNode input = requiredObject(request, "DatabaseInput");
    String name = normalize(requiredText(input, "Name"));
    synchronized (lock) {
      if (databases.containsKey(name)) {
        throw new GlueError("AlreadyExistsException", "Database already exists: " + name);
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
      throw new GlueError("InvalidInputException", "Renaming databases is not supported: " + name + " -> " + newName);
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
        throw new GlueError("AlreadyExistsException", "Table already exists: " + databaseName + "." + tableName);
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
        throw new GlueError("ConcurrentModificationException", "Table " + databaseName + "." + tableName
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

  private static String poll(Map<String, Deque<String>> pending, String operation) {
    Deque<String> queue = pending.get(operation);
    return queue == null ? null : queue.poll();
  }

  private StoredDatabase existingDatabase(String name) {
    StoredDatabase database = databases.get(name);
    if (database == null) {
      throw new GlueError("EntityNotFoundException", "Database " + name + " not found.");
    }
    return database;
  }

  private StoredTable existingTable(String databaseName, String tableName) {
    existingDatabase(databaseName);
    StoredTable table = tables.get(databaseName).get(tableName);
    if (table == null) {
      throw new GlueError("EntityNotFoundException",
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
        throw new GlueError("InvalidInputException", "Invalid NextToken " + request.get("NextToken"));
      }
    }
    int size = request.hasNonNull("MaxResults") ? request.get("MaxResults").asInt() : DEFAULT_PAGE_SIZE;
    if (size <= 0) {
      throw new GlueError("InvalidInputException", "MaxResults must be positive, got " + size);
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
      throw new GlueError("InvalidInputException", "Invalid Expression: " + e.getMessage());
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
      throw new GlueError("InvalidInputException", "Missing required object " + field);
    }
    return (ObjectNode) value;
  }

  private static String requiredText(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new GlueError("InvalidInputException", "Missing required field " + field);
    }
    return value.asText();
  }

  private static String normalize(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  private ObjectNode emptyResponse() {
    return mapper.createObjectNode();
  }

  private ObjectNode error(String type, String message) {
    ObjectNode json = mapper.createObjectNode();
    json.put("__type", type);
    json.put("message", message);
    return json;
  }

  private void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", JSON_CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    if (status != 200 && body.has("__type")) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", body.get("__type").asText());
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A Glue error response: the SDK maps {@code type} to the modelled exception class. */
  private static final class GlueError extends RuntimeException {
    private final String type;

    GlueError(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
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
