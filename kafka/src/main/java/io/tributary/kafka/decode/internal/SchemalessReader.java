package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.kafka.decode.VariableScaleDecimalMode;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads rows of schemaless JSON (JsonConverter {@code schemas.enable=false}). A column present in the hint
 * schema is decoded as the hinted type; any other value's type is inferred from the JSON token: integer →
 * long, other number → double, string → string, boolean → boolean, object → struct, array → list of the
 * first element's type, null → optional string. See {@link io.tributary.kafka.decode.DebeziumDecoders} for
 * what cannot be known without a hint.
 */
public final class SchemalessReader {
  private static final long MILLIS_LIMIT = 10_000_000_000_000L;
  private static final long MICROS_LIMIT = 10_000_000_000_000_000L;

  private final ObjectMapper mapper;
  private final Readers.Placeholder placeholder;
  private final VariableScaleDecimalMode variableScaleDecimalMode;

  public SchemalessReader(ObjectMapper mapper, Readers.Placeholder placeholder, VariableScaleDecimalMode mode) {
    this.mapper = mapper;
    this.placeholder = placeholder;
    this.variableScaleDecimalMode = mode;
  }

  /**
   * Reads a JSON object into a row. Fields whose name starts with {@code __} go to {@code meta} (as text)
   * instead when {@code meta} is not null: they are ExtractNewRecordState's metadata.
   */
  public Row readRow(JsonParser p, StructType hint, Map<String, String> meta) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ValueReader.mismatch(p, "an object");
    }
    List<Field> fields = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (meta != null && name.startsWith("__")) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (t != JsonToken.VALUE_NULL) {
          meta.put(name, p.getText());
        }
        continue;
      }
      Field hinted = hint == null ? null : hint.field(name);
      if (hinted == null && hint != null) {
        int pos = hint.indexOfIgnoreCase(name);
        hinted = pos < 0 ? null : hint.field(pos).withName(name);
      }
      try {
        if (hinted != null) {
          fields.add(hinted.asOptional());
          values.add(t == JsonToken.VALUE_NULL ? null : readAs(p, hinted.type()));
        } else {
          Object[] typed = infer(p);
          fields.add(Field.optional(name, (DataType) typed[0]));
          values.add(typed[1]);
        }
      } catch (DecodeException e) {
        throw e.in(name);
      }
    }
    return Row.wrap(StructType.of(fields), values.toArray());
  }

  /** Returns {type, value} for a value without a hint. */
  Object[] infer(JsonParser p) throws IOException {
    switch (p.currentToken()) {
      case VALUE_NULL: return new Object[] {Types.StringType.get(), null};
      case VALUE_TRUE: return new Object[] {Types.BooleanType.get(), Boolean.TRUE};
      case VALUE_FALSE: return new Object[] {Types.BooleanType.get(), Boolean.FALSE};
      case VALUE_NUMBER_INT:
        if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          BigDecimal d = new BigDecimal(p.getBigIntegerValue());
          if (d.precision() <= Types.DecimalType.MAX_PRECISION) {
            return new Object[] {Types.DecimalType.of(Types.DecimalType.MAX_PRECISION, 0), d};
          }
          return new Object[] {Types.StringType.get(), d.toPlainString()};
        }
        return new Object[] {Types.LongType.get(), p.getLongValue()};
      case VALUE_NUMBER_FLOAT: return new Object[] {Types.DoubleType.get(), p.getDoubleValue()};
      case VALUE_STRING: {
        String s = p.getText();
        return new Object[] {Types.StringType.get(), s.equals(placeholder.text()) ? Unavailable.VALUE : s};
      }
      case START_OBJECT: {
        Row row = readRow(p, null, null);
        return new Object[] {row.schema(), row};
      }
      case START_ARRAY: {
        List<Object> out = new ArrayList<>();
        DataType element = null;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
          if (t == JsonToken.VALUE_NULL) {
            out.add(null);
          } else if (element == null) {
            Object[] first = infer(p);
            element = (DataType) first[0];
            out.add(first[1]);
          } else {
            out.add(readAs(p, element));
          }
        }
        return new Object[] {
            Types.ListType.of(element == null ? Types.StringType.get() : element, true),
            Collections.unmodifiableList(out)};
      }
      default: throw ValueReader.mismatch(p, "a JSON value");
    }
  }

  /** Reads a non-null value as the given core type, accepting the encodings JsonConverter uses for it. */
  Object readAs(JsonParser p, DataType type) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING && placeholder.text().equals(p.getText())
        && !(type instanceof Types.BinaryType)) {
      return Unavailable.VALUE;
    }
    if (type instanceof Types.BooleanType) {
      if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
        return t == JsonToken.VALUE_TRUE;
      }
      if (t == JsonToken.VALUE_NUMBER_INT) {
        return p.getLongValue() != 0;
      }
      throw ValueReader.mismatch(p, "a boolean");
    }
    if (type instanceof Types.IntegerType it) {
      return new Readers.IntReader(it.bits()).read(p);
    }
    if (type instanceof Types.LongType) {
      return longValue(p, "a long");
    }
    if (type instanceof Types.FloatType) {
      return new Readers.FloatReader(true).read(p);
    }
    if (type instanceof Types.DoubleType) {
      return new Readers.FloatReader(false).read(p);
    }
    if (type instanceof Types.DecimalType d) {
      if (t == JsonToken.START_OBJECT) {
        return Readers.rescale(Readers.readVariableScale(p), d.scale());
      }
      return new Readers.DecimalReader(d, placeholder.base64()).read(p);
    }
    if (type instanceof Types.BinaryType) {
      byte[] bytes = Readers.base64(p, placeholder.base64());
      return bytes == null ? Unavailable.VALUE : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
    if (type instanceof Types.StringType || type instanceof Types.EnumType || type instanceof Types.JsonType) {
      if (t == JsonToken.START_OBJECT && type instanceof Types.StringType) {
        // a VariableScaleDecimal decoded as string
        return Readers.convertVariableScale(Readers.readVariableScale(p), VariableScaleDecimalMode.STRING);
      }
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        return jsonText(p);
      }
      return p.getText();
    }
    if (type instanceof Types.DateType) {
      if (t == JsonToken.VALUE_STRING) {
        return Temporals.epochDay(p.getText());
      }
      return new Readers.Int32AsReader(type, 0).read(p);
    }
    if (type instanceof Types.TimeType) {
      if (t == JsonToken.VALUE_STRING) {
        return Temporals.timeMicros(p.getText());
      }
      return longValue(p, "a time");
    }
    if (type instanceof Types.TimestampType ts) {
      boolean nanos = ts.precision() == Types.TimestampPrecision.NANOS;
      if (t == JsonToken.VALUE_STRING) {
        long n = Temporals.anyTimestampNanos(p.getText());
        return nanos ? n : Math.floorDiv(n, 1000L);
      }
      long v = longValue(p, "an epoch timestamp");
      long abs = Math.abs(v);
      long micros;
      if (abs < MILLIS_LIMIT) {
        if (nanos) {
          return Math.multiplyExact(v, 1_000_000L);
        }
        micros = Math.multiplyExact(v, 1000L);
      } else if (abs < MICROS_LIMIT) {
        if (nanos) {
          return Math.multiplyExact(v, 1000L);
        }
        micros = v;
      } else {
        return nanos ? v : Math.floorDiv(v, 1000L);
      }
      return micros;
    }
    if (type instanceof Types.UuidType) {
      return new Readers.UuidReader(placeholder.text()).read(p);
    }
    if (type instanceof StructType st) {
      Row row = readRow(p, st, null);
      return row;
    }
    if (type instanceof Types.ListType lt) {
      if (t != JsonToken.START_ARRAY) {
        throw ValueReader.mismatch(p, "an array");
      }
      List<Object> out = new ArrayList<>();
      while (p.nextToken() != JsonToken.END_ARRAY) {
        out.add(p.currentToken() == JsonToken.VALUE_NULL ? null : readAs(p, lt.elementType()));
      }
      return Collections.unmodifiableList(out);
    }
    if (type instanceof Types.MapType mt) {
      if (t != JsonToken.START_OBJECT) {
        throw ValueReader.mismatch(p, "an object");
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        p.nextToken();
        out.put(k, p.currentToken() == JsonToken.VALUE_NULL ? null : readAs(p, mt.valueType()));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new DecodeException("unsupported hinted type " + type);
  }

  private static long longValue(JsonParser p, String expected) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw ValueReader.mismatch(p, expected);
    }
    return p.getLongValue();
  }

  private String jsonText(JsonParser p) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = mapper.getFactory().createGenerator(w)) {
      g.copyCurrentStructure(p);
    }
    return w.toString();
  }


}
