package io.tributary.iceberg.internal;

import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * Converts core rows (canonical values, any older or narrower schema) into Iceberg records of a table schema
 * holding Iceberg's internal representation (dates as days, times and timestamps as longs, fixed and binary
 * as byte buffers), projecting by column name, and Iceberg generic records back into core rows.
 *
 * <p>The internal representation is what core rows already hold, so writing it spares building a
 * {@code LocalDate} or {@code OffsetDateTime} per value that the Parquet writer would turn back into a number.
 */
public final class RecordConverter {
  private static final long MICROS_PER_DAY = 86_400_000_000L;
  private final TypeMapping mapping;
  /** One empty record per struct type, copied per row: creating a record looks its type up in a shared cache. */
  private final Map<org.apache.iceberg.types.Types.StructType, GenericRecord> templates = new IdentityHashMap<>();

  public RecordConverter(TypeMapping mapping) {
    this.mapping = mapping;
  }

  /**
   * The record of {@code row} in {@code schema}. Columns the row lacks get their write default or null;
   * top-level columns holding {@link Unavailable#VALUE} keep the marker for the writer to resolve.
   *
   * @throws IllegalArgumentException when a value cannot be converted or a required column would be null
   */
  public Record toRecord(Row row, Schema schema) {
    return toStruct(row, schema.asStruct(), true, "");
  }

  /** An empty record of {@code struct}. */
  public GenericRecord newRecord(org.apache.iceberg.types.Types.StructType struct) {
    return templates.computeIfAbsent(struct, GenericRecord::create).copy();
  }

  private Record toStruct(Row row, org.apache.iceberg.types.Types.StructType target, boolean top, String prefix) {
    GenericRecord record = newRecord(target);
    StructType source = row.schema();
    List<NestedField> fields = target.fields();
    for (int i = 0; i < fields.size(); i++) {
      NestedField f = fields.get(i);
      int pos = source.indexOf(f.name());
      Object value;
      if (pos < 0) {
        // Iceberg keeps defaults in the internal representation already
        value = f.writeDefault();
      } else {
        Object raw = row.get(pos);
        if (raw == Unavailable.VALUE) {
          if (!top) {
            throw new IllegalArgumentException(
                "column " + prefix + f.name() + " is unavailable inside a nested value");
          }
          record.set(i, raw);
          continue;
        }
        value = convert(raw, source.field(pos).type(), f.type(), prefix, f.name());
      }
      if (value == null && f.isRequired()) {
        throw new IllegalArgumentException("required column " + prefix + f.name() + " is null");
      }
      record.set(i, value);
    }
    return record;
  }

  /** Converts a value of the column {@code prefix + name}; the column's path is built only when it is needed. */
  private Object convert(Object value, DataType sourceType, Type target, String prefix, String name) {
    if (value == null) {
      return null;
    }
    try {
      switch (target.typeId()) {
        case STRUCT:
          return toStruct((Row) value, target.asStructType(), false, prefix + name + ".");
        case LIST: {
          DataType element = ((Types.ListType) sourceType).elementType();
          Type targetElement = target.asListType().elementType();
          List<Object> out = new ArrayList<>();
          for (Object v : (List<?>) value) {
            out.add(convert(v, element, targetElement, prefix + name + ".", "element"));
          }
          return out;
        }
        case MAP: {
          Types.MapType m = (Types.MapType) sourceType;
          Type keyType = target.asMapType().keyType();
          Type valueType = target.asMapType().valueType();
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
            out.put(convert(e.getKey(), m.keyType(), keyType, prefix + name + ".", "key"),
                convert(e.getValue(), m.valueType(), valueType, prefix + name + ".", "value"));
          }
          return out;
        }
        default:
          return primitive(mapping.storageValue(value, sourceType), sourceType, target, prefix, name);
      }
    } catch (ClassCastException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "cannot store " + sourceType + " value '" + value + "' in column " + prefix + name + " of type " + target
              + ": " + e.getMessage(), e);
    }
  }

  private static Object primitive(Object v, DataType sourceType, Type target, String prefix, String name) {
    switch (target.typeId()) {
      case BOOLEAN:
        return (Boolean) v;
      case INTEGER:
        return (Integer) v;
      case LONG:
        return ((Number) v).longValue();
      case FLOAT:
        return (Float) v;
      case DOUBLE:
        return ((Number) v).doubleValue();
      case DECIMAL: {
        org.apache.iceberg.types.Types.DecimalType d = (org.apache.iceberg.types.Types.DecimalType) target;
        // rescaling is allowed only when no digit is lost
        BigDecimal big = ((BigDecimal) v).setScale(d.scale(), RoundingMode.UNNECESSARY);
        if (big.precision() > d.precision()) {
          throw new IllegalArgumentException(
              "decimal " + v + " has more than " + d.precision() + " digits for column " + prefix + name);
        }
        return big;
      }
      case STRING:
        return v instanceof CharSequence ? v.toString() : v instanceof UUID ? v.toString() : (String) v;
      case BINARY:
      case FIXED:
        return ((ByteBuffer) v).duplicate();
      case UUID:
        return v instanceof String s ? UUID.fromString(s) : (UUID) v;
      case DATE:
        return (Integer) v;
      case TIME: {
        long micros = (Long) v;
        if (micros < 0 || micros >= MICROS_PER_DAY) {
          throw new IllegalArgumentException("time " + micros + " us is not a time of day for column " + prefix + name
              + " (map durations to long micros or strings with tributary.iceberg.time-mapping)");
        }
        return micros;
      }
      case TIMESTAMP:
        return (Long) v;
      case TIMESTAMP_NANO:
        return sourceType instanceof Types.TimestampType ts && ts.precision() == Types.TimestampPrecision.NANOS
            ? (Long) v : Math.multiplyExact((Long) v, 1000L);
      default:
        throw new IllegalArgumentException("unsupported Iceberg type " + target + " for column " + prefix + name);
    }
  }

  /**
   * A generic record read from the table (dates as {@code LocalDate}, timestamps as {@code OffsetDateTime}...)
   * in the internal representation this converter writes, so that it can be merged with converted rows.
   */
  public Record internalOf(Record generic) {
    return (Record) internal(generic, generic.struct());
  }

  private Object internal(Object v, Type type) {
    if (v == null) {
      return null;
    }
    switch (type.typeId()) {
      case STRUCT: {
        Record in = (Record) v;
        GenericRecord out = newRecord(type.asStructType());
        List<NestedField> fields = type.asStructType().fields();
        for (int i = 0; i < fields.size(); i++) {
          out.set(i, internal(in.get(i), fields.get(i).type()));
        }
        return out;
      }
      case LIST: {
        List<Object> out = new ArrayList<>();
        for (Object e : (List<?>) v) {
          out.add(internal(e, type.asListType().elementType()));
        }
        return out;
      }
      case MAP: {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
          out.put(internal(e.getKey(), type.asMapType().keyType()),
              internal(e.getValue(), type.asMapType().valueType()));
        }
        return out;
      }
      case DATE: return DateTimeUtil.daysFromDate((LocalDate) v);
      case TIME: return DateTimeUtil.microsFromTime((LocalTime) v);
      case TIMESTAMP:
        return v instanceof OffsetDateTime ts ? DateTimeUtil.microsFromTimestamptz(ts)
            : DateTimeUtil.microsFromTimestamp((LocalDateTime) v);
      case TIMESTAMP_NANO:
        return v instanceof OffsetDateTime ts ? DateTimeUtil.nanosFromTimestamptz(ts)
            : DateTimeUtil.nanosFromTimestamp((LocalDateTime) v);
      case FIXED: return v instanceof byte[] b ? ByteBuffer.wrap(b) : v;
      default: return v;
    }
  }

  // ---------------------------------------------------------------- Iceberg -> core

  /** A generic record as a core row of {@code schema} (the table's schema mapped to core types). */
  public static Row toRow(Record record, StructType schema) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < values.length; i++) {
      Field f = schema.field(i);
      values[i] = toCanonical(record.getField(f.name()), f.type());
    }
    return Row.wrap(schema, values);
  }

  static Object toCanonical(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    if (type instanceof StructType s) {
      return toRow((Record) v, s);
    } else if (type instanceof Types.ListType l) {
      List<Object> out = new ArrayList<>();
      for (Object e : (List<?>) v) {
        out.add(toCanonical(e, l.elementType()));
      }
      return out;
    } else if (type instanceof Types.MapType m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        out.put(toCanonical(e.getKey(), m.keyType()), toCanonical(e.getValue(), m.valueType()));
      }
      return out;
    } else if (v instanceof LocalDate d) {
      return (int) d.toEpochDay();
    } else if (v instanceof LocalTime t) {
      return DateTimeUtil.microsFromTime(t);
    } else if (v instanceof LocalDateTime ts) {
      return isNanos(type) ? DateTimeUtil.nanosFromTimestamp(ts) : DateTimeUtil.microsFromTimestamp(ts);
    } else if (v instanceof OffsetDateTime ts) {
      return isNanos(type) ? DateTimeUtil.nanosFromTimestamptz(ts) : DateTimeUtil.microsFromTimestamptz(ts);
    } else if (v instanceof ByteBuffer b) {
      return b.asReadOnlyBuffer();
    } else if (v instanceof byte[] b) {
      return ByteBuffer.wrap(b).asReadOnlyBuffer();
    } else if (v instanceof CharSequence s) {
      return s.toString();
    }
    return v;
  }

  private static boolean isNanos(DataType type) {
    return type instanceof Types.TimestampType ts && ts.precision() == Types.TimestampPrecision.NANOS;
  }
}
