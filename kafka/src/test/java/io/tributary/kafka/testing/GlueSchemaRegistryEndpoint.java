package io.tributary.kafka.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.testing.AwsJsonEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
public final class GlueSchemaRegistryEndpoint extends AwsJsonEndpoint {
  public static final String ACCESS_KEY_ID = "tributary-gsr-test-access-key";
  public static final String SECRET_ACCESS_KEY = "tributary-gsr-test-secret-key";
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "000000000000";


  // "registry/schema" -> schema; guarded by lock
  private final Map<String, StoredSchema> schemas = new LinkedHashMap<>();
  // schema version id -> version; guarded by lock
  private final Map<UUID, StoredVersion> versions = new LinkedHashMap<>();


  private GlueSchemaRegistryEndpoint() {
    super("Glue Schema Registry", "AWSGlue.", ACCESS_KEY_ID, 2);
  }

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

  /** Starts listening on a random port of 127.0.0.1; returns this endpoint. Starting twice is an error. */
  public GlueSchemaRegistryEndpoint start() {
    startServer();
    return this;
  }

  /** The stored version with this id. */
  public Optional<StoredVersion> version(UUID id) {
    synchronized (lock) {
      return Optional.ofNullable(versions.get(id));
    }
  }

  /** Removes every schema, and resets request counts and injected faults. */
  public void reset() {
    synchronized (lock) {
      schemas.clear();
      versions.clear();
    }
    resetRequests();
  }

  @Override
  protected JsonNode dispatch(String operation, JsonNode request) {
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
        throw new AwsError("UnknownOperationException",
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
        throw new AwsError("AlreadyExistsException", "Schema already exists: " + key);
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
      throw new AwsError("EntityNotFoundException", "Schema version is not found.");
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
        throw new AwsError("InvalidInputException", "SchemaVersionId is not a UUID: " + text);
      }
      if (version == null) {
        throw new AwsError("EntityNotFoundException", "Schema version is not found.");
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
        throw new AwsError("EntityNotFoundException", "Schema version is not found.");
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
      throw new AwsError("EntityNotFoundException", "Schema is not found.");
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
      throw new AwsError("InvalidInputException", field + " is required");
    }
    return value.asText();
  }

}
