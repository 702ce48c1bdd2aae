package io.tributary.kafka.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * An in-JVM AWS Glue Schema Registry endpoint on loopback that speaks the Glue JSON 1.1 protocol, so tests can run
 * the registry's own serde library ({@code software.amazon.glue:schema-registry-serde}, through the real AWS SDK v2
 * Glue client) without an AWS account: its serializer registers schemas as an MSK producer does, and deserializers
 * fetch them back.
 *
 * <p>It serves {@code CreateSchema}, {@code GetSchemaByDefinition}, {@code RegisterSchemaVersion},
 * {@code GetSchemaVersion} and {@code PutSchemaVersionMetadata}, with the error types and messages the serde
 * library acts on ({@code EntityNotFoundException} "Schema is not found." / "Schema version is not found."), keeps
 * the registry in memory, counts requests per operation, and can fail the next requests of an operation. Requests
 * must be signed with {@link #ACCESS_KEY_ID} (see {@link TestCredentials}), so credentials that do not reach the
 * client fail the test. Use it as a JUnit 5 extension
 * ({@code @RegisterExtension static final GlueSchemaRegistryEndpoint GSR = GlueSchemaRegistryEndpoint.create();})
 * or as an {@link AutoCloseable} with {@link #start()}. Users of this test-jar class add
 * {@code software.amazon.glue:schema-registry-serde} (which brings the AWS SDK) as a test dependency.
 */
public final class GlueSchemaRegistryEndpoint implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  public static final String ACCESS_KEY_ID = "tributary-gsr-test-access-key";
  public static final String SECRET_ACCESS_KEY = "tributary-gsr-test-secret-key";
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "000000000000";

  private static final String TARGET_PREFIX = "AWSGlue.";
  private static final String JSON_CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";

  private final ObjectMapper mapper = new ObjectMapper();
  private final Object lock = new Object();
  // "registry/schema" -> schema; guarded by lock
  private final Map<String, StoredSchema> schemas = new LinkedHashMap<>();
  // schema version id -> version; guarded by lock
  private final Map<UUID, StoredVersion> versions = new LinkedHashMap<>();
  private final Map<String, AtomicLong> requestCounts = new ConcurrentHashMap<>();
  private final Map<String, Deque<String>> pendingFailures = new ConcurrentHashMap<>();

  private volatile HttpServer server;
  private ExecutorService executor;

  private GlueSchemaRegistryEndpoint() {}

  public static GlueSchemaRegistryEndpoint create() {
    return new GlueSchemaRegistryEndpoint();
  }

  /** A schema: its registry, name and data format, and its versions' ids in version order. */
  public record StoredSchema(String registryName, String schemaName, String dataFormat, List<UUID> versionIds) {
    String arn() {
      return "arn:aws:glue:" + REGION + ":" + ACCOUNT + ":schema/" + registryName + "/" + schemaName;
    }
  }

  /** One schema version: its id, number (from 1) and definition. */
  public record StoredVersion(UUID id, StoredSchema schema, long versionNumber, String definition) {}

  /**
   * The static credentials this endpoint accepts, as an AWS credentials provider that the decoder setting
   * {@code tributary.decoder.glue.credentials-provider} can name (it has a static {@code create()}).
   */
  public static final class TestCredentials implements AwsCredentialsProvider {
    private static final AwsCredentials CREDENTIALS = AwsBasicCredentials.create(ACCESS_KEY_ID, SECRET_ACCESS_KEY);

    public static TestCredentials create() {
      return new TestCredentials();
    }

    @Override
    public AwsCredentials resolveCredentials() {
      return CREDENTIALS;
    }
  }

  /** Starts listening on a random port of 127.0.0.1; returns this endpoint. Starting twice is an error. */
  public GlueSchemaRegistryEndpoint start() {
    synchronized (lock) {
      if (server != null) {
        throw new IllegalStateException("Glue Schema Registry endpoint already started at " + endpoint());
      }
      // without TCP_NODELAY each small response waits out the client's delayed ACK; read once per JVM
      if (System.getProperty(NO_DELAY_PROPERTY) == null) {
        System.setProperty(NO_DELAY_PROPERTY, "true");
      }
      try {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      } catch (IOException e) {
        throw new IllegalStateException("Cannot bind the Glue Schema Registry endpoint on loopback", e);
      }
      executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "gsr-endpoint");
        thread.setDaemon(true);
        return thread;
      });
      server.setExecutor(executor);
      server.createContext("/", this::handle);
      server.start();
      return this;
    }
  }

  /** The base URI to pass as the Glue endpoint override. */
  public URI endpoint() {
    HttpServer current = server;
    if (current == null) {
      throw new IllegalStateException("Glue Schema Registry endpoint not started");
    }
    return URI.create("http://127.0.0.1:" + current.getAddress().getPort());
  }

  /**
   * Registers a schema version directly, as another producer would have: creates the schema when it does not exist,
   * returns the existing version when the definition is already registered.
   */
  public UUID register(String registryName, String schemaName, String dataFormat, String definition) {
    synchronized (lock) {
      StoredSchema schema = schemas.computeIfAbsent(registryName + "/" + schemaName,
          ignored -> new StoredSchema(registryName, schemaName, dataFormat, new ArrayList<>()));
      return addVersion(schema, definition).id();
    }
  }

  /** The stored version with this id. */
  public Optional<StoredVersion> version(UUID id) {
    synchronized (lock) {
      return Optional.ofNullable(versions.get(id));
    }
  }

  /** How many requests for this operation (e.g. {@code "GetSchemaVersion"}) arrived, failed ones included. */
  public long requestCount(String operation) {
    AtomicLong count = requestCounts.get(operation);
    return count == null ? 0 : count.get();
  }

  /**
   * Makes the next request of this operation fail with this Glue error type (e.g. {@code "AccessDeniedException"})
   * without changing anything; {@code InternalServiceException} is answered with HTTP 500 like Glue, the others
   * with 400. Calls queue up: each one fails one request.
   */
  public void failNext(String operation, String errorType) {
    pendingFailures.computeIfAbsent(operation, ignored -> new ConcurrentLinkedDeque<>()).add(errorType);
  }

  /** Removes every schema, and resets request counts and injected faults. */
  public void reset() {
    synchronized (lock) {
      schemas.clear();
      versions.clear();
    }
    requestCounts.clear();
    pendingFailures.clear();
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
      if (authorization == null || !authorization.contains("Credential=" + ACCESS_KEY_ID + "/")) {
        respond(exchange, 400, error("UnrecognizedClientException",
            "The security token included in the request is invalid (expected access key " + ACCESS_KEY_ID + ")"));
        return;
      }
      JsonNode request;
      try (InputStream body = exchange.getRequestBody()) {
        byte[] bytes = body.readAllBytes();
        request = bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
      }
      try {
        Deque<String> failures = pendingFailures.get(operation);
        String injected = failures == null ? null : failures.poll();
        if (injected != null) {
          throw new GlueError(injected, "Injected failure of " + operation);
        }
        respond(exchange, 200, dispatch(operation, request));
      } catch (GlueError e) {
        respond(exchange, "InternalServiceException".equals(e.type) ? 500 : 400, error(e.type, e.getMessage()));
      }
    } catch (RuntimeException e) {
      respond(exchange, 500, error("InternalServiceException", String.valueOf(e)));
    }
  }

  private JsonNode dispatch(String operation, JsonNode request) {
    switch (operation) {
      case "CreateSchema":
        return createSchema(request);
      case "GetSchemaByDefinition":
        return getSchemaByDefinition(request);
      case "RegisterSchemaVersion":
        return registerSchemaVersion(request);
      case "GetSchemaVersion":
        return getSchemaVersion(request);
      case "PutSchemaVersionMetadata":
        return putSchemaVersionMetadata(request);
      default:
        throw new GlueError("UnknownOperationException",
            "Operation " + operation + " is not supported by the test Glue Schema Registry endpoint");
    }
  }

  private JsonNode createSchema(JsonNode request) {
    String registryName = request.path("RegistryId").path("RegistryName").asText("default-registry");
    String schemaName = required(request, "SchemaName");
    String dataFormat = required(request, "DataFormat");
    String definition = required(request, "SchemaDefinition");
    synchronized (lock) {
      String key = registryName + "/" + schemaName;
      if (schemas.containsKey(key)) {
        throw new GlueError("AlreadyExistsException", "Schema already exists: " + key);
      }
      StoredSchema schema = new StoredSchema(registryName, schemaName, dataFormat, new ArrayList<>());
      schemas.put(key, schema);
      StoredVersion version = addVersion(schema, definition);
      ObjectNode response = schemaJson(schema);
      response.put("DataFormat", dataFormat);
      response.put("SchemaStatus", "AVAILABLE");
      response.put("SchemaVersionId", version.id().toString());
      response.put("SchemaVersionStatus", "AVAILABLE");
      response.put("LatestSchemaVersion", version.versionNumber());
      response.put("NextSchemaVersion", version.versionNumber() + 1);
      return response;
    }
  }

  private JsonNode getSchemaByDefinition(JsonNode request) {
    String definition = required(request, "SchemaDefinition");
    synchronized (lock) {
      StoredSchema schema = existingSchema(request.path("SchemaId"));
      for (UUID id : schema.versionIds()) {
        StoredVersion version = versions.get(id);
        if (version.definition().equals(definition)) {
          ObjectNode response = mapper.createObjectNode();
          response.put("SchemaVersionId", id.toString());
          response.put("SchemaArn", schema.arn());
          response.put("DataFormat", schema.dataFormat());
          response.put("Status", "AVAILABLE");
          return response;
        }
      }
      throw new GlueError("EntityNotFoundException", "Schema version is not found.");
    }
  }

  private JsonNode registerSchemaVersion(JsonNode request) {
    String definition = required(request, "SchemaDefinition");
    synchronized (lock) {
      StoredVersion version = addVersion(existingSchema(request.path("SchemaId")), definition);
      ObjectNode response = mapper.createObjectNode();
      response.put("SchemaVersionId", version.id().toString());
      response.put("VersionNumber", version.versionNumber());
      response.put("Status", "AVAILABLE");
      return response;
    }
  }

  private JsonNode getSchemaVersion(JsonNode request) {
    String text = required(request, "SchemaVersionId");
    synchronized (lock) {
      StoredVersion version;
      try {
        version = versions.get(UUID.fromString(text));
      } catch (IllegalArgumentException e) {
        throw new GlueError("InvalidInputException", "SchemaVersionId is not a UUID: " + text);
      }
      if (version == null) {
        throw new GlueError("EntityNotFoundException", "Schema version is not found.");
      }
      ObjectNode response = mapper.createObjectNode();
      response.put("SchemaVersionId", version.id().toString());
      response.put("SchemaDefinition", version.definition());
      response.put("DataFormat", version.schema().dataFormat());
      response.put("SchemaArn", version.schema().arn());
      response.put("VersionNumber", version.versionNumber());
      response.put("Status", "AVAILABLE");
      return response;
    }
  }

  private JsonNode putSchemaVersionMetadata(JsonNode request) {
    String text = required(request, "SchemaVersionId");
    synchronized (lock) {
      StoredVersion version = versions.get(UUID.fromString(text));
      if (version == null) {
        throw new GlueError("EntityNotFoundException", "Schema version is not found.");
      }
      ObjectNode response = schemaJson(version.schema());
      response.put("SchemaVersionId", text);
      response.put("VersionNumber", version.versionNumber());
      response.put("MetadataKey", request.path("MetadataKeyValue").path("MetadataKey").asText());
      response.put("MetadataValue", request.path("MetadataKeyValue").path("MetadataValue").asText());
      return response;
    }
  }

  // guarded by lock
  private StoredVersion addVersion(StoredSchema schema, String definition) {
    for (UUID id : schema.versionIds()) {
      StoredVersion existing = versions.get(id);
      if (existing.definition().equals(definition)) {
        return existing;
      }
    }
    StoredVersion version = new StoredVersion(UUID.randomUUID(), schema, schema.versionIds().size() + 1L, definition);
    schema.versionIds().add(version.id());
    versions.put(version.id(), version);
    return version;
  }

  // guarded by lock
  private StoredSchema existingSchema(JsonNode schemaId) {
    String registryName = schemaId.path("RegistryName").asText("default-registry");
    String schemaName = schemaId.path("SchemaName").asText(null);
    StoredSchema schema = schemaName == null ? null : schemas.get(registryName + "/" + schemaName);
    if (schema == null) {
      throw new GlueError("EntityNotFoundException", "Schema is not found.");
    }
    return schema;
  }

  private ObjectNode schemaJson(StoredSchema schema) {
    ObjectNode json = mapper.createObjectNode();
    json.put("RegistryName", schema.registryName());
    json.put("RegistryArn", "arn:aws:glue:" + REGION + ":" + ACCOUNT + ":registry/" + schema.registryName());
    json.put("SchemaName", schema.schemaName());
    json.put("SchemaArn", schema.arn());
    return json;
  }

  private static String required(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || !value.isTextual()) {
      throw new GlueError("InvalidInputException", field + " is required");
    }
    return value.asText();
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
    if (status != 200) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", body.get("__type").asText());
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A Glue error response: the SDK maps {@code type} to the modelled exception class. */
  private static final class GlueError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String type;

    GlueError(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }
}
