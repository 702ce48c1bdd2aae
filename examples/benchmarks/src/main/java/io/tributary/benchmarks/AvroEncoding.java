package io.tributary.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.tributary.benchmarks.CustomersData.Customer;
import io.tributary.benchmarks.CustomersData.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Serializes generated events in Confluent's Avro wire format (magic byte, schema id, Avro binary) with the
 * schemas Confluent's AvroConverter derives from the Debezium Connect schemas, and serves those schemas from a
 * loopback schema registry.
 */
public final class AvroEncoding implements AutoCloseable {
  static final int KEY_ID = 1;
  static final int VALUE_ID = 2;

  private static String optional(String type) {
    return "[\"null\"," + type + "]";
  }

  private static String field(String name, String type) {
    return "{\"name\":\"" + name + "\",\"type\":" + type + "}";
  }

  private static String optionalField(String name, String type) {
    return "{\"name\":\"" + name + "\",\"type\":" + optional(type) + ",\"default\":null}";
  }

  private static String logical(String base, String connectName) {
    return "{\"type\":\"" + base + "\",\"connect.version\":1,\"connect.name\":\"" + connectName + "\"}";
  }

  private static final String ROW = "{\"type\":\"record\",\"name\":\"Value\",\"fields\":["
      + field("id", "\"int\"") + ","
      + field("name", "\"string\"") + ","
      + optionalField("email", "\"string\"") + ","
      + optionalField("balance", "{\"type\":\"bytes\",\"scale\":2,\"precision\":12,\"connect.version\":1,"
          + "\"connect.parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"12\"},"
          + "\"connect.name\":\"org.apache.kafka.connect.data.Decimal\",\"logicalType\":\"decimal\"}") + ","
      + optionalField("created_at", logical("long", "io.debezium.time.Timestamp")) + ","
      + optionalField("updated_at", logical("string", "io.debezium.time.ZonedTimestamp")) + ","
      + optionalField("birthday", logical("int", "io.debezium.time.Date")) + ","
      + optionalField("active", "{\"type\":\"int\",\"connect.type\":\"int16\"}") + ","
      + optionalField("score", "\"double\"") + ","
      + optionalField("notes", "\"string\"") + ","
      + optionalField("prefs", "\"string\"") + ","
      + optionalField("tier", "{\"type\":\"string\",\"connect.version\":1,\"connect.parameters\":"
          + "{\"allowed\":\"free,pro\"},\"connect.name\":\"io.debezium.data.Enum\"}") + ","
      + optionalField("avatar", "\"bytes\"") + ","
      + optionalField("wake_time", logical("long", "io.debezium.time.MicroTime"))
      + "],\"connect.name\":\"mariadb.inventory.customers.Value\"}";

  static final Schema ENVELOPE = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Envelope\",\"namespace\":\"mariadb.inventory.customers\",\"fields\":["
          + optionalField("before", ROW) + ","
          + optionalField("after", "\"Value\"") + ","
          + field("source", "{\"type\":\"record\",\"name\":\"Source\",\"namespace\":\"io.debezium.connector.mariadb\","
              + "\"fields\":["
              + field("version", "\"string\"") + "," + field("connector", "\"string\"") + ","
              + field("name", "\"string\"") + "," + field("ts_ms", "\"long\"") + ","
              + "{\"name\":\"snapshot\",\"type\":[{\"type\":\"string\",\"connect.version\":1,\"connect.parameters\":"
              + "{\"allowed\":\"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental\"},"
              + "\"connect.default\":\"false\",\"connect.name\":\"io.debezium.data.Enum\"},\"null\"],\"default\":\"false\"},"
              + field("db", "\"string\"") + "," + optionalField("sequence", "\"string\"") + ","
              + optionalField("ts_us", "\"long\"") + "," + optionalField("ts_ns", "\"long\"") + ","
              + optionalField("table", "\"string\"") + "," + field("server_id", "\"long\"") + ","
              + optionalField("gtid", "\"string\"") + "," + field("file", "\"string\"") + ","
              + field("pos", "\"long\"") + "," + field("row", "\"int\"") + ","
              + optionalField("thread", "\"long\"") + "," + optionalField("query", "\"string\"")
              + "],\"connect.name\":\"io.debezium.connector.mariadb.Source\"}") + ","
          + optionalField("transaction", "{\"type\":\"record\",\"name\":\"block\",\"namespace\":\"event\",\"fields\":["
              + field("id", "\"string\"") + "," + field("total_order", "\"long\"") + ","
              + field("data_collection_order", "\"long\"") + "],\"connect.version\":1,\"connect.name\":\"event.block\"}")
          + "," + field("op", "\"string\"") + ","
          + optionalField("ts_ms", "\"long\"") + "," + optionalField("ts_us", "\"long\"") + ","
          + optionalField("ts_ns", "\"long\"")
          + "],\"connect.version\":2,\"connect.name\":\"mariadb.inventory.customers.Envelope\"}");
  static final Schema KEY = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Key\",\"namespace\":\"mariadb.inventory.customers\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"}],\"connect.name\":\"mariadb.inventory.customers.Key\"}");

  private final Schema rowSchema = ENVELOPE.getField("after").schema().getTypes().get(1);
  private final Schema sourceSchema = ENVELOPE.getField("source").schema();
  private final GenericDatumWriter<GenericRecord> valueWriter = new GenericDatumWriter<>(ENVELOPE);
  private final GenericDatumWriter<GenericRecord> keyWriter = new GenericDatumWriter<>(KEY);
  private final HttpServer registry;

  /** Starts the loopback schema registry serving the key and value schemas. */
  public AvroEncoding() {
    Map<Integer, Schema> schemas = Map.of(KEY_ID, KEY, VALUE_ID, ENVELOPE);
    try {
      registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry.createContext("/schemas/ids/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      Schema schema = schemas.get(Integer.parseInt(path.substring(path.lastIndexOf('/') + 1)));
      byte[] body = schema == null ? "{\"error_code\":40403}".getBytes(StandardCharsets.UTF_8)
          : ("{\"schema\":" + quote(schema.toString()) + "}").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
      exchange.sendResponseHeaders(schema == null ? 404 : 200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    registry.start();
  }

  /** Base URL of the loopback registry. */
  public String registryUrl() {
    return "http://127.0.0.1:" + registry.getAddress().getPort();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  public byte[] key(Event e) {
    GenericRecord key = new GenericData.Record(KEY);
    key.put("id", (e.after() != null ? e.after() : e.before()).id());
    return wire(KEY_ID, keyWriter, key);
  }

  public byte[] value(Event e) {
    GenericRecord source = new GenericData.Record(sourceSchema);
    source.put("version", "3.5.0.Final");
    source.put("connector", "mariadb");
    source.put("name", "mariadb");
    source.put("ts_ms", e.tsMs());
    source.put("snapshot", e.snapshot());
    source.put("db", "inventory");
    source.put("ts_us", e.tsMs() * 1_000L);
    source.put("ts_ns", e.tsMs() * 1_000_000L);
    source.put("table", "customers");
    source.put("server_id", e.serverId());
    source.put("gtid", e.gtid());
    source.put("file", e.file());
    source.put("pos", e.pos());
    source.put("row", e.row());
    long tsNanos = e.tsMs() * 1_000_000L + 151_490_739L;
    GenericRecord v = new GenericData.Record(ENVELOPE);
    v.put("before", row(e.before()));
    v.put("after", row(e.after()));
    v.put("source", source);
    v.put("op", e.op());
    v.put("ts_ms", tsNanos / 1_000_000L);
    v.put("ts_us", tsNanos / 1_000L);
    v.put("ts_ns", tsNanos);
    return wire(VALUE_ID, valueWriter, v);
  }

  private GenericRecord row(Customer c) {
    if (c == null) {
      return null;
    }
    GenericRecord r = new GenericData.Record(rowSchema);
    r.put("id", c.id());
    r.put("name", c.name());
    r.put("email", c.email());
    r.put("balance", c.balance() == null ? null : ByteBuffer.wrap(c.balance().unscaledValue().toByteArray()));
    r.put("created_at", c.createdAt());
    r.put("updated_at", c.updatedAt());
    r.put("birthday", c.birthday());
    r.put("active", c.active() == null ? null : (int) c.active());
    r.put("score", c.score());
    r.put("notes", c.notes());
    r.put("prefs", c.prefs());
    r.put("tier", c.tier());
    r.put("avatar", c.avatar() == null ? null : ByteBuffer.wrap(c.avatar()));
    r.put("wake_time", c.wakeTime());
    return r;
  }

  private static byte[] wire(int id, GenericDatumWriter<GenericRecord> writer, GenericRecord datum) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    out.write(0);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writer.write(datum, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public void close() {
    registry.stop(0);
  }
}
