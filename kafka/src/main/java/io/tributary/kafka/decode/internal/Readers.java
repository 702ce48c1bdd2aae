package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.kafka.decode.VariableScaleDecimalMode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The {@link ValueReader}s for Connect schema types as JsonConverter writes them. */
public final class Readers {
  private Readers() {}

  /** The TOAST placeholder as it appears in string columns and, base64-encoded, in bytes columns. */
  public record Placeholder(String text, String base64) {
    public static Placeholder of(String text) {
      return new Placeholder(text, Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
  }

  static final class IntReader extends ValueReader {
    private final int bits;

    IntReader(int bits) {
      super(Types.IntegerType.ofBits(bits));
      this.bits = bits;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw ValueReader.mismatch(p, "an int" + bits);
      }
      if (p.getNumberType() != JsonParser.NumberType.INT) {
        throw new DecodeException("value " + p.getText() + " does not fit int" + bits);
      }
      int v = p.getIntValue();
      if (bits < 32 && (v < -(1 << (bits - 1)) || v >= (1 << (bits - 1)))) {
        throw new DecodeException("value " + v + " does not fit int" + bits);
      }
      return v;
    }
  }

  /** An int64 scaled by a factor (timestamps in millis → micros) or divided by one (nanos → micros). */
  static final class LongReader extends ValueReader {
    private final long multiply;
    private final long divide;
    private final String expected;

    LongReader(DataType type, long multiply, long divide, String expected) {
      super(type);
      this.multiply = multiply;
      this.divide = divide;
      this.expected = expected;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
        throw ValueReader.mismatch(p, expected);
      }
      JsonParser.NumberType nt = p.getNumberType();
      if (nt == JsonParser.NumberType.BIG_INTEGER) {
        throw new DecodeException("value " + p.getText() + " does not fit " + expected);
      }
      long v = p.getLongValue();
      if (multiply != 1) {
        try {
          v = Math.multiplyExact(v, multiply);
        } catch (ArithmeticException e) {
          throw new DecodeException("value " + p.getText() + " overflows " + type(), e);
        }
      }
      if (divide != 1) {
        v = Math.floorDiv(v, divide);
      }
      return v;
    }
  }

  /** An int32 date (days) or int32 time (millis, scaled to micros). */
  static final class Int32AsReader extends ValueReader {
    private final long multiply;

    Int32AsReader(DataType type, long multiply) {
      super(type);
      this.multiply = multiply;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
        throw ValueReader.mismatch(p, "an int32 " + type());
      }
      int v = p.getIntValue();
      return multiply == 0 ? (Object) v : (Object) (v * multiply);
    }
  }

  static final class FloatReader extends ValueReader {
    private final boolean single;

    FloatReader(boolean single) {
      super(single ? Types.FloatType.get() : Types.DoubleType.get());
      this.single = single;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      double v;
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        v = p.getDoubleValue();
      } else if (t == JsonToken.VALUE_STRING) {
        // Jackson writes non-finite doubles as strings
        String s = p.getText();
        switch (s) {
          case "NaN": v = Double.NaN; break;
          case "Infinity": v = Double.POSITIVE_INFINITY; break;
          case "-Infinity": v = Double.NEGATIVE_INFINITY; break;
          default: throw ValueReader.mismatch(p, single ? "a float32" : "a float64");
        }
      } else {
        throw ValueReader.mismatch(p, single ? "a float32" : "a float64");
      }
      return single ? (Object) (float) v : (Object) v;
    }
  }

  static final class BooleanReader extends ValueReader {
    BooleanReader() {
      super(Types.BooleanType.get());
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_TRUE) {
        return Boolean.TRUE;
      }
      if (t == JsonToken.VALUE_FALSE) {
        return Boolean.FALSE;
      }
      throw ValueReader.mismatch(p, "a boolean");
    }
  }

  /** Text-valued types (string, JSON, enum, XML, ...); the TOAST placeholder reads as unavailable. */
  static final class TextReader extends ValueReader {
    private final String placeholder;

    TextReader(DataType type, String placeholder) {
      super(type);
      this.placeholder = placeholder;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw ValueReader.mismatch(p, "a string");
      }
      String s = p.getText();
      return s.equals(placeholder) ? Unavailable.VALUE : s;
    }
  }

  static final class UuidReader extends ValueReader {
    private final String placeholder;

    UuidReader(String placeholder) {
      super(Types.UuidType.get());
      this.placeholder = placeholder;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw ValueReader.mismatch(p, "a UUID string");
      }
      String s = p.getText();
      if (s.equals(placeholder)) {
        return Unavailable.VALUE;
      }
      try {
        return UUID.fromString(s);
      } catch (IllegalArgumentException e) {
        throw new DecodeException("not a UUID: '" + s + "'", e);
      }
    }
  }

  static final class BinaryReader extends ValueReader {
    private final String placeholderBase64;

    BinaryReader(String placeholderBase64) {
      super(Types.BinaryType.get());
      this.placeholderBase64 = placeholderBase64;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      byte[] bytes = base64(p, placeholderBase64);
      return bytes == null ? Unavailable.VALUE : ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }
  }

  /** Decodes a base64 string; null when it is the placeholder. */
  static byte[] base64(JsonParser p, String placeholderBase64) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw ValueReader.mismatch(p, "a base64 string");
    }
    String s = p.getText();
    if (placeholderBase64 != null && s.equals(placeholderBase64)) {
      return null;
    }
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new DecodeException("not valid base64: " + e.getMessage(), e);
    }
  }

  /** Connect {@code Decimal}: base64 two's-complement unscaled value (or a JSON number with decimal.format=NUMERIC). */
  static final class DecimalReader extends ValueReader {
    private final int scale;
    private final String placeholderBase64;

    DecimalReader(Types.DecimalType type, String placeholderBase64) {
      super(type);
      this.scale = type.scale();
      this.placeholderBase64 = placeholderBase64;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        return rescale(p.getDecimalValue(), scale);
      }
      byte[] bytes = base64(p, placeholderBase64);
      if (bytes == null) {
        return Unavailable.VALUE;
      }
      if (bytes.length == 0) {
        throw new DecodeException("empty decimal bytes");
      }
      return new BigDecimal(new BigInteger(bytes), scale);
    }
  }

  static BigDecimal rescale(BigDecimal v, int scale) {
    try {
      return v.setScale(scale, RoundingMode.UNNECESSARY);
    } catch (ArithmeticException e) {
      throw new DecodeException("decimal " + v + " does not fit scale " + scale, e);
    }
  }

  /** {@code io.debezium.data.VariableScaleDecimal}: a struct {scale, value}. */
  static final class VariableScaleDecimalReader extends ValueReader {
    static final Types.DecimalType WIDE = Types.DecimalType.of(38, 18);
    private final VariableScaleDecimalMode mode;

    VariableScaleDecimalReader(VariableScaleDecimalMode mode) {
      super(mode == VariableScaleDecimalMode.STRING ? Types.StringType.get() : WIDE);
      this.mode = mode;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      BigDecimal v = readVariableScale(p);
      return convertVariableScale(v, mode);
    }
  }

  static Object convertVariableScale(BigDecimal v, VariableScaleDecimalMode mode) {
    if (mode == VariableScaleDecimalMode.STRING) {
      return v.toPlainString();
    }
    BigDecimal r = v.setScale(18, RoundingMode.HALF_EVEN);
    if (r.precision() > 38) {
      throw new DecodeException("decimal " + v.toPlainString() + " does not fit decimal(38, 18)");
    }
    return r;
  }

  static BigDecimal readVariableScale(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ValueReader.mismatch(p, "a VariableScaleDecimal struct {scale, value}");
    }
    Integer scale = null;
    byte[] value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals("scale") && p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        scale = p.getIntValue();
      } else if (name.equals("value") && p.currentToken() == JsonToken.VALUE_STRING) {
        value = base64(p, null);
      } else {
        throw new DecodeException("unexpected VariableScaleDecimal member '" + name + "' " + ValueReader.describe(p));
      }
    }
    if (scale == null || value == null || value.length == 0) {
      throw new DecodeException("VariableScaleDecimal needs both scale and value");
    }
    return new BigDecimal(new BigInteger(value), scale);
  }

  static final class ZonedTimestampReader extends ValueReader {
    private final boolean nanos;

    ZonedTimestampReader(boolean nanos) {
      super(nanos ? Types.TimestampType.zonedNanos() : Types.TimestampType.zoned());
      this.nanos = nanos;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw ValueReader.mismatch(p, "an ISO timestamp string");
      }
      String s = p.getText();
      return nanos ? Temporals.zonedTimestampNanos(s) : Temporals.zonedTimestampMicros(s);
    }
  }

  static final class ZonedTimeReader extends ValueReader {
    ZonedTimeReader() {
      super(Types.TimeType.get());
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        throw ValueReader.mismatch(p, "an ISO time string");
      }
      return Temporals.zonedTimeMicros(p.getText());
    }
  }

  /** A Connect struct read into a {@link Row}; fields are matched by name, in schema order first. */
  public static final class StructReader extends ValueReader {
    private final String[] names;
    private final ValueReader[] readers;
    private final boolean[] optional;
    private final Map<String, Integer> positions;

    public StructReader(List<Field> fields, List<ValueReader> readers) {
      super(StructType.of(fields));
      int n = fields.size();
      this.names = new String[n];
      this.readers = readers.toArray(new ValueReader[0]);
      this.optional = new boolean[n];
      this.positions = new java.util.HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        names[i] = fields.get(i).name();
        optional[i] = fields.get(i).isOptional();
        positions.put(names[i], i);
      }
    }

    public StructType structType() {
      return (StructType) type();
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      return read(p, null);
    }

    /**
     * Reads the struct; when {@code meta} is not null, members named {@code __...} that are not fields of
     * the struct are collected there as text (ExtractNewRecordState metadata).
     */
    public Row read(JsonParser p, Map<String, String> meta) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw ValueReader.mismatch(p, "a struct");
      }
      Object[] values = new Object[names.length];
      int expected = 0;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        int pos;
        if (expected < names.length && names[expected].equals(name)) {
          pos = expected;
        } else {
          Integer found = positions.get(name);
          if (found == null) {
            if (meta != null && name.startsWith("__")) {
              JsonToken mt = p.nextToken();
              if (mt == JsonToken.START_OBJECT || mt == JsonToken.START_ARRAY) {
                p.skipChildren();
              } else if (mt != JsonToken.VALUE_NULL) {
                meta.put(name, p.getText());
              }
              continue;
            }
            throw new DecodeException("field is not in the schema").in(name);
          }
          pos = found;
        }
        expected = pos + 1;
        if (p.nextToken() == JsonToken.VALUE_NULL) {
          if (!optional[pos]) {
            throw new DecodeException("null in a required field").in(name);
          }
          continue;
        }
        try {
          values[pos] = readers[pos].read(p);
        } catch (DecodeException e) {
          throw e.in(name);
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw ValueReader.mismatch(p, "a field name or the end of the struct");
      }
      for (int i = 0; i < values.length; i++) {
        if (values[i] == null && !optional[i]) {
          throw new DecodeException("required field is missing").in(names[i]);
        }
      }
      return Row.wrap(structType(), values);
    }
  }

  static final class ListReader extends ValueReader {
    private final ValueReader element;
    private final boolean elementOptional;

    ListReader(ValueReader element, boolean elementOptional) {
      super(Types.ListType.of(element.type(), elementOptional));
      this.element = element;
      this.elementOptional = elementOptional;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        throw ValueReader.mismatch(p, "an array");
      }
      List<Object> out = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == JsonToken.VALUE_NULL) {
          if (!elementOptional) {
            throw new DecodeException("null element in an array of required elements");
          }
          out.add(null);
        } else {
          try {
            out.add(element.read(p));
          } catch (DecodeException e) {
            throw e.in("[" + out.size() + "]");
          }
        }
      }
      // a TOASTed PostgreSQL array arrives as a one-element array holding the placeholder
      if (out.size() == 1 && out.get(0) == Unavailable.VALUE) {
        return Unavailable.VALUE;
      }
      return Collections.unmodifiableList(out);
    }
  }

  /** A Connect map: a JSON object when keys are strings, else an array of [key, value] pairs. */
  static final class MapReader extends ValueReader {
    private final ValueReader key;
    private final ValueReader value;
    private final boolean valueOptional;

    MapReader(ValueReader key, ValueReader value, boolean valueOptional) {
      super(Types.MapType.of(key.type(), value.type(), valueOptional));
      this.key = key;
      this.value = value;
      this.valueOptional = valueOptional;
    }

    @Override
    public Object read(JsonParser p) throws IOException {
      Map<Object, Object> out = new LinkedHashMap<>();
      if (p.currentToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String k = p.currentName();
          out.put(k, readValue(p, k));
        }
      } else if (p.currentToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_ARRAY) {
          p.nextToken();
          Object k = key.read(p);
          out.put(k, readValue(p, String.valueOf(k)));
          if (p.nextToken() != JsonToken.END_ARRAY) {
            throw ValueReader.mismatch(p, "the end of a [key, value] pair");
          }
        }
      } else {
        throw ValueReader.mismatch(p, "a map");
      }
      return Collections.unmodifiableMap(out);
    }

    private Object readValue(JsonParser p, String k) throws IOException {
      if (p.nextToken() == JsonToken.VALUE_NULL) {
        if (!valueOptional) {
          throw new DecodeException("null value in a map of required values").in(k);
        }
        return null;
      }
      try {
        return value.read(p);
      } catch (DecodeException e) {
        throw e.in(k);
      }
    }
  }
}
