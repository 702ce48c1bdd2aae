package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.FatalException;
import io.tributary.core.RetryableException;
import io.tributary.kafka.decode.DecoderConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * Fetches Avro writer schemas by id from a Confluent-compatible schema registry
 * ({@code GET /schemas/ids/{id}}) with the JDK {@link HttpClient}, and caches them forever (a schema id never
 * changes its schema). Unreachable registries and 5xx answers are {@link RetryableException}s; a missing id or
 * rejected credentials are fatal.
 */
public final class SchemaRegistryClient {
  private final ObjectMapper mapper = new ObjectMapper();
  private final HttpClient http;
  private final String baseUrl;
  private final String authorization;
  private final Duration timeout;
  private final ConcurrentHashMap<Integer, Schema> schemas = new ConcurrentHashMap<>();

  public SchemaRegistryClient(DecoderConfig config) {
    String url = config.schemaRegistryUrl();
    this.baseUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.timeout = Duration.ofMillis(config.schemaRegistryTimeoutMs());
    String userInfo = config.schemaRegistryUserInfo();
    this.authorization = userInfo == null || userInfo.isEmpty() ? null
        : "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
    if (config.schemaRegistryTruststoreLocation() != null) {
      builder.sslContext(sslContext(config));
    }
    this.http = builder.build();
  }

  private static SSLContext sslContext(DecoderConfig config) {
    Path path = Path.of(config.schemaRegistryTruststoreLocation());
    String password = config.schemaRegistryTruststorePassword();
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore store = KeyStore.getInstance(config.schemaRegistryTruststoreType());
      store.load(in, password == null ? null : password.toCharArray());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot load the schema registry trust store " + path + ": " + e.getMessage(), e);
    }
  }

  /** The writer schema with this id. */
  public Schema schema(int id) {
    Schema cached = schemas.get(id);
    if (cached != null) {
      return cached;
    }
    Schema fetched = fetch(id);
    Schema previous = schemas.putIfAbsent(id, fetched);
    return previous != null ? previous : fetched;
  }

  private Schema fetch(int id) {
    URI uri = URI.create(baseUrl + "/schemas/ids/" + id);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (javax.net.ssl.SSLException e) {
      // a certificate the trust store does not accept will not start being accepted by retrying
      throw new FatalException("TLS connection to schema registry " + uri + " failed: " + e.getMessage()
          + "; check " + DecoderConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.name(), e);
    } catch (IOException e) {
      if (e.getCause() instanceof javax.net.ssl.SSLException ssl) {
        throw new FatalException("TLS connection to schema registry " + uri + " failed: " + ssl.getMessage()
            + "; check " + DecoderConfig.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.name(), e);
      }
      throw new RetryableException("schema registry " + uri + " is unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("interrupted while fetching schema " + id + " from " + uri, e);
    }
    int status = response.statusCode();
    if (status == 401 || status == 403) {
      throw new FatalException("schema registry " + uri + " rejected the credentials (HTTP " + status
          + "); check " + DecoderConfig.SCHEMA_REGISTRY_USER_INFO.name(), null);
    }
    if (status == 404) {
      throw new DecodeException("schema id " + id + " does not exist in the schema registry " + baseUrl);
    }
    if (status == 429 || status >= 500) {
      throw new RetryableException("schema registry " + uri + " answered HTTP " + status + ": " + response.body());
    }
    if (status != 200) {
      throw new FatalException("schema registry " + uri + " answered HTTP " + status + ": " + response.body(), null);
    }
    try {
      JsonNode body = mapper.readTree(response.body());
      String type = body.path("schemaType").asText("AVRO");
      if (!type.equals("AVRO")) {
        throw new DecodeException("schema id " + id + " is a " + type + " schema, not Avro");
      }
      return new Schema.Parser().parse(body.path("schema").asText());
    } catch (IOException | SchemaParseException e) {
      throw new DecodeException("schema id " + id + " from " + baseUrl + " is not a valid Avro schema: "
          + e.getMessage(), e);
    }
  }
}
