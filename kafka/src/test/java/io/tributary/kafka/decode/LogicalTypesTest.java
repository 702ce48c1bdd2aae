package io.tributary.kafka.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.config.Settings;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every Debezium/Connect logical type decodes to its core type and canonical value. */
class LogicalTypesTest {
  private final RecordDecoder decoder = DebeziumDecoders.json();

  private ChangeEvent decode(RecordDecoder d, String value) {
    return ((DecodedRecord.Change) d.decode(Envelopes.record(null, value))).event();
  }

  /** Decodes one column {@code v}; returns {type, value}. */
  private Object[] single(String fieldSchema, String json) {
    ChangeEvent e = decode(decoder, Envelopes.single(fieldSchema, json));
    return new Object[] {e.rowSchema().field("v").type(), e.after().get("v")};
  }

  private void assertSingle(String fieldSchema, String json, DataType type, Object value) {
    Object[] r = single(fieldSchema, json);
    assertThat(r[0]).isEqualTo(type);
    assertThat(r[1]).isEqualTo(value);
  }

  private static String base64(BigInteger unscaled) {
    return "\"" + Base64.getEncoder().encodeToString(unscaled.toByteArray()) + "\"";
  }

  @Test
  void primitives() {
    assertSingle("{\"type\":\"int8\",\"optional\":true}", "-128", Types.IntegerType.ofBits(8), -128);
    assertSingle("{\"type\":\"int16\",\"optional\":true}", "1", Types.IntegerType.ofBits(16), 1);
    assertSingle("{\"type\":\"int32\",\"optional\":true}", "2147483647", Types.IntegerType.get(), 2147483647);
    assertSingle("{\"type\":\"int64\",\"optional\":true}", "9223372036854775807", Types.LongType.get(), Long.MAX_VALUE);
    assertSingle("{\"type\":\"float\",\"optional\":true}", "1.5", Types.FloatType.get(), 1.5f);
    assertSingle("{\"type\":\"double\",\"optional\":true}", "1.7976931348623157E308", Types.DoubleType.get(),
        Double.MAX_VALUE);
    assertSingle("{\"type\":\"double\",\"optional\":true}", "\"NaN\"", Types.DoubleType.get(), Double.NaN);
    assertSingle("{\"type\":\"boolean\",\"optional\":true}", "true", Types.BooleanType.get(), true);
    assertSingle("{\"type\":\"string\",\"optional\":true}", "\"\\uD83D\\uDE80 ok\"", Types.StringType.get(), "\uD83D\uDE80 ok");
    assertSingle("{\"type\":\"bytes\",\"optional\":true}", "\"AP8Bf4A=\"", Types.BinaryType.get(),
        ByteBuffer.wrap(new byte[] {0, (byte) 0xFF, 1, 0x7F, (byte) 0x80}));
    Object[] bytes = single("{\"type\":\"bytes\",\"optional\":true}", "\"AP8Bf4A=\"");
    assertThat(((ByteBuffer) bytes[1]).isReadOnly()).isTrue();
  }

  @Test
  void decimals() {
    String schema = "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"version\":1,\"parameters\":{\"scale\":\"2\",\"connect.decimal.precision\":\"12\"}}";
    assertSingle(schema, "\"MD8=\"", Types.DecimalType.of(12, 2), new BigDecimal("123.51"));
    assertSingle(schema, "\"AA==\"", Types.DecimalType.of(12, 2), new BigDecimal("0.00"));
    assertSingle(schema, "\"/xcrWvAB\"", Types.DecimalType.of(12, 2), new BigDecimal("-9999999999.99"));
    // decimal.format=NUMERIC writes a number; precision defaults to 38 when the parameter is absent
    String noPrecision = "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"parameters\":{\"scale\":\"4\"}}";
    assertSingle(noPrecision, "12.5", Types.DecimalType.of(38, 4), new BigDecimal("12.5000"));
    assertSingle(noPrecision, base64(BigInteger.valueOf(-1)), Types.DecimalType.of(38, 4), new BigDecimal("-0.0001"));
  }

  @Test
  void variableScaleDecimalIsALosslessStringByDefaultOrAWideDecimal() {
    String schema = "{\"type\":\"struct\",\"optional\":true,\"name\":\"io.debezium.data.VariableScaleDecimal\","
        + "\"fields\":[{\"type\":\"int32\",\"optional\":false,\"field\":\"scale\"},"
        + "{\"type\":\"bytes\",\"optional\":false,\"field\":\"value\"}]}";
    String value = "{\"scale\":3,\"value\":" + base64(BigInteger.valueOf(-1234567)) + "}";
    assertSingle(schema, value, Types.StringType.get(), "-1234.567");
    RecordDecoder wide = DebeziumDecoders.create(Settings.of(Map.of(
        "tributary.decoder.variable-scale-decimal", "decimal", "tributary.decoder.format", "json")));
    ChangeEvent e = decode(wide, Envelopes.single(schema, value));
    assertThat(e.rowSchema().field("v").type()).isEqualTo(Types.DecimalType.of(38, 18));
    assertThat(e.after().get("v")).isEqualTo(new BigDecimal("-1234.567000000000000000"));
  }

  @Test
  void datesAndTimes() {
    assertSingle("{\"type\":\"int32\",\"optional\":true,\"name\":\"io.debezium.time.Date\"}", "-5477",
        Types.DateType.get(), (int) LocalDate.parse("1955-01-03").toEpochDay());
    assertSingle("{\"type\":\"int32\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Date\"}", "3749",
        Types.DateType.get(), 3749);
    long sixOhOne = LocalTime.parse("06:01:01").toNanoOfDay() / 1000;
    assertSingle("{\"type\":\"int32\",\"optional\":true,\"name\":\"io.debezium.time.Time\"}", "21661000",
        Types.TimeType.get(), sixOhOne);
    assertSingle("{\"type\":\"int32\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Time\"}",
        "21661000", Types.TimeType.get(), sixOhOne);
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroTime\"}", "21661000000",
        Types.TimeType.get(), sixOhOne);
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.NanoTime\"}", "21661000001999",
        Types.TimeType.get(), sixOhOne + 1);
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTime\"}", "\"06:01:01.5Z\"",
        Types.TimeType.get(), sixOhOne + 500_000);
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTime\"}",
        "\"08:01:01+02:00\"", Types.TimeType.get(), sixOhOne);
    assertSingle("{\"type\":\"int32\",\"optional\":true,\"name\":\"io.debezium.time.Year\"}", "2024",
        Types.IntegerType.get(), 2024);
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroDuration\"}", "3600000000",
        Types.LongType.get(), 3_600_000_000L);
  }

  @Test
  void timestamps() {
    long millis = -140482676544L; // 1965-07-20T01:02:03.456
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.Timestamp\"}", "" + millis,
        Types.TimestampType.local(), millis * 1000);
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Timestamp\"}",
        "" + millis, Types.TimestampType.local(), millis * 1000);
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.MicroTimestamp\"}",
        "1709287261000001", Types.TimestampType.local(), 1709287261000001L);
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"io.debezium.time.NanoTimestamp\"}",
        "1709287261000000001", Types.TimestampType.localNanos(), 1709287261000000001L);
  }

  @ParameterizedTest
  @CsvSource({
      "2024-03-01T10:01:01Z, 1709287261000000",
      "2024-06-03T14:00:06.1Z, 1717423206100000",
      "2024-06-03T14:00:06.17Z, 1717423206170000",
      "2024-06-03T14:00:06.172Z, 1717423206172000",
      "2024-06-03T14:00:06.1728Z, 1717423206172800",
      "2024-06-03T14:00:06.17285Z, 1717423206172850",
      "2024-06-03T14:00:06.172850Z, 1717423206172850",
      "2024-06-03T14:00:06.1728501Z, 1717423206172850",
      "2024-06-03T14:00:06.17285012Z, 1717423206172850",
      "2024-06-03T14:00:06.172850129Z, 1717423206172850",
      "2024-06-03T16:00:06.17285+02:00, 1717423206172850",
      "1965-07-20T01:02:03.456Z, -140482676544000"
  })
  void zonedTimestampsWithAnyFractionLength(String text, long micros) {
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTimestamp\"}",
        "\"" + text + "\"", Types.TimestampType.zoned(), micros);
    assertThat(Instant.parse(text.endsWith("Z") ? text : "2024-06-03T14:00:06.17285Z").getEpochSecond())
        .isEqualTo(Math.floorDiv(micros, 1_000_000L));
  }

  @Test
  void semanticTypes() {
    UUID uuid = UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7");
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Uuid\"}", "\"" + uuid + "\"",
        Types.UuidType.get(), uuid);
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Json\"}",
        "\"{\\\"n\\\": 1}\"", Types.JsonType.get(), "{\"n\": 1}");
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\","
        + "\"parameters\":{\"allowed\":\"free,pro\"}}", "\"pro\"", Types.EnumType.of(List.of("free", "pro")), "pro");
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.EnumSet\","
        + "\"parameters\":{\"allowed\":\"a,b\"}}", "\"a,b\"", Types.StringType.get(), "a,b");
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Xml\"}", "\"<a/>\"",
        Types.StringType.get(), "<a/>");
    assertSingle("{\"type\":\"bytes\",\"optional\":true,\"name\":\"io.debezium.data.Bits\","
        + "\"parameters\":{\"length\":\"3\"}}", "\"BQ==\"", Types.BinaryType.get(), ByteBuffer.wrap(new byte[] {5}));
  }

  @Test
  void geometryIsAStruct() {
    String schema = "{\"type\":\"struct\",\"optional\":true,\"name\":\"io.debezium.data.geometry.Point\","
        + "\"fields\":[{\"type\":\"double\",\"optional\":false,\"field\":\"x\"},"
        + "{\"type\":\"double\",\"optional\":false,\"field\":\"y\"},"
        + "{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"},"
        + "{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}]}";
    Object[] r = single(schema, "{\"x\":1.0,\"y\":2.0,\"wkb\":\"AQEAAAAAAAAAAADwPwAAAAAAAABA\",\"srid\":4326}");
    StructType type = (StructType) r[0];
    assertThat(type.fieldNames()).containsExactly("x", "y", "wkb", "srid");
    Row point = (Row) r[1];
    assertThat(point.get("srid")).isEqualTo(4326);
    assertThat(point.get("x")).isEqualTo(1.0);
    assertThat(((ByteBuffer) point.get("wkb")).remaining()).isEqualTo(21);
  }

  @Test
  void arraysAndMaps() {
    assertSingle("{\"type\":\"array\",\"optional\":true,\"items\":{\"type\":\"int32\",\"optional\":true}}",
        "[1,null,3]", Types.ListType.of(Types.IntegerType.get(), true), java.util.Arrays.asList(1, null, 3));
    assertSingle("{\"type\":\"map\",\"optional\":true,\"keys\":{\"type\":\"string\",\"optional\":false},"
        + "\"values\":{\"type\":\"int64\",\"optional\":false}}", "{\"a\":1,\"b\":2}",
        Types.MapType.of(Types.StringType.get(), Types.LongType.get(), false), Map.of("a", 1L, "b", 2L));
    // JsonConverter writes maps with non-string keys as an array of [key, value] pairs
    assertSingle("{\"type\":\"map\",\"optional\":true,\"keys\":{\"type\":\"int32\",\"optional\":false},"
        + "\"values\":{\"type\":\"string\",\"optional\":true}}", "[[1,\"x\"],[2,null]]",
        Types.MapType.of(Types.IntegerType.get(), Types.StringType.get(), true),
        new java.util.HashMap<>(java.util.Collections.singletonMap(1, "x")) {{ put(2, null); }});
  }

  @Test
  void defaultsAndNullability() {
    String fields = "{\"type\":\"int32\",\"optional\":false,\"default\":0,\"field\":\"loyalty\"},"
        + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
        + "\"parameters\":{\"scale\":\"2\"},\"default\":\"AA==\",\"field\":\"balance\"},"
        + "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.time.ZonedTimestamp\","
        + "\"default\":\"1970-01-01T00:00:00Z\",\"field\":\"at\"}";
    ChangeEvent e = decode(decoder, Envelopes.value(fields, "null", "{\"loyalty\":5,\"balance\":null,\"at\":null}", "c"));
    assertThat(e.rowSchema().fields()).containsExactly(
        Field.required("loyalty", Types.IntegerType.get()).withDefault(0),
        Field.optional("balance", Types.DecimalType.of(38, 2)).withDefault(new BigDecimal("0.00")),
        Field.optional("at", Types.TimestampType.zoned()).withDefault(0L));
  }

  @Test
  void unknownLogicalTypesFallBackToTheBaseType() {
    assertSingle("{\"type\":\"string\",\"optional\":true,\"name\":\"com.example.Fancy\"}", "\"x\"",
        Types.StringType.get(), "x");
    assertSingle("{\"type\":\"int64\",\"optional\":true,\"name\":\"com.example.Counter\"}", "7",
        Types.LongType.get(), 7L);
  }

  @Test
  void toastPlaceholderInTextJsonAndBytesColumnsIsUnavailable() {
    String fields = "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
        + "{\"type\":\"string\",\"optional\":true,\"field\":\"notes\"},"
        + "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Json\",\"field\":\"prefs\"},"
        + "{\"type\":\"bytes\",\"optional\":true,\"field\":\"avatar\"},"
        + "{\"type\":\"array\",\"optional\":true,\"items\":{\"type\":\"string\",\"optional\":true},\"field\":\"tags\"}";
    String placeholderB64 = Base64.getEncoder().encodeToString(
        "__debezium_unavailable_value".getBytes(StandardCharsets.UTF_8));
    // PostgreSQL with REPLICA IDENTITY DEFAULT: updates have before = null
    ChangeEvent e = decode(decoder, Envelopes.value(fields, "null",
        "{\"id\":70,\"notes\":\"__debezium_unavailable_value\",\"prefs\":\"__debezium_unavailable_value\","
            + "\"avatar\":\"" + placeholderB64 + "\",\"tags\":[\"__debezium_unavailable_value\"]}", "u"));
    assertThat(e.before()).isNull();
    assertThat(e.after().get("id")).isEqualTo(70);
    assertThat(e.after().get("notes")).isSameAs(Unavailable.VALUE);
    assertThat(e.after().get("prefs")).isSameAs(Unavailable.VALUE);
    assertThat(e.after().get("avatar")).isSameAs(Unavailable.VALUE);
    assertThat(e.after().get("tags")).isSameAs(Unavailable.VALUE);
    assertThat(e.after().hasUnavailableValues()).isTrue();

    RecordDecoder custom = DebeziumDecoders.create(Settings.of(Map.of(
        "tributary.decoder.unavailable-value-placeholder", "<toast>")));
    ChangeEvent c = decode(custom, Envelopes.value(fields, "null",
        "{\"id\":1,\"notes\":\"<toast>\",\"prefs\":\"__debezium_unavailable_value\",\"avatar\":null,\"tags\":null}", "u"));
    assertThat(c.after().get("notes")).isSameAs(Unavailable.VALUE);
    assertThat(c.after().get("prefs")).isEqualTo("__debezium_unavailable_value");
  }

  @Test
  void postgresKeyOnlyDeleteAndSourcePosition() {
    String fields = "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
        + "{\"type\":\"string\",\"optional\":false,\"field\":\"name\"},"
        + "{\"type\":\"string\",\"optional\":true,\"field\":\"email\"}";
    String key = Envelopes.key("{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"}", "{\"id\":9}");
    DecodedRecord d = decoder.decode(Envelopes.record(key,
        Envelopes.value(fields, "{\"id\":9,\"name\":\"\",\"email\":null}", "null", "d")));
    ChangeEvent e = ((DecodedRecord.Change) d).event();
    assertThat(e.operation()).isEqualTo(io.tributary.core.Operation.DELETE);
    assertThat(e.key().toMap()).containsExactly(Map.entry("id", 9));
    assertThat(e.before().get("name")).isEqualTo("");
    assertThat(e.after()).isNull();
    assertThat(e.source().connector()).isEqualTo("postgresql");
    assertThat(e.source().schema()).isEqualTo("inventory");
    assertThat(e.source().namespace()).isEqualTo("inventory");
    assertThat(e.source().snapshot()).isFalse();
    assertThat(e.source().timestampMillis()).isEqualTo(1700000000123L);
    assertThat(e.source().attributes()).containsEntry("txId", "770").containsEntry("lsn", "41449128");
    assertThat(e.source().position().size()).isEqualTo(2);
    assertThat(e.source().position().component(0)).isEqualTo(41449128L);
    assertThat(e.source().position().component(1)).isEqualTo(41449128L);
    assertThat(d.origin()).isEqualTo(io.tributary.core.Origin.of(Envelopes.TOPIC, 3, 42));
  }
}
