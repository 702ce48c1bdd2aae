package io.tributary.benchmarks;

import io.tributary.benchmarks.CustomersData.Customer;
import io.tributary.benchmarks.CustomersData.Event;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;

/**
 * Serializes generated events the way the Debezium MariaDB connector and Kafka Connect's JsonConverter do:
 * the same Connect schemas (envelope, source block, logical type names) and the converter's own output, with
 * and without the schema block, and after ExtractNewRecordState.
 */
public final class ConnectEncoding {
  public static final String TOPIC = "mariadb.inventory.customers";

  static final Schema KEY = SchemaBuilder.struct().name(TOPIC + ".Key").field("id", Schema.INT32_SCHEMA).build();
  static final Schema ROW = rowBuilder().optional().build();
  static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mariadb.Source").version(1)
      .field("version", Schema.STRING_SCHEMA)
      .field("connector", Schema.STRING_SCHEMA)
      .field("name", Schema.STRING_SCHEMA)
      .field("ts_ms", Schema.INT64_SCHEMA)
      .field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
          .parameter("allowed", "true,first,first_in_data_collection,last_in_data_collection,last,false,incremental")
          .defaultValue("false").build())
      .field("db", Schema.STRING_SCHEMA)
      .field("sequence", Schema.OPTIONAL_STRING_SCHEMA)
      .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
      .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
      .field("table", Schema.OPTIONAL_STRING_SCHEMA)
      .field("server_id", Schema.INT64_SCHEMA)
      .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
      .field("file", Schema.STRING_SCHEMA)
      .field("pos", Schema.INT64_SCHEMA)
      .field("row", Schema.INT32_SCHEMA)
      .field("thread", Schema.OPTIONAL_INT64_SCHEMA)
      .field("query", Schema.OPTIONAL_STRING_SCHEMA)
      .build();
  static final Schema TRANSACTION = SchemaBuilder.struct().name("event.block").version(1).optional()
      .field("id", Schema.STRING_SCHEMA)
      .field("total_order", Schema.INT64_SCHEMA)
      .field("data_collection_order", Schema.INT64_SCHEMA)
      .build();
  static final Schema ENVELOPE = envelope(ROW);
  /** The column that {@code ALTER TABLE customers ADD COLUMN loyalty_points INT} adds, for evolution runs. */
  public static final String NEW_COLUMN = "loyalty_points";
  static final Schema ROW_EVOLVED = rowBuilder().field(NEW_COLUMN, Schema.OPTIONAL_INT32_SCHEMA).optional().build();
  static final Schema ENVELOPE_EVOLVED = envelope(ROW_EVOLVED);
  static final Schema UNWRAPPED = rowBuilder()
      .field("__deleted", Schema.OPTIONAL_STRING_SCHEMA)
      .field("__op", Schema.OPTIONAL_STRING_SCHEMA)
      .field("__source_ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
      .build();

  private final JsonConverter keyConverter;
  private final JsonConverter valueConverter;

  private ConnectEncoding(boolean schemas) {
    keyConverter = converter(schemas, true);
    valueConverter = converter(schemas, false);
  }

  /** JsonConverter with {@code schemas.enable=true} for key and value, as the corpus was recorded. */
  public static ConnectEncoding withSchemas() {
    return new ConnectEncoding(true);
  }

  /** JsonConverter with {@code schemas.enable=false}. */
  public static ConnectEncoding schemaless() {
    return new ConnectEncoding(false);
  }

  /** A JsonConverter configured like the one that wrote the corpus. */
  public static JsonConverter converter(boolean schemas, boolean isKey) {
    JsonConverter c = new JsonConverter();
    c.configure(Map.of("schemas.enable", Boolean.toString(schemas)), isKey);
    return c;
  }

  private static Schema envelope(Schema row) {
    return SchemaBuilder.struct().name(TOPIC + ".Envelope").version(2)
        .field("before", row)
        .field("after", row)
        .field("source", SOURCE)
        .field("transaction", TRANSACTION)
        .field("op", Schema.STRING_SCHEMA)
        .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_us", Schema.OPTIONAL_INT64_SCHEMA)
        .field("ts_ns", Schema.OPTIONAL_INT64_SCHEMA)
        .build();
  }

  private static SchemaBuilder rowBuilder() {
    return SchemaBuilder.struct().name(TOPIC + ".Value")
        .field("id", Schema.INT32_SCHEMA)
        .field("name", Schema.STRING_SCHEMA)
        .field("email", Schema.OPTIONAL_STRING_SCHEMA)
        .field("balance", Decimal.builder(2).optional().parameter("connect.decimal.precision", "12").build())
        .field("created_at", SchemaBuilder.int64().optional().name("io.debezium.time.Timestamp").version(1).build())
        .field("updated_at",
            SchemaBuilder.string().optional().name("io.debezium.time.ZonedTimestamp").version(1).build())
        .field("birthday", SchemaBuilder.int32().optional().name("io.debezium.time.Date").version(1).build())
        .field("active", Schema.OPTIONAL_INT16_SCHEMA)
        .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
        .field("notes", Schema.OPTIONAL_STRING_SCHEMA)
        .field("prefs", Schema.OPTIONAL_STRING_SCHEMA)
        .field("tier", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
            .parameter("allowed", "free,pro").build())
        .field("avatar", Schema.OPTIONAL_BYTES_SCHEMA)
        .field("wake_time", SchemaBuilder.int64().optional().name("io.debezium.time.MicroTime").version(1).build());
  }

  /** The record key, {@code {"id": ...}}. */
  public byte[] key(Event e) {
    Struct key = new Struct(KEY).put("id", (e.after() != null ? e.after() : e.before()).id());
    return keyConverter.fromConnectData(TOPIC, KEY, key);
  }

  /** The Debezium change event envelope. */
  public byte[] value(Event e) {
    return envelopeValue(ENVELOPE, e, row(ROW, e.before()), row(ROW, e.after()));
  }

  /**
   * The envelope after {@link #NEW_COLUMN} was added at the source: row images carry it, with the value
   * {@link #newColumnValue}.
   */
  public byte[] valueWithNewColumn(Event e) {
    return envelopeValue(ENVELOPE_EVOLVED, e, evolvedRow(e.before()), evolvedRow(e.after()));
  }

  /** The value of {@link #NEW_COLUMN} in the row of key {@code id}. */
  public static int newColumnValue(int id) {
    return id % 997;
  }

  private static Struct evolvedRow(Customer c) {
    Struct row = row(ROW_EVOLVED, c);
    return row == null ? null : row.put(NEW_COLUMN, newColumnValue(c.id()));
  }

  private byte[] envelopeValue(Schema envelope, Event e, Struct before, Struct after) {
    Struct source = source(e);
    long tsNanos = e.tsMs() * 1_000_000L + 151_490_739L;
    Struct v = new Struct(envelope)
        .put("before", before)
        .put("after", after)
        .put("source", source)
        .put("op", e.op())
        .put("ts_ms", tsNanos / 1_000_000L)
        .put("ts_us", tsNanos / 1_000L)
        .put("ts_ns", tsNanos);
    return valueConverter.fromConnectData(TOPIC, envelope, v);
  }

  /** The row as ExtractNewRecordState writes it (delete.tombstone.handling.mode=rewrite, add.fields=op,source.ts_ms). */
  public byte[] unwrappedValue(Event e) {
    boolean delete = e.op().equals("d");
    Struct v = row(UNWRAPPED, delete ? e.before() : e.after())
        .put("__deleted", Boolean.toString(delete))
        .put("__op", e.op())
        .put("__source_ts_ms", e.tsMs());
    return valueConverter.fromConnectData(TOPIC, UNWRAPPED, v);
  }

  private static Struct source(Event e) {
    return new Struct(SOURCE)
        .put("version", "3.5.0.Final")
        .put("connector", "mariadb")
        .put("name", "mariadb")
        .put("ts_ms", e.tsMs())
        .put("snapshot", e.snapshot())
        .put("db", "inventory")
        .put("ts_us", e.tsMs() * 1_000L)
        .put("ts_ns", e.tsMs() * 1_000_000L)
        .put("table", "customers")
        .put("server_id", e.serverId())
        .put("gtid", e.gtid())
        .put("file", e.file())
        .put("pos", e.pos())
        .put("row", e.row());
  }

  private static Struct row(Schema schema, Customer c) {
    if (c == null) {
      return null;
    }
    return new Struct(schema)
        .put("id", c.id())
        .put("name", c.name())
        .put("email", c.email())
        .put("balance", c.balance())
        .put("created_at", c.createdAt())
        .put("updated_at", c.updatedAt())
        .put("birthday", c.birthday())
        .put("active", c.active())
        .put("score", c.score())
        .put("notes", c.notes())
        .put("prefs", c.prefs())
        .put("tier", c.tier())
        .put("avatar", c.avatar() == null ? null : ByteBuffer.wrap(c.avatar()))
        .put("wake_time", c.wakeTime());
  }
}
