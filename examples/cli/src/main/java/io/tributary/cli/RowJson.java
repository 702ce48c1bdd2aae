package io.tributary.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.core.Row;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Renders table rows (canonical core values) as one JSON object per row: integers and floats as numbers,
 * decimals as plain-notation strings, booleans, dates {@code YYYY-MM-DD}, times {@code HH:MM:SS[.ffffff]},
 * timestamps ISO-8601 (with {@code Z} when zoned), binary as base64, nested values as JSON.
 */
final class RowJson {
  private static final JsonFactory JSON = new JsonFactory();

  private RowJson() {}

  static String toJson(Row row) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      writeStruct(g, row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The text of one value as {@code show --format table} prints it. */
  static String toText(DataType type, Object value) {
    if (value == null) {
      return "null";
    }
    if (type instanceof StructType || value instanceof List || value instanceof Map) {
      StringWriter out = new StringWriter();
      try (JsonGenerator g = JSON.createGenerator(out)) {
        write(g, type, value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }
    return scalarText(type, value);
  }

  private static void writeStruct(JsonGenerator g, Row row) throws IOException {
    g.writeStartObject();
    StructType schema = row.schema();
    for (int i = 0; i < row.size(); i++) {
      Field f = schema.field(i);
      g.writeFieldName(f.name());
      write(g, f.type(), row.get(i));
    }
    g.writeEndObject();
  }

  private static void write(JsonGenerator g, DataType type, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
      return;
    }
    if (v instanceof Row r) {
      writeStruct(g, r);
    } else if (v instanceof List<?> list) {
      DataType element = type instanceof Types.ListType l ? l.elementType() : Types.StringType.get();
      g.writeStartArray();
      for (Object e : list) {
        write(g, element, e);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      DataType valueType = type instanceof Types.MapType m ? m.valueType() : Types.StringType.get();
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        write(g, valueType, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof Integer i && !(type instanceof Types.DateType)) {
      g.writeNumber(i);
    } else if (v instanceof Long l && !(type instanceof Types.TimeType) && !(type instanceof Types.TimestampType)) {
      g.writeNumber(l);
    } else if (v instanceof Double d && Double.isFinite(d)) {
      g.writeNumber(d);
    } else if (v instanceof Float f && Float.isFinite(f)) {
      g.writeNumber(f);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else {
      g.writeString(scalarText(type, v));
    }
  }

  private static String scalarText(DataType type, Object v) {
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof ByteBuffer b) {
      ByteBuffer copy = b.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (type instanceof Types.DateType && v instanceof Integer days) {
      return LocalDate.ofEpochDay(days).toString();
    }
    if (type instanceof Types.TimeType && v instanceof Long micros) {
      return LocalTime.ofNanoOfDay(micros * 1000L).format(DateTimeFormatter.ISO_LOCAL_TIME);
    }
    if (type instanceof Types.TimestampType ts && v instanceof Long units) {
      long nanosPerUnit = ts.precision() == Types.TimestampPrecision.NANOS ? 1 : 1000;
      Instant instant = Instant.EPOCH.plusNanos(Math.multiplyExact(units, nanosPerUnit));
      return ts.isZoned()
          ? DateTimeFormatter.ISO_INSTANT.format(instant)
          : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    }
    return v.toString();
  }
}
