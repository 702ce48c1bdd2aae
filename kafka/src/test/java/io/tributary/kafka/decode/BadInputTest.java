package io.tributary.kafka.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import org.junit.jupiter.api.Test;

/** Invalid records fail with a {@link RecordException} naming topic, partition, offset and field. */
class BadInputTest {
  private static final String WHERE = "topic pg.inventory.t, partition 3, offset 42";
  private static final String INT_FIELD = "{\"type\":\"int32\",\"optional\":true,\"field\":\"n\"}";

  private static void assertFails(RecordDecoder decoder, String value, String... fragments) {
    assertThatThrownBy(() -> decoder.decode(Envelopes.record(null, value)))
        .isInstanceOf(RecordException.class)
        .satisfies(e -> {
          assertThat(((RecordException) e).origin()).isEqualTo(Origin.of(Envelopes.TOPIC, 3, 42));
          assertThat(e.getMessage()).contains(WHERE).contains(fragments);
        });
  }

  @Test
  void notJson() {
    assertFails(DebeziumDecoders.json(), "{\"schema\": {\"type\": ", "not valid JSON");
    assertFails(DebeziumDecoders.auto(), "this is not json", "not valid JSON");
    assertFails(DebeziumDecoders.json(), "[1, 2]", "expected a JSON object");
  }

  @Test
  void missingOp() {
    assertFails(DebeziumDecoders.json(), Envelopes.value(INT_FIELD, "null", "{\"n\":1}", null), "'op'", "missing");
    assertFails(DebeziumDecoders.schemaless(SchemaHints.none()), "{\"before\":null,\"after\":{\"n\":1}}", "'op'");
    assertFails(DebeziumDecoders.json(), Envelopes.value(INT_FIELD, "null", "{\"n\":1}", "x"), "'op'", "'x'");
  }

  @Test
  void payloadContradictsSchema() {
    assertFails(DebeziumDecoders.json(), Envelopes.value(INT_FIELD, "null", "{\"n\":\"one\"}", "c"),
        "'after.n'", "expected an int32");
    assertFails(DebeziumDecoders.json(), Envelopes.value(INT_FIELD, "null", "{\"n\":1,\"m\":2}", "c"),
        "'after.m'", "not in the schema");
    assertFails(DebeziumDecoders.json(), Envelopes.value(INT_FIELD, "null", "{\"n\":3000000000}", "c"),
        "'after.n'", "does not fit int32");
    String required = "{\"type\":\"string\",\"optional\":false,\"field\":\"name\"}";
    assertFails(DebeziumDecoders.json(), Envelopes.value(required, "null", "{\"name\":null}", "c"),
        "'after.name'", "null in a required field");
    assertFails(DebeziumDecoders.json(), Envelopes.value(required, "null", "{}", "c"),
        "'after.name'", "required field is missing");
    assertFails(DebeziumDecoders.json(), Envelopes.value(INT_FIELD, "null", "null", "c"), "'after'", "null");
  }

  @Test
  void undecodableValues() {
    String decimal = "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"parameters\":{\"scale\":\"2\"},\"field\":\"price\"}";
    assertFails(DebeziumDecoders.json(), Envelopes.value(decimal, "null", "{\"price\":\"%%%\"}", "c"),
        "'after.price'", "base64");
    assertFails(DebeziumDecoders.json(), Envelopes.value(decimal, "null", "{\"price\":1.234}", "c"),
        "'after.price'", "scale 2");
    String ts = "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTimestamp\",\"field\":\"at\"}";
    assertFails(DebeziumDecoders.json(), Envelopes.value(ts, "null", "{\"at\":\"yesterday\"}", "c"),
        "'after.at'", "yesterday");
    String uuid = "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Uuid\",\"field\":\"u\"}";
    assertFails(DebeziumDecoders.json(), Envelopes.value(uuid, "null", "{\"u\":\"nope\"}", "c"), "'after.u'");
  }

  @Test
  void invalidSchemas() {
    String noScale = "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"field\":\"price\"}";
    assertFails(DebeziumDecoders.json(), Envelopes.value(noScale, "null", "{\"price\":\"AA==\"}", "c"),
        "invalid value schema", "price", "scale");
    String wrongBase = "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.Date\",\"field\":\"d\"}";
    assertFails(DebeziumDecoders.json(), Envelopes.value(wrongBase, "null", "{\"d\":\"x\"}", "c"),
        "io.debezium.time.Date", "int32");
  }

  @Test
  void schemalessInputToTheSchemaDecoder() {
    assertFails(DebeziumDecoders.json(), "{\"before\":null,\"after\":{\"n\":1},\"op\":\"c\"}", "schemas.enable");
  }

  @Test
  void badKeyIsNamedAsTheKey() {
    String key = Envelopes.key("{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"}", "{\"id\":\"x\"}");
    assertThatThrownBy(() -> DebeziumDecoders.json().decode(Envelopes.record(key,
        Envelopes.value(INT_FIELD, "null", "{\"n\":1}", "c"))))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("record key")
        .hasMessageContaining("'id'")
        .hasMessageContaining(WHERE);
  }

  @Test
  void tombstonesNeverThrow() {
    for (RecordDecoder d : new RecordDecoder[] {DebeziumDecoders.json(), DebeziumDecoders.unwrapped(),
        DebeziumDecoders.schemaless(SchemaHints.none()), DebeziumDecoders.auto()}) {
      assertThat(d.decode(Envelopes.record("not even json", null)))
          .isEqualTo(new DecodedRecord.Tombstone(Origin.of(Envelopes.TOPIC, 3, 42)));
      assertThat(d.decode(Envelopes.record(null, ""))).isInstanceOf(DecodedRecord.Tombstone.class);
      assertThat(d.decode(Envelopes.record(null, "null"))).isInstanceOf(DecodedRecord.Tombstone.class);
    }
    assertThat(DebeziumDecoders.json().decode(Envelopes.record(null, "{\"schema\":null,\"payload\":null}")))
        .isInstanceOf(DecodedRecord.Tombstone.class);
  }
}
