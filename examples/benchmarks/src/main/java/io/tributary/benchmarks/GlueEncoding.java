package io.tributary.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.benchmarks.CustomersData.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The records of {@link AvroEncoding} in the AWS Glue Schema Registry's wire format (header version byte 3,
 * compression byte 0, the 16-byte schema version id, then the same Avro binary datum), with a loopback Glue
 * endpoint that answers the one call the decoder makes, {@code GetSchemaVersion}, for the key and value versions.
 */
public final class GlueEncoding implements AutoCloseable {
  static final String REGION = "us-east-1";
  static final UUID KEY_VERSION = UUID.fromString("7d6a1f3e-0b8c-4e55-9a43-2f1b6c9d0e11");
  static final UUID VALUE_VERSION = UUID.fromString("c2e4b8a0-5f19-4d7e-8b36-91a0d4e7f222");
  private static final int CONFLUENT_HEADER = 5;

  private final AvroEncoding avro;
  private final HttpServer glue;
  private final ObjectMapper mapper = new ObjectMapper();

  /** Starts the loopback Glue endpoint serving the key and value schema versions. */
  public GlueEncoding(AvroEncoding avro) {
    this.avro = avro;
    Map<UUID, Schema> versions = Map.of(KEY_VERSION, AvroEncoding.KEY, VALUE_VERSION, AvroEncoding.ENVELOPE);
    try {
      glue = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    glue.createContext("/", exchange -> answer(exchange, versions));
    glue.start();
  }

  private void answer(HttpExchange exchange, Map<UUID, Schema> versions) throws IOException {
    JsonNode request = mapper.readTree(exchange.getRequestBody());
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    UUID id = UUID.fromString(request.path("SchemaVersionId").asText(UUID.randomUUID().toString()));
    Schema schema = "AWSGlue.GetSchemaVersion".equals(target) ? versions.get(id) : null;
    ObjectNode body = mapper.createObjectNode();
    if (schema == null) {
      body.put("__type", "EntityNotFoundException");
      body.put("message", "Schema version is not found.");
    } else {
      body.put("SchemaVersionId", id.toString());
      body.put("SchemaDefinition", schema.toString());
      body.put("DataFormat", "AVRO");
      body.put("SchemaArn", "arn:aws:glue:" + REGION + ":000000000000:schema/benchmarks/" + schema.getName());
      body.put("VersionNumber", 1);
      body.put("Status", "AVAILABLE");
    }
    byte[] bytes = mapper.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
    exchange.sendResponseHeaders(schema == null ? 400 : 200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The Glue API endpoint to configure as {@code tributary.decoder.glue.endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + glue.getAddress().getPort();
  }

  public byte[] key(Event e) {
    return reframe(KEY_VERSION, avro.key(e));
  }

  public byte[] value(Event e) {
    return reframe(VALUE_VERSION, avro.value(e));
  }

  private static byte[] reframe(UUID version, byte[] confluent) {
    ByteBuffer out = ByteBuffer.allocate(18 + confluent.length - CONFLUENT_HEADER);
    out.put((byte) 3).put((byte) 0).putLong(version.getMostSignificantBits()).putLong(version.getLeastSignificantBits());
    out.put(confluent, CONFLUENT_HEADER, confluent.length - CONFLUENT_HEADER);
    return out.array();
  }

  @Override
  public void close() {
    glue.stop(0);
  }

  /** Static credentials for the loopback endpoint, named by {@code tributary.decoder.glue.credentials-provider}. */
  public static final class Credentials implements AwsCredentialsProvider {
    public static Credentials create() {
      return new Credentials();
    }

    @Override
    public AwsCredentials resolveCredentials() {
      return AwsBasicCredentials.create("benchmark", "benchmark");
    }
  }
}
