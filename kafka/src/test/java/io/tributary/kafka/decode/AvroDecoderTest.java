package io.tributary.kafka.decode;

import static io.tributary.kafka.decode.AvroRecords.ENVELOPE;
import static io.tributary.kafka.decode.AvroRecords.KEY;
import static io.tributary.kafka.decode.AvroRecords.envelope;
import static io.tributary.kafka.decode.AvroRecords.key;
import static io.tributary.kafka.decode.AvroRecords.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tributary.core.ChangeEvent;
import io.tributary.core.FatalException;
import io.tributary.core.Operation;
import io.tributary.core.RecordException;
import io.tributary.core.Unavailable;
import io.tributary.core.config.Settings;
import io.tributary.core.type.Field;
import io.tributary.core.type.Types;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Avro records in Confluent's wire format, written with Avro's GenericDatumWriter following the schemas
 * Confluent's AvroConverter produces for Debezium, against a loopback schema registry.
 */
class AvroDecoderTest {
  private static final Schema UNWRAPPED = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Value\",\"namespace\":\"pg.inventory.customers\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"int\"},{\"name\":\"name\",\"type\":\"string\"},"
          + "{\"name\":\"__deleted\",\"type\":[\"null\",\"string\"],\"default\":null},"
          + "{\"name\":\"__op\",\"type\":[\"null\",\"string\"],\"default\":null},"
          + "{\"name\":\"__source_ts_ms\",\"type\":[\"null\",\"long\"],\"default\":null}]}");

  private static final Schema SCHEMA_CHANGE = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"SchemaChangeValue\",\"namespace\":\"io.debezium.connector.mysql\",\"fields\":["
          + "{\"name\":\"source\",\"type\":{\"type\":\"record\",\"name\":\"Source\",\"fields\":["
          + "{\"name\":\"connector\",\"type\":\"string\"},{\"name\":\"ts_ms\",\"type\":\"long\"},"
          + "{\"name\":\"snapshot\",\"type\":[\"null\",\"string\"],\"default\":null},"
          + "{\"name\":\"db\",\"type\":\"string\"},{\"name\":\"file\",\"type\":\"string\"},"
          + "{\"name\":\"pos\",\"type\":\"long\"},{\"name\":\"row\",\"type\":\"int\"}]}},"
          + "{\"name\":\"databaseName\",\"type\":[\"null\",\"string\"],\"default\":null},"
          + "{\"name\":\"ddl\",\"type\":[\"null\",\"string\"],\"default\":null},"
          + "{\"name\":\"tableChanges\",\"type\":{\"type\":\"array\",\"items\":{\"type\":\"record\","
          + "\"name\":\"Change\",\"fields\":[{\"name\":\"type\",\"type\":\"string\"},"
          + "{\"name\":\"id\",\"type\":\"string\"}]}}}]}");

  private HttpServer server;
  private final Map<Integer, Schema> registered = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private String url;

  @BeforeEach
  void startRegistry() throws IOException {
    registered.put(1, KEY);
    registered.put(2, ENVELOPE);
    registered.put(3, UNWRAPPED);
    registered.put(4, SCHEMA_CHANGE);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String expectedAuth = "Basic " + Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8));
    server.createContext("/schemas/ids/", exchange -> {
      requests.incrementAndGet();
      int status;
      byte[] body;
      String path = exchange.getRequestURI().getPath();
      Schema schema = registered.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
      if (!expectedAuth.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        status = 401;
        body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
      } else if (schema == null) {
        status = 404;
        body = "{\"error_code\":40403,\"message\":\"Schema not found\"}".getBytes(StandardCharsets.UTF_8);
      } else {
        status = 200;
        body = Corpus.MAPPER.writeValueAsBytes(Map.of("schema", schema.toString()));
      }
      exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopRegistry() {
    server.stop(0);
  }

  private RecordDecoder decoder(String userInfo) {
    return DebeziumDecoders.create(Settings.of(Map.of(
        "tributary.decoder.format", "avro",
        "tributary.decoder.schema-registry.url", url,
        "tributary.decoder.schema-registry.basic-auth.user-info", userInfo)));
  }

  private static byte[] encode(int id, Schema schema, Object datum) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<>(schema).write(datum, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] key, byte[] value) {
    return Corpus.record("pg.inventory.customers", 0, offset, key, value, new RecordHeaders());
  }

  @Test
  void decodesDebeziumAvroEnvelopesAndFetchesEachSchemaOnce() throws IOException {
    RecordDecoder decoder = decoder("user:secret");
    ByteBuffer avatar = ByteBuffer.wrap(new byte[] {0, (byte) 0xFF, 1, 0x7F, (byte) 0x80});
    ChangeEvent insert = ((DecodedRecord.Change) decoder.decode(record(0, encode(1, KEY, key(1)),
        encode(2, ENVELOPE, envelope("c", null, row(1, "hello", avatar)))))).event();
    AvroRecords.assertInsert(insert, avatar);

    // TOAST: the placeholder text in a string column, its raw UTF-8 bytes in a bytes column
    ByteBuffer placeholderBytes = ByteBuffer.wrap("__debezium_unavailable_value".getBytes(StandardCharsets.UTF_8));
    ChangeEvent update = ((DecodedRecord.Change) decoder.decode(record(1, encode(1, KEY, key(1)),
        encode(2, ENVELOPE, envelope("u", null, row(1, "__debezium_unavailable_value", placeholderBytes)))))).event();
    assertThat(update.before()).isNull();
    assertThat(update.after().get("notes")).isSameAs(Unavailable.VALUE);
    assertThat(update.after().get("avatar")).isSameAs(Unavailable.VALUE);
    assertThat(update.rowSchema()).isSameAs(insert.rowSchema());

    ChangeEvent delete = ((DecodedRecord.Change) decoder.decode(record(2, encode(1, KEY, key(1)),
        encode(2, ENVELOPE, envelope("d", row(1, null, null), null))))).event();
    assertThat(delete.operation()).isEqualTo(Operation.DELETE);
    assertThat(delete.before().get("id")).isEqualTo(1);
    assertThat(decoder.decode(record(3, encode(1, KEY, key(1)), null))).isInstanceOf(DecodedRecord.Tombstone.class);
    assertThat(requests.get()).as("one registry request per schema id").isEqualTo(2);
  }

  @Test
  void schemaChangeRecordsInAvro() throws IOException {
    GenericRecord source = new GenericData.Record(SCHEMA_CHANGE.getField("source").schema());
    source.put("connector", "mysql");
    source.put("ts_ms", 1L);
    source.put("snapshot", "false");
    source.put("db", "shop");
    source.put("file", "binlog.000003");
    source.put("pos", 100L);
    source.put("row", 0);
    GenericRecord change = new GenericData.Record(SCHEMA_CHANGE.getField("tableChanges").schema().getElementType());
    change.put("type", "ALTER");
    change.put("id", "\"shop\".\"orders\"");
    GenericRecord value = new GenericData.Record(SCHEMA_CHANGE);
    value.put("source", source);
    value.put("databaseName", "shop");
    value.put("ddl", "ALTER TABLE orders CHANGE COLUMN `qty` `quantity` INT");
    value.put("tableChanges", List.of(change));
    DecodedRecord.SchemaChange sc = (DecodedRecord.SchemaChange) decoder("user:secret")
        .decode(Corpus.record("shop", 0, 9, null, encode(4, SCHEMA_CHANGE, value), new RecordHeaders()));
    assertThat(sc.events()).hasSize(1);
    assertThat(sc.events().get(0).kind()).isEqualTo(io.tributary.core.SchemaChangeEvent.Kind.ALTER);
    assertThat(sc.events().get(0).table()).isEqualTo("orders");
    assertThat(sc.events().get(0).renames()).containsExactly(io.tributary.core.ColumnRename.of("qty", "quantity"));
    assertThat(sc.events().get(0).source().position().component(0)).isEqualTo(3L);
  }

  @Test
  void unwrappedAvroRows() throws IOException {
    GenericRecord r = new GenericData.Record(UNWRAPPED);
    r.put("id", 4);
    r.put("name", "");
    r.put("__deleted", "true");
    r.put("__op", "d");
    r.put("__source_ts_ms", 1700000000000L);
    ChangeEvent e = ((DecodedRecord.Change) decoder("user:secret").decode(record(0, null, encode(3, UNWRAPPED, r))))
        .event();
    assertThat(e.operation()).isEqualTo(Operation.DELETE);
    assertThat(e.rowSchema().fieldNames()).containsExactly("id", "name");
    assertThat(e.before().get("name")).isEqualTo("");
    assertThat(e.source().table()).isEqualTo("customers");
    assertThat(e.source().timestampMillis()).isEqualTo(1700000000000L);
  }

  @Test
  void failuresNameTheRecordOrTheRegistry() throws IOException {
    byte[] unknownId = encode(99, KEY, key(1));
    assertThatThrownBy(() -> decoder("user:secret").decode(record(5, null, unknownId)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("schema id 99")
        .hasMessageContaining("topic pg.inventory.customers, partition 0, offset 5");
    assertThatThrownBy(() -> decoder("user:secret").decode(record(6, null, "{\"op\":\"c\"}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("wire format")
        .hasMessageContaining("offset 6");
    byte[] truncated = encode(2, ENVELOPE, envelope("c", null, row(1, "x", null)));
    byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 3);
    assertThatThrownBy(() -> decoder("user:secret").decode(record(7, null, cut)))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("offset 7");
    assertThatThrownBy(() -> decoder("user:wrong").decode(record(8, null, encode(2, ENVELOPE,
        envelope("c", null, row(1, "x", null))))))
        .isInstanceOf(FatalException.class)
        .hasMessageContaining("rejected the credentials");
  }

  @Test
  void autoFormatWithARegistryReadsAvroAndJson() throws IOException {
    RecordDecoder auto = DebeziumDecoders.create(Settings.of(Map.of(
        "tributary.decoder.schema-registry.url", url,
        "tributary.decoder.schema-registry.basic-auth.user-info", "user:secret")));
    assertThat(auto.decode(record(0, null, encode(2, ENVELOPE, envelope("c", null, row(1, "x", null))))))
        .isInstanceOf(DecodedRecord.Change.class);
    DecodedRecord json = auto.decode(record(1, null,
        Envelopes.single("{\"type\":\"int32\",\"optional\":true}", "5").getBytes(StandardCharsets.UTF_8)));
    assertThat(((DecodedRecord.Change) json).event().after().get("v")).isEqualTo(5);
  }
}
