package io.tributary.kafka.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tributary.core.FatalException;
import io.tributary.core.RetryableException;
import io.tributary.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema registry client over HTTPS with a configured trust store (certificate made by the JDK's keytool). */
class SchemaRegistryTlsTest {
  private static final Schema HEARTBEAT = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Heartbeat\",\"namespace\":\"io.debezium.connector.common\","
          + "\"fields\":[{\"name\":\"ts_ms\",\"type\":\"long\"}]}");

  @TempDir
  Path dir;

  private void keytool(String... args) throws IOException, InterruptedException {
    Path keytool = ProcessHandle.current().info().command().map(Path::of).map(p -> p.resolveSibling("keytool"))
        .filter(Files::isExecutable).orElse(null);
    assumeTrue(keytool != null, "no keytool next to the java executable; TLS test skipped");
    List<String> cmd = new java.util.ArrayList<>(List.of(keytool.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool %s: %s", List.of(args), out).isZero();
  }

  @Test
  void fetchesSchemasOverHttpsWithTheConfiguredTrustStore() throws Exception {
    Path keystore = dir.resolve("registry.p12");
    Path cert = dir.resolve("registry.pem");
    Path truststore = dir.resolve("trust.p12");
    keytool("-genkeypair", "-alias", "registry", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-keypass", "changeit");
    keytool("-exportcert", "-alias", "registry", "-rfc", "-file", cert.toString(), "-keystore", keystore.toString(),
        "-storetype", "PKCS12", "-storepass", "changeit");
    keytool("-importcert", "-noprompt", "-alias", "registry", "-file", cert.toString(), "-keystore",
        truststore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext("/schemas/ids/", exchange -> {
      byte[] body = Corpus.MAPPER.writeValueAsBytes(Map.of("schema", HEARTBEAT.toString()));
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    try {
      String url = "https://127.0.0.1:" + server.getAddress().getPort();
      byte[] value = heartbeat();
      RecordDecoder trusting = DebeziumDecoders.create(Settings.of(Map.of(
          "tributary.decoder.format", "avro",
          "tributary.decoder.schema-registry.url", url,
          "tributary.decoder.schema-registry.ssl.truststore.location", truststore.toString(),
          "tributary.decoder.schema-registry.ssl.truststore.password", "changeit")));
      DecodedRecord decoded = trusting.decode(Corpus.record("__debezium-heartbeat.pg", 0, 1, null, value,
          new RecordHeaders()));
      assertThat(decoded).isEqualTo(new DecodedRecord.Skipped(decoded.origin(), "heartbeat"));

      RecordDecoder untrusting = DebeziumDecoders.avro(url);
      assertThatThrownBy(() -> untrusting.decode(Corpus.record("__debezium-heartbeat.pg", 0, 2, null, value,
          new RecordHeaders())))
          .isInstanceOf(FatalException.class)
          .isNotInstanceOf(RetryableException.class)
          .hasMessageContaining("TLS");
    } finally {
      server.stop(0);
    }
  }

  private static byte[] heartbeat() throws IOException {
    GenericRecord r = new GenericData.Record(HEARTBEAT);
    r.put("ts_ms", 1L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(7).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<>(HEARTBEAT).write(r, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
