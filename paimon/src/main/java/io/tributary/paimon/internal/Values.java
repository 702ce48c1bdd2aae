package io.tributary.paimon.internal;

import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.GenericArray;
import org.apache.paimon.data.GenericMap;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.InternalArray;
import org.apache.paimon.data.InternalMap;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.data.Timestamp;

/**
 * Converts canonical core values to Paimon's internal values and back. Values of an older or narrower
 * source type are widened to the table type first (int to long, float to double, micros to nanos).
 */
public final class Values {
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private Values() {}

  /** A canonical value of {@code from} as the canonical value of the (same or wider) type {@code to}. */
  public static Object widen(Object value, DataType from, DataType to) {
    if (value == null || value == Unavailable.VALUE || from == null || from.equals(to)) {
      return value;
    }
    if (to instanceof Types.LongType && value instanceof Integer i) {
      return i.longValue();
    }
    if (to instanceof Types.DoubleType && value instanceof Float f) {
      return (double) f;
    }
    if (to instanceof Types.TimestampType tt && from instanceof Types.TimestampType ft
        && tt.precision() != ft.precision()) {
      long v = (Long) value;
      return tt.precision() == Types.TimestampPrecision.NANOS ? Math.multiplyExact(v, 1000L) : Math.floorDiv(v, 1000L);
    }
    if (to instanceof Types.StringType && !(value instanceof String)) {
      // uuid and over-wide decimals are stored as text
      return value instanceof BigDecimal bd ? bd.toPlainString() : value.toString();
    }
    if (to instanceof StructType ts && from instanceof StructType && value instanceof Row r) {
      return Row.wrap(ts, project(r, ts));
    }
    if (to instanceof Types.ListType tl && from instanceof Types.ListType fl && value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object e : list) {
        out.add(widen(e, fl.elementType(), tl.elementType()));
      }
      return out;
    }
    if (to instanceof Types.MapType tm && from instanceof Types.MapType fm && value instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.put(widen(e.getKey(), fm.keyType(), tm.keyType()), widen(e.getValue(), fm.valueType(), tm.valueType()));
      }
      return out;
    }
    return value;
  }

  /**
   * The values of {@code row} in the order of {@code table}, matched by name; missing columns get their
   * default (or null), {@link Unavailable#VALUE} is kept.
   */
  public static Object[] project(Row row, StructType table) {
    return Projection.of(row.schema(), table).apply(row);
  }

  /** A canonical value of core type {@code type} as a Paimon internal value. */
  public static Object toPaimon(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (type instanceof Types.IntegerType i) {
      int v = ((Number) value).intValue();
      if (i.bits() == 8) {
        if (v < Byte.MIN_VALUE || v > Byte.MAX_VALUE) {
          throw new IllegalArgumentException(v + " does not fit in TINYINT");
        }
        return (byte) v;
      }
      if (i.bits() == 16) {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
          throw new IllegalArgumentException(v + " does not fit in SMALLINT");
        }
        return (short) v;
      }
      return v;
    }
    if (type instanceof Types.LongType) {
      return ((Number) value).longValue();
    }
    if (type instanceof Types.FloatType) {
      return ((Number) value).floatValue();
    }
    if (type instanceof Types.DoubleType) {
      return ((Number) value).doubleValue();
    }
    if (type instanceof Types.DecimalType d && d.precision() > Types.DecimalType.MAX_PRECISION) {
      return BinaryString.fromString(((BigDecimal) value).toPlainString());
    }
    if (type instanceof Types.DecimalType d) {
      BigDecimal bd = ((BigDecimal) value).setScale(d.scale(), RoundingMode.UNNECESSARY);
      Decimal dec = Decimal.fromBigDecimal(bd, d.precision(), d.scale());
      if (dec == null) {
        throw new IllegalArgumentException(value + " does not fit in " + d);
      }
      return dec;
    }
    if (type instanceof Types.StringType || type instanceof Types.JsonType
        || type instanceof Types.EnumType || type instanceof Types.UuidType) {
      return BinaryString.fromString(value.toString());
    }
    if (type instanceof Types.BinaryType) {
      ByteBuffer buf = ((ByteBuffer) value).duplicate();
      byte[] bytes = new byte[buf.remaining()];
      buf.get(bytes);
      return bytes;
    }
    if (type instanceof Types.DateType) {
      return ((Number) value).intValue();
    }
    if (type instanceof Types.TimeType) {
      long micros = ((Number) value).longValue();
      return (int) Math.floorDiv(Math.floorMod(micros, MICROS_PER_DAY), 1000L);
    }
    if (type instanceof Types.TimestampType ts) {
      long v = ((Number) value).longValue();
      if (ts.precision() == Types.TimestampPrecision.NANOS) {
        return Timestamp.fromEpochMillis(Math.floorDiv(v, 1_000_000L), (int) Math.floorMod(v, 1_000_000L));
      }
      return Timestamp.fromMicros(v);
    }
    if (type instanceof StructType s) {
      Row r = (Row) value;
      Object[] projected = r.schema().equals(s) ? null : project(r, s);
      GenericRow out = new GenericRow(s.size());
      for (int i = 0; i < s.size(); i++) {
        out.setField(i, toPaimon(projected == null ? r.get(i) : projected[i], s.field(i).type()));
      }
      return out;
    }
    if (type instanceof Types.ListType l) {
      List<?> list = (List<?>) value;
      Object[] arr = new Object[list.size()];
      for (int i = 0; i < arr.length; i++) {
        arr[i] = toPaimon(list.get(i), l.elementType());
      }
      return new GenericArray(arr);
    }
    if (type instanceof Types.MapType m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        out.put(toPaimon(e.getKey(), m.keyType()), toPaimon(e.getValue(), m.valueType()));
      }
      return new GenericMap(out);
    }
    if (type instanceof Types.BooleanType) {
      return (Boolean) value;
    }
    throw new IllegalArgumentException("cannot convert " + value.getClass().getSimpleName() + " to " + type);
  }

  /** Reads field {@code pos} of a Paimon row as the canonical value of core type {@code type}. */
  public static Object fromPaimon(InternalRow row, int pos, DataType type) {
    if (row.isNullAt(pos)) {
      return null;
    }
    if (type instanceof Types.BooleanType) {
      return row.getBoolean(pos);
    } else if (type instanceof Types.IntegerType i) {
      return i.bits() == 8 ? (int) row.getByte(pos) : i.bits() == 16 ? (int) row.getShort(pos) : row.getInt(pos);
    } else if (type instanceof Types.LongType) {
      return row.getLong(pos);
    } else if (type instanceof Types.FloatType) {
      return row.getFloat(pos);
    } else if (type instanceof Types.DoubleType) {
      return row.getDouble(pos);
    } else if (type instanceof Types.DecimalType d) {
      return row.getDecimal(pos, d.precision(), d.scale()).toBigDecimal();
    } else if (type instanceof Types.StringType) {
      return row.getString(pos).toString();
    } else if (type instanceof Types.BinaryType) {
      return ByteBuffer.wrap(row.getBinary(pos)).asReadOnlyBuffer();
    } else if (type instanceof Types.DateType) {
      return row.getInt(pos);
    } else if (type instanceof Types.TimeType) {
      return row.getInt(pos) * 1000L;
    } else if (type instanceof Types.TimestampType ts) {
      boolean nanos = ts.precision() == Types.TimestampPrecision.NANOS;
      Timestamp t = row.getTimestamp(pos, nanos ? 9 : 6);
      return nanos ? t.getMillisecond() * 1_000_000L + t.getNanoOfMillisecond() : t.toMicros();
    } else if (type instanceof StructType s) {
      InternalRow nested = row.getRow(pos, s.size());
      Object[] values = new Object[s.size()];
      for (int i = 0; i < s.size(); i++) {
        values[i] = fromPaimon(nested, i, s.field(i).type());
      }
      return Row.wrap(s, values);
    } else if (type instanceof Types.ListType l) {
      return fromArray(row.getArray(pos), l.elementType());
    } else if (type instanceof Types.MapType m) {
      InternalMap map = row.getMap(pos);
      List<Object> keys = fromArray(map.keyArray(), m.keyType());
      List<Object> vals = fromArray(map.valueArray(), m.valueType());
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.size(); i++) {
        out.put(keys.get(i), vals.get(i));
      }
      return out;
    }
    throw new IllegalArgumentException("cannot read " + type);
  }

  private static List<Object> fromArray(InternalArray array, DataType type) {
    // a one-column row view over each element keeps a single conversion routine
    List<Object> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.isNullAt(i) ? null : fromPaimon(GenericRow.of(InternalArray.createElementGetter(
          TypeMapping.toPaimon(type, true)).getElementOrNull(array, i)), 0, type));
    }
    return out;
  }

  /** A default value as text for table options; null when the type has no textual default. */
  public static String encodeDefault(Object value, DataType type) {
    if (value == null) {
      return null;
    }
    if (value instanceof ByteBuffer b) {
      ByteBuffer dup = b.duplicate();
      byte[] bytes = new byte[dup.remaining()];
      dup.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
    if (value instanceof BigDecimal bd) {
      return bd.toPlainString();
    }
    if (type.isNested()) {
      return null;
    }
    return value.toString();
  }

  /** The inverse of {@link #encodeDefault}. */
  public static Object decodeDefault(String text, DataType type) {
    if (text == null) {
      return null;
    }
    if (type instanceof Types.BooleanType) {
      return Boolean.parseBoolean(text);
    } else if (type instanceof Types.IntegerType || type instanceof Types.DateType) {
      return Integer.parseInt(text);
    } else if (type instanceof Types.LongType || type instanceof Types.TimeType || type instanceof Types.TimestampType) {
      return Long.parseLong(text);
    } else if (type instanceof Types.FloatType) {
      return Float.parseFloat(text);
    } else if (type instanceof Types.DoubleType) {
      return Double.parseDouble(text);
    } else if (type instanceof Types.DecimalType d) {
      return new BigDecimal(text).setScale(d.scale(), RoundingMode.UNNECESSARY);
    } else if (type instanceof Types.BinaryType) {
      return ByteBuffer.wrap(Base64.getDecoder().decode(text)).asReadOnlyBuffer();
    } else if (type instanceof Types.UuidType) {
      return UUID.fromString(text);
    }
    return text;
  }
}
