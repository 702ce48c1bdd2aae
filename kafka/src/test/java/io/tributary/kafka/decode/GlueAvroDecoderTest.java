package io.tributary.kafka.decode;

import static io.tributary.kafka.decode.AvroRecords.envelope;
import static io.tributary.kafka.decode.AvroRecords.key;
import static io.tributary.kafka.decode.AvroRecords.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.schemaregistry.serializers.GlueSchemaRegistryKafkaSerializer;
import com.amazonaws.services.schemaregistry.utils.AWSSchemaRegistryConstants;
import io.tributary.core.ChangeEvent;
import io.tributary.core.FatalException;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.Unavailable;
import io.tributary.core.config.Settings;
import io.tributary.kafka.testing.GlueSchemaRegistryEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Avro through the AWS Glue Schema Registry: records serialized by the registry's own Kafka serializer (as an MSK
 * producer or the Glue Kafka Connect converter writes them, uncompressed and zlib-compressed) against a loopback
 * Glue endpoint, decoded by the {@code glue-avro} decoder that {@link DebeziumDecoders#create} picks from settings.
 */
class GlueAvroDecoderTest {
  @RegisterExtension
  static final GlueSchemaRegistryEndpoint GSR = GlueSchemaRegistryEndpoint.create();

  private static final String TOPIC = "pg.inventory.customers";
  private static final String REGISTRY = "tributary-test";

  @BeforeEach
  void resetRegistry() {
    GSR.reset();
  }

  private static Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>();
    settings.put("tributary.decoder.format", "glue-avro");
    settings.put("tributary.decoder.glue.region", GlueSchemaRegistryEndpoint.REGION);
    settings.put("tributary.decoder.glue.endpoint", GSR.endpoint().toString());
    settings.put("tributary.decoder.glue.credentials-provider",
        GlueSchemaRegistryEndpoint.TestCredentials.class.getName());
    return settings;
  }

  private static RecordDecoder decoder() {
    return DebeziumDecoders.create(Settings.of(settings()));
  }

  /** The registry's Kafka serializer, auto-registering {@code schemaName} in the test registry. */
  private static GlueSchemaRegistryKafkaSerializer serializer(String schemaName, String compression, boolean isKey) {
    Map<String, Object> configs = new HashMap<>();
    configs.put(AWSSchemaRegistryConstants.AWS_ENDPOINT, GSR.endpoint().toString());
    configs.put(AWSSchemaRegistryConstants.AWS_REGION, GlueSchemaRegistryEndpoint.REGION);
    configs.put(AWSSchemaRegistryConstants.REGISTRY_NAME, REGISTRY);
    configs.put(AWSSchemaRegistryConstants.SCHEMA_NAME, schemaName);
    configs.put(AWSSchemaRegistryConstants.DATA_FORMAT, "AVRO");
    configs.put(AWSSchemaRegistryConstants.SCHEMA_AUTO_REGISTRATION_SETTING, "true");
    configs.put(AWSSchemaRegistryConstants.COMPRESSION_TYPE, compression);
    GlueSchemaRegistryKafkaSerializer serializer =
        new GlueSchemaRegistryKafkaSerializer(GlueSchemaRegistryEndpoint.TestCredentials.create(), null, null);
    serializer.configure(configs, isKey);
    return serializer;
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] key, byte[] value) {
    return Corpus.record(TOPIC, 0, offset, key, value, new RecordHeaders());
  }

  @ParameterizedTest
  @ValueSource(strings = {"NONE", "ZLIB"})
  void decodesEnvelopesWrittenByTheGlueSerializerAndFetchesEachSchemaVersionOnce(String compression) {
    GlueSchemaRegistryKafkaSerializer keys = serializer(TOPIC + "-key", compression, true);
    GlueSchemaRegistryKafkaSerializer values = serializer(TOPIC + "-value", compression, false);
    RecordDecoder decoder = decoder();
    ByteBuffer avatar = ByteBuffer.wrap(new byte[] {0, (byte) 0xFF, 1, 0x7F, (byte) 0x80});

    byte[] insertValue = values.serialize(TOPIC, envelope("c", null, row(1, "hello", avatar)));
    assertThat(insertValue[0]).as("header version byte").isEqualTo((byte) 3);
    assertThat(insertValue[1]).as("compression byte").isEqualTo(compression.equals("ZLIB") ? (byte) 5 : (byte) 0);
    ChangeEvent insert = change(decoder, record(0, keys.serialize(TOPIC, key(1)), insertValue));
    AvroRecords.assertInsert(insert, avatar);

    // TOAST: the placeholder text in a string column, its raw UTF-8 bytes in a bytes column
    ByteBuffer placeholderBytes = ByteBuffer.wrap("__debezium_unavailable_value".getBytes(StandardCharsets.UTF_8));
    ChangeEvent update = change(decoder, record(1, keys.serialize(TOPIC, key(1)),
        values.serialize(TOPIC, envelope("u", null, row(1, "__debezium_unavailable_value", placeholderBytes)))));
    assertThat(update.operation()).isEqualTo(Operation.UPDATE);
    assertThat(update.after().get("notes")).isSameAs(Unavailable.VALUE);
    assertThat(update.after().get("avatar")).isSameAs(Unavailable.VALUE);
    assertThat(update.rowSchema()).isSameAs(insert.rowSchema());

    ChangeEvent delete = change(decoder, record(2, keys.serialize(TOPIC, key(1)),
        values.serialize(TOPIC, envelope("d", row(1, null, null), null))));
    assertThat(delete.operation()).isEqualTo(Operation.DELETE);
    assertThat(delete.after()).isNull();
    assertThat(delete.before().get("id")).isEqualTo(1);
    assertThat(delete.before().get("balance")).isEqualTo(insert.after().get("balance"));
    assertThat(delete.key().toMap()).containsExactly(Map.entry("id", 1));

    DecodedRecord tombstone = decoder.decode(record(3, keys.serialize(TOPIC, key(1)), values.serialize(TOPIC, null)));
    assertThat(tombstone).isEqualTo(new DecodedRecord.Tombstone(Origin.of(TOPIC, 0, 3)));

    for (int id = 2; id < 50; id++) {
      assertThat(change(decoder, record(id + 2, keys.serialize(TOPIC, key(id)),
          values.serialize(TOPIC, envelope("c", null, row(id, "n" + id, null))))).key().get("id")).isEqualTo(id);
    }
    assertThat(GSR.requestCount("GetSchemaVersion"))
        .as("one GetSchemaVersion per schema version id (key and value), not per record")
        .isEqualTo(2);
  }

  @Test
  void keysOutsideTheWireFormatAreReadAsJson() {
    byte[] value = serializer(TOPIC + "-value", "NONE", false).serialize(TOPIC, envelope("c", null, row(7, "x", null)));
    String jsonKey = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,"
        + "\"field\":\"id\"}]},\"payload\":{\"id\":7}}";
    ChangeEvent insert = change(decoder(), record(0, jsonKey.getBytes(StandardCharsets.UTF_8), value));
    assertThat(insert.key().toMap()).containsExactly(Map.entry("id", 7));
    assertThat(insert.after().get("notes")).isEqualTo("x");
  }

  @Test
  void badHeadersAreErrorsOfTheirRecord() {
    RecordDecoder decoder = decoder();
    byte[] valid = serializer(TOPIC + "-value", "NONE", false).serialize(TOPIC, envelope("c", null, row(1, "x", null)));

    byte[] unknownVersion = valid.clone();
    unknownVersion[0] = 4;
    assertThatThrownBy(() -> decoder.decode(record(10, null, unknownVersion)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("header version byte 4")
        .hasMessageContaining("topic " + TOPIC + ", partition 0, offset 10");

    byte[] unknownCompression = valid.clone();
    unknownCompression[1] = 7;
    assertThatThrownBy(() -> decoder.decode(record(11, null, unknownCompression)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("compression byte 7")
        .hasMessageContaining("offset 11");

    assertThatThrownBy(() -> decoder.decode(record(12, null, Arrays.copyOf(valid, 10))))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("not in the AWS Glue Schema Registry wire format")
        .hasMessageContaining("offset 12");

    byte[] notZlib = valid.clone();
    notZlib[1] = 5;
    assertThatThrownBy(() -> decoder.decode(record(13, null, notZlib)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("cannot inflate the zlib-compressed datum")
        .hasMessageContaining("offset 13");
    byte[] zlib = serializer(TOPIC + "-value", "ZLIB", false).serialize(TOPIC, envelope("c", null, row(1, "x", null)));
    assertThatThrownBy(() -> decoder.decode(record(17, null, Arrays.copyOf(zlib, zlib.length - 4))))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("is truncated")
        .hasMessageContaining("offset 17");

    byte[] truncated = Arrays.copyOf(valid, valid.length - 3);
    assertThatThrownBy(() -> decoder.decode(record(14, null, truncated)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("offset 14");

    // the record that names an unknown schema version spoils only itself
    UUID unknown = UUID.randomUUID();
    byte[] unknownId = valid.clone();
    ByteBuffer.wrap(unknownId, 2, 16).putLong(unknown.getMostSignificantBits()).putLong(unknown.getLeastSignificantBits());
    assertThatThrownBy(() -> decoder.decode(record(15, null, unknownId)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("schema version " + unknown + " does not exist")
        .hasMessageContaining("offset 15");
    assertThat(change(decoder, record(16, null, valid)).after().get("notes")).isEqualTo("x");
  }

  @Test
  void schemaVersionsOfAnotherDataFormatAreErrorsOfTheirRecord() {
    UUID json = GSR.register(REGISTRY, "orders-json", "JSON", "{\"type\":\"object\"}");
    byte[] value = ByteBuffer.allocate(20).put((byte) 3).put((byte) 0)
        .putLong(json.getMostSignificantBits()).putLong(json.getLeastSignificantBits()).put((byte) 2).put((byte) 0)
        .array();
    assertThatThrownBy(() -> decoder().decode(record(20, null, value)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("is a JSON schema, not Avro")
        .hasMessageContaining("offset 20");
  }

  @Test
  void anUnreachableRegistryIsRetryable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    byte[] value = serializer(TOPIC + "-value", "NONE", false).serialize(TOPIC, envelope("c", null, row(1, "x", null)));
    Map<String, String> settings = settings();
    settings.put("tributary.decoder.glue.endpoint", "http://127.0.0.1:" + closedPort);
    RecordDecoder decoder = DebeziumDecoders.create(Settings.of(settings));
    assertThatThrownBy(() -> decoder.decode(record(30, null, value)))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("unreachable")
        .hasMessageContaining("topic " + TOPIC + ", partition 0, offset 30");
  }

  @Test
  void registryFailuresAreRetryableAndDoNotStick() {
    byte[] value = serializer(TOPIC + "-value", "NONE", false).serialize(TOPIC, envelope("c", null, row(1, "x", null)));
    RecordDecoder decoder = decoder();
    // the SDK retries a 500 three times by itself; the fourth failure reaches the decoder
    for (int i = 0; i < 4; i++) {
      GSR.failNext("GetSchemaVersion", "InternalServiceException");
    }
    assertThatThrownBy(() -> decoder.decode(record(40, null, value)))
        .isInstanceOf(RetryableException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("offset 40");
    assertThat(change(decoder, record(40, null, value)).after().get("notes")).isEqualTo("x");
  }

  @Test
  void rejectedCredentialsAreFatal() {
    byte[] value = serializer(TOPIC + "-value", "NONE", false).serialize(TOPIC, envelope("c", null, row(1, "x", null)));
    Map<String, String> settings = settings();
    settings.put("tributary.decoder.glue.credentials-provider", WrongCredentials.class.getName());
    assertThatThrownBy(() -> DebeziumDecoders.create(Settings.of(settings)).decode(record(50, null, value)))
        .isInstanceOf(FatalException.class)
        .isNotInstanceOf(RecordException.class)
        .hasMessageContaining("UnrecognizedClientException")
        .hasMessageContaining("tributary.decoder.glue.credentials-provider")
        .hasMessageContaining("offset 50");
  }

  @Test
  void settingsAreChecked() {
    Map<String, String> settings = settings();
    settings.put("tributary.decoder.glue.credentials-provider", String.class.getName());
    assertThatThrownBy(() -> DebeziumDecoders.create(Settings.of(settings)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an AwsCredentialsProvider");
    settings.put("tributary.decoder.glue.credentials-provider", GlueSchemaRegistryEndpoint.TestCredentials.class.getName());
    settings.put("tributary.decoder.glue.cache-size", "0");
    assertThatThrownBy(() -> DebeziumDecoders.create(Settings.of(settings)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tributary.decoder.glue.cache-size");
    assertThat(DecoderConfig.from(Settings.of(Map.of("tributary.decoder.format", "glue-avro"))).format())
        .isEqualTo(DecoderFormat.GLUE_AVRO);
    // the factory method builds its client without contacting the registry; a tombstone needs no schema
    assertThat(DebeziumDecoders.glueAvro("eu-west-1").decode(record(60, null, null)))
        .isEqualTo(new DecodedRecord.Tombstone(Origin.of(TOPIC, 0, 60)));
  }

  private static ChangeEvent change(RecordDecoder decoder, ConsumerRecord<byte[], byte[]> record) {
    return ((DecodedRecord.Change) decoder.decode(record)).event();
  }

  /** Credentials the endpoint does not know. */
  public static final class WrongCredentials implements AwsCredentialsProvider {
    public static WrongCredentials create() {
      return new WrongCredentials();
    }

    @Override
    public AwsCredentials resolveCredentials() {
      return AwsBasicCredentials.create("someone-else", "secret");
    }
  }
}
