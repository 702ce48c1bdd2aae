package io.tributary.kafka.decode.internal;

import com.amazonaws.services.schemaregistry.common.configs.GlueSchemaRegistryConfiguration;
import com.amazonaws.services.schemaregistry.deserializers.GlueSchemaRegistryDeserializationFacade;
import com.amazonaws.services.schemaregistry.deserializers.GlueSchemaRegistryDeserializerDataParser;
import com.amazonaws.services.schemaregistry.exception.AWSSchemaRegistryException;
import com.amazonaws.services.schemaregistry.utils.AWSSchemaRegistryConstants;
import io.tributary.core.FatalException;
import io.tributary.core.RetryableException;
import io.tributary.kafka.decode.DecoderConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.glue.model.DataFormat;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;

/**
 * The AWS Glue Schema Registry's wire format, read with the registry's own serde library: its data parser checks
 * the header (version byte 3, compression byte 0 or 5, the 16-byte schema version id), zlib bodies are inflated with
 * the JDK's {@link Inflater}, and the library's deserialization facade fetches writer schemas by schema version id
 * through the AWS SDK Glue client ({@code GetSchemaVersion}) and caches them. Registry failures become decode failures by cause: an unknown schema
 * version spoils only its record, an unreachable or throttling registry is retryable, rejected credentials are fatal.
 */
final class GlueWireFormat implements AvroWireFormat {
  private static final int HEADER_LENGTH = AWSSchemaRegistryConstants.HEADER_VERSION_BYTE_SIZE
      + AWSSchemaRegistryConstants.COMPRESSION_BYTE_SIZE + AWSSchemaRegistryConstants.SCHEMA_VERSION_ID_SIZE;

  private final GlueSchemaRegistryDeserializationFacade facade;
  private final GlueSchemaRegistryDeserializerDataParser parser = GlueSchemaRegistryDeserializerDataParser.getInstance();
  private final String registry;

  private GlueWireFormat(GlueSchemaRegistryDeserializationFacade facade, String registry) {
    this.facade = facade;
    this.registry = registry;
  }

  static GlueWireFormat create(DecoderConfig config) {
    Map<String, Object> settings = new HashMap<>();
    if (config.glueRegion() != null) {
      settings.put(AWSSchemaRegistryConstants.AWS_REGION, config.glueRegion());
    }
    if (config.glueEndpoint() != null) {
      settings.put(AWSSchemaRegistryConstants.AWS_ENDPOINT, config.glueEndpoint());
    }
    settings.put(AWSSchemaRegistryConstants.CACHE_SIZE, String.valueOf(config.glueCacheSize()));
    settings.put(AWSSchemaRegistryConstants.USER_AGENT_APP, "tributary");
    GlueSchemaRegistryConfiguration glue;
    try {
      glue = new GlueSchemaRegistryConfiguration(settings);
    } catch (AWSSchemaRegistryException e) {
      throw new IllegalArgumentException("cannot configure the AWS Glue Schema Registry client: " + e.getMessage()
          + (config.glueRegion() == null ? "; set " + DecoderConfig.GLUE_REGION.name() : ""), e);
    }
    GlueSchemaRegistryDeserializationFacade facade =
        new GlueSchemaRegistryDeserializationFacade(glue, credentials(config.glueCredentialsProvider()));
    String registry = "the AWS Glue Schema Registry in " + glue.getRegion()
        + (config.glueEndpoint() == null ? "" : " at " + config.glueEndpoint());
    return new GlueWireFormat(facade, registry);
  }

  private static AwsCredentialsProvider credentials(String className) {
    if (className == null || className.isBlank()) {
      return DefaultCredentialsProvider.builder().build();
    }
    String key = DecoderConfig.GLUE_CREDENTIALS_PROVIDER.name();
    try {
      Class<?> type = Class.forName(className.trim(), true, GlueWireFormat.class.getClassLoader());
      if (!AwsCredentialsProvider.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(key + ": " + className + " is not an AwsCredentialsProvider");
      }
      Method create = staticCreate(type);
      return (AwsCredentialsProvider) (create != null ? create.invoke(null) : type.getConstructor().newInstance());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(key + ": class " + className + " not found", e);
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(key + ": " + className + " has neither a static create() nor a public"
          + " no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(key + ": creating " + className + " failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(key + ": cannot create " + className + ": " + e, e);
    }
  }

  private static Method staticCreate(Class<?> type) {
    try {
      Method create = type.getMethod("create");
      return Modifier.isStatic(create.getModifiers()) ? create : null;
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  @Override
  public boolean matches(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER_LENGTH && bytes[0] == AWSSchemaRegistryConstants.HEADER_VERSION_BYTE;
  }

  @Override
  public Framed frame(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    StringBuilder problem = new StringBuilder();
    if (!parser.isDataCompatible(buffer, problem)) {
      throw new DecodeException("not in the AWS Glue Schema Registry wire format: " + problem + " ("
          + header(bytes) + "; expected header version byte 3, compression byte 0 (none) or 5 (zlib) and a 16-byte"
          + " schema version id)");
    }
    UUID schemaVersionId = parser.getSchemaVersionId(buffer);
    if (bytes[1] == AWSSchemaRegistryConstants.COMPRESSION_BYTE) {
      return new Framed(schemaVersionId, bytes, inflate(bytes, schemaVersionId), 0);
    }
    return new Framed(schemaVersionId, bytes, bytes, HEADER_LENGTH);
  }

  /**
   * Inflates a zlib body with the JDK rather than the library's parser: on bad input that one loops forever
   * (truncated streams: it waits for input that never comes) or throws a {@link NoClassDefFoundError} (its
   * sneaky rethrow needs Lombok at run time).
   */
  private static byte[] inflate(byte[] bytes, UUID schemaVersionId) {
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
      ByteArrayOutputStream out = new ByteArrayOutputStream(4 * bytes.length);
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int inflated = inflater.inflate(buffer);
        if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new DecodeException("the zlib-compressed datum of schema version " + schemaVersionId
              + " is truncated");
        }
        out.write(buffer, 0, inflated);
      }
      if (inflater.getRemaining() > 0) {
        throw new DecodeException("the zlib-compressed datum of schema version " + schemaVersionId + " has "
            + inflater.getRemaining() + " trailing bytes");
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new DecodeException("cannot inflate the zlib-compressed datum of schema version " + schemaVersionId
          + ": " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static String header(byte[] bytes) {
    if (bytes.length < 2) {
      return bytes.length + " bytes";
    }
    return bytes.length + " bytes, header version byte " + bytes[0] + ", compression byte " + bytes[1];
  }

  @Override
  public Schema schema(Framed framed) {
    com.amazonaws.services.schemaregistry.common.Schema version;
    try {
      version = facade.getSchema(framed.record());
    } catch (AWSSchemaRegistryException e) {
      throw translate(e, framed.schemaId());
    }
    if (!DataFormat.AVRO.toString().equals(version.getDataFormat())) {
      throw new DecodeException("schema version " + framed.schemaId() + " (" + version.getSchemaName() + ") is a "
          + version.getDataFormat() + " schema, not Avro");
    }
    try {
      return new Schema.Parser().parse(version.getSchemaDefinition());
    } catch (SchemaParseException e) {
      throw new DecodeException("schema version " + framed.schemaId() + " (" + version.getSchemaName()
          + ") is not a valid Avro schema: " + e.getMessage(), e);
    }
  }

  private RuntimeException translate(AWSSchemaRegistryException e, Object schemaVersionId) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof EntityNotFoundException) {
        return new DecodeException("schema version " + schemaVersionId + " does not exist in " + registry, e);
      }
      if (cause instanceof AwsServiceException service) {
        String answer = registry + " answered HTTP " + service.statusCode() + " "
            + service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        if (service.statusCode() >= 500 || service.isThrottlingException()) {
          return new RetryableException("cannot fetch schema version " + schemaVersionId + ": " + answer, e);
        }
        return new FatalException("cannot fetch schema version " + schemaVersionId + ": " + answer + "; check the"
            + " credentials (" + DecoderConfig.GLUE_CREDENTIALS_PROVIDER.name() + ") and their permission for"
            + " glue:GetSchemaVersion", e);
      }
      if (cause instanceof SdkClientException client) {
        if (hasCause(client, IOException.class)) {
          return new RetryableException("cannot fetch schema version " + schemaVersionId + ": " + registry
              + " is unreachable: " + client.getMessage(), e);
        }
        // no answer and no I/O failure: the client could not even send the request, e.g. it found no credentials
        return new FatalException("cannot fetch schema version " + schemaVersionId + " from " + registry + ": "
            + client.getMessage(), e);
      }
    }
    return new DecodeException("cannot fetch schema version " + schemaVersionId + " from " + registry + ": "
        + e.getMessage(), e);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String describe(Object schemaId) {
    return "schema version " + schemaId;
  }
}
