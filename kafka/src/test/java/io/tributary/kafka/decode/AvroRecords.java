package io.tributary.kafka.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Operation;
import io.tributary.core.type.Field;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Debezium records of a PostgreSQL {@code customers} table as Avro generic records, with the schemas Kafka
 * Connect's Avro converters (Confluent's and the AWS Glue Schema Registry's) produce for them: one column of each
 * logical type the Avro decoders map (test support, shared by the registries' tests).
 */
final class AvroRecords {
  private static final String VALUE_ROW = "{\"type\":\"record\",\"name\":\"Value\",\"fields\":["
      + "{\"name\":\"id\",\"type\":\"int\"},"
      + "{\"name\":\"name\",\"type\":\"string\"},"
      + "{\"name\":\"balance\",\"type\":[\"null\",{\"type\":\"bytes\",\"scale\":2,\"precision\":12,"
      + "\"connect.version\":1,\"connect.parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"12\"},"
      + "\"connect.name\":\"org.apache.kafka.connect.data.Decimal\",\"logicalType\":\"decimal\"}],\"default\":null},"
      + "{\"name\":\"created_at\",\"type\":[\"null\",{\"type\":\"long\",\"connect.version\":1,"
      + "\"connect.name\":\"io.debezium.time.Timestamp\"}],\"default\":null},"
      + "{\"name\":\"updated_at\",\"type\":[\"null\",{\"type\":\"string\",\"connect.version\":1,"
      + "\"connect.name\":\"io.debezium.time.ZonedTimestamp\"}],\"default\":null},"
      + "{\"name\":\"birthday\",\"type\":[\"null\",{\"type\":\"int\",\"connect.version\":1,"
      + "\"connect.name\":\"io.debezium.time.Date\"}],\"default\":null},"
      + "{\"name\":\"active\",\"type\":[\"null\",{\"type\":\"int\",\"connect.type\":\"int16\"}],\"default\":null},"
      + "{\"name\":\"tier\",\"type\":[\"null\",{\"type\":\"string\",\"connect.version\":1,"
      + "\"connect.parameters\":{\"allowed\":\"free,pro\"},\"connect.name\":\"io.debezium.data.Enum\"}],\"default\":null},"
      + "{\"name\":\"avatar\",\"type\":[\"null\",\"bytes\"],\"default\":null},"
      + "{\"name\":\"notes\",\"type\":[\"null\",\"string\"],\"default\":null},"
      + "{\"name\":\"loyalty\",\"type\":{\"type\":\"int\",\"connect.default\":0},\"default\":0}"
      + "],\"connect.name\":\"pg.inventory.customers.Value\"}";
  static final Schema ENVELOPE = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Envelope\",\"namespace\":\"pg.inventory.customers\",\"fields\":["
          + "{\"name\":\"before\",\"type\":[\"null\"," + VALUE_ROW + "],\"default\":null},"
          + "{\"name\":\"after\",\"type\":[\"null\",\"Value\"],\"default\":null},"
          + "{\"name\":\"source\",\"type\":{\"type\":\"record\",\"name\":\"Source\","
          + "\"namespace\":\"io.debezium.connector.postgresql\",\"fields\":["
          + "{\"name\":\"connector\",\"type\":\"string\"},{\"name\":\"ts_ms\",\"type\":\"long\"},"
          + "{\"name\":\"snapshot\",\"type\":[{\"type\":\"string\",\"connect.name\":\"io.debezium.data.Enum\"},\"null\"],"
          + "\"default\":\"false\"},"
          + "{\"name\":\"db\",\"type\":\"string\"},{\"name\":\"schema\",\"type\":\"string\"},"
          + "{\"name\":\"table\",\"type\":\"string\"},{\"name\":\"lsn\",\"type\":[\"null\",\"long\"],\"default\":null}]}},"
          + "{\"name\":\"op\",\"type\":\"string\"},"
          + "{\"name\":\"ts_ms\",\"type\":[\"null\",\"long\"],\"default\":null}"
          + "],\"connect.name\":\"pg.inventory.customers.Envelope\"}");
  static final Schema KEY = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"Key\",\"namespace\":\"pg.inventory.customers\","
          + "\"fields\":[{\"name\":\"id\",\"type\":\"int\"}],\"connect.name\":\"pg.inventory.customers.Key\"}");
  static GenericRecord row(int id, String notes, ByteBuffer avatar) {
    Schema rowSchema = ENVELOPE.getField("after").schema().getTypes().get(1);
    GenericRecord r = new GenericData.Record(rowSchema);
    r.put("id", id);
    r.put("name", "Customer " + id);
    r.put("balance", ByteBuffer.wrap(new BigDecimal("-9999999999.99").unscaledValue().toByteArray()));
    r.put("created_at", -140482676544L);
    r.put("updated_at", "2024-06-03T14:00:06.17285Z");
    r.put("birthday", 3749);
    r.put("active", 1);
    r.put("tier", "pro");
    r.put("avatar", avatar);
    r.put("notes", notes);
    r.put("loyalty", 7);
    return r;
  }

  static GenericRecord envelope(String op, GenericRecord before, GenericRecord after) {
    GenericRecord source = new GenericData.Record(ENVELOPE.getField("source").schema());
    source.put("connector", "postgresql");
    source.put("ts_ms", 1700000000000L);
    source.put("snapshot", "false");
    source.put("db", "inventory");
    source.put("schema", "inventory");
    source.put("table", "customers");
    source.put("lsn", 41449128L);
    GenericRecord e = new GenericData.Record(ENVELOPE);
    e.put("before", before);
    e.put("after", after);
    e.put("source", source);
    e.put("op", op);
    e.put("ts_ms", 1700000000100L);
    return e;
  }

  static GenericRecord key(int id) {
    GenericRecord k = new GenericData.Record(KEY);
    k.put("id", id);
    return k;
  }

  /** Asserts what {@code envelope("c", null, row(1, "hello", avatar))} with key {@code key(1)} decodes to. */
  static void assertInsert(ChangeEvent insert, ByteBuffer avatar) {
    assertThat(insert.operation()).isEqualTo(Operation.INSERT);
    assertThat(insert.key().toMap()).containsExactly(Map.entry("id", 1));
    assertThat(insert.rowSchema().field("balance").type()).isEqualTo(Types.DecimalType.of(12, 2));
    assertThat(insert.rowSchema().field("active").type()).isEqualTo(Types.IntegerType.ofBits(16));
    assertThat(insert.rowSchema().field("tier").type()).isEqualTo(Types.EnumType.of(List.of("free", "pro")));
    assertThat(insert.rowSchema().field("loyalty"))
        .isEqualTo(Field.required("loyalty", Types.IntegerType.get()).withDefault(0));
    assertThat(insert.rowSchema().field("name")).isEqualTo(Field.required("name", Types.StringType.get()));
    assertThat(insert.after().get("balance")).isEqualTo(new BigDecimal("-9999999999.99"));
    assertThat(insert.after().get("created_at")).isEqualTo(-140482676544000L);
    assertThat(insert.after().get("updated_at"))
        .isEqualTo(Instant.parse("2024-06-03T14:00:06.17285Z").toEpochMilli() * 1000 + 850);
    assertThat(insert.after().get("birthday")).isEqualTo(3749);
    assertThat(insert.after().get("active")).isEqualTo(1);
    assertThat(insert.after().get("avatar")).isEqualTo(avatar);
    assertThat(insert.after().get("notes")).isEqualTo("hello");
    assertThat(insert.source().connector()).isEqualTo("postgresql");
    assertThat(insert.source().schema()).isEqualTo("inventory");
    assertThat(insert.source().position().component(0)).isEqualTo(41449128L);
  }

  private AvroRecords() {}
}
