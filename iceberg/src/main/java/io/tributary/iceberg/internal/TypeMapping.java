package io.tributary.iceberg.internal;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.core.type.Types.TimestampPrecision;
import io.tributary.iceberg.IcebergSinkConfig;
import io.tributary.iceberg.IcebergSinkConfig.TimeMapping;
import io.tributary.iceberg.IcebergSinkConfig.UuidMapping;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * Maps core types to the types an Iceberg table stores (as core types, for the schema comparator), core
 * storage types to Iceberg types, and Iceberg types back to core types.
 */
public final class TypeMapping {
  private final IcebergSinkConfig config;

  public TypeMapping(IcebergSinkConfig config) {
    this.config = config;
  }

  // ---------------------------------------------------------------- source -> storage (core types)

  public StructType storageSchema(StructType source) {
    List<Field> fields = new ArrayList<>(source.size());
    for (Field f : source.fields()) {
      fields.add(storageField(f));
    }
    return StructType.of(fields);
  }

  public Field storageField(Field f) {
    DataType type = storageType(f.type());
    Field out = f.isOptional() ? Field.optional(f.name(), type) : Field.required(f.name(), type);
    if (f.doc() != null) {
      out = out.withDoc(f.doc());
    }
    // Iceberg keeps defaults only from format version 3 on, and only for primitive columns
    if (f.hasDefault() && config.formatVersion() >= 3 && !type.isNested()) {
      Object def = storageValue(f.defaultValue(), f.type());
      if (def != null) {
        out = out.withDefault(def);
      }
    }
    return out;
  }

  public DataType storageType(DataType type) {
    if (type instanceof Types.IntegerType i) {
      return i.bits() == 32 ? i : Types.IntegerType.get();
    } else if (type instanceof Types.EnumType || type instanceof Types.JsonType) {
      return Types.StringType.get();
    } else if (type instanceof Types.TimeType t) {
      return switch (config.timeMapping()) {
        case LONG_MICROS -> Types.LongType.get();
        case STRING -> Types.StringType.get();
        case TIME -> t;
      };
    } else if (type instanceof Types.TimestampType ts) {
      if (ts.precision() == TimestampPrecision.NANOS && !config.timestampNanos()) {
        return ts.isZoned() ? Types.TimestampType.zoned() : Types.TimestampType.local();
      }
      return ts;
    } else if (type instanceof Types.UuidType u) {
      return config.uuidMapping() == UuidMapping.STRING ? Types.StringType.get() : u;
    } else if (type instanceof StructType s) {
      return storageSchema(s);
    } else if (type instanceof Types.ListType l) {
      return Types.ListType.of(storageType(l.elementType()), l.elementOptional());
    } else if (type instanceof Types.MapType m) {
      return Types.MapType.of(storageType(m.keyType()), storageType(m.valueType()), m.valueOptional());
    }
    return type;
  }

  /**
   * Converts a primitive canonical value of {@code sourceType} to the canonical value of
   * {@link #storageType(DataType)}; nested values are handled by the record converter.
   */
  public Object storageValue(Object value, DataType sourceType) {
    if (value == null) {
      return null;
    }
    if (sourceType instanceof Types.TimeType) {
      return config.timeMapping() == TimeMapping.STRING ? formatTime((Long) value) : value;
    } else if (sourceType instanceof Types.TimestampType ts
        && ts.precision() == TimestampPrecision.NANOS
        && !config.timestampNanos()) {
      return Math.floorDiv((Long) value, 1000L);
    } else if (sourceType instanceof Types.UuidType && config.uuidMapping() == UuidMapping.STRING) {
      return value.toString();
    }
    return value;
  }

  /** {@code [-]HH:MM:SS.ffffff}, hours not limited to 24 (MySQL TIME is a duration). */
  static String formatTime(long micros) {
    String sign = micros < 0 ? "-" : "";
    long abs = Math.abs(micros);
    long seconds = abs / 1_000_000L;
    return String.format(Locale.ROOT, "%s%02d:%02d:%02d.%06d",
        sign, seconds / 3600, (seconds / 60) % 60, seconds % 60, abs % 1_000_000L);
  }

  // ---------------------------------------------------------------- storage (core) -> Iceberg

  /** An Iceberg schema for a storage schema, with placeholder field ids (catalogs assign fresh ones). */
  public Schema toIcebergSchema(StructType storage, Set<String> identifierColumns) {
    AtomicInteger ids = new AtomicInteger(0);
    List<NestedField> fields = toIcebergFields(storage, ids, identifierColumns);
    List<Integer> identifierIds = new ArrayList<>();
    for (NestedField f : fields) {
      if (identifierColumns.contains(f.name())) {
        identifierIds.add(f.fieldId());
      }
    }
    return new Schema(fields, Set.copyOf(identifierIds));
  }

  private List<NestedField> toIcebergFields(StructType struct, AtomicInteger ids, Set<String> required) {
    List<NestedField> fields = new ArrayList<>(struct.size());
    for (Field f : struct.fields()) {
      fields.add(toIcebergField(f, ids, required.contains(f.name())));
    }
    return fields;
  }

  /** One Iceberg field, with its default (format version 3) as initial and write default. */
  public NestedField toIcebergField(Field f, AtomicInteger ids, boolean forceRequired) {
    int id = ids.incrementAndGet();
    Type type = toIcebergType(f.type(), ids);
    NestedField.Builder b = NestedField.builder()
        .withId(id)
        .withName(f.name())
        .ofType(type)
        .isOptional(f.isOptional() && !forceRequired)
        .withDoc(f.doc());
    Literal<?> def = defaultLiteral(f, type);
    if (def != null) {
      b.withInitialDefault(def).withWriteDefault(def);
    }
    return b.build();
  }

  /** The Iceberg literal of a field's default, or null when it has none or the format cannot keep it. */
  public Literal<?> defaultLiteral(Field f, Type type) {
    if (!f.hasDefault() || config.formatVersion() < 3 || !type.isPrimitiveType()) {
      return null;
    }
    return literal(f.defaultValue(), type);
  }

  public Type toIcebergType(DataType type, AtomicInteger ids) {
    if (type instanceof Types.BooleanType) {
      return org.apache.iceberg.types.Types.BooleanType.get();
    } else if (type instanceof Types.IntegerType) {
      return org.apache.iceberg.types.Types.IntegerType.get();
    } else if (type instanceof Types.LongType) {
      return org.apache.iceberg.types.Types.LongType.get();
    } else if (type instanceof Types.FloatType) {
      return org.apache.iceberg.types.Types.FloatType.get();
    } else if (type instanceof Types.DoubleType) {
      return org.apache.iceberg.types.Types.DoubleType.get();
    } else if (type instanceof Types.DecimalType d) {
      if (d.precision() > Types.DecimalType.MAX_PRECISION) {
        throw new IllegalArgumentException("Iceberg decimals hold at most 38 digits, not " + d);
      }
      return org.apache.iceberg.types.Types.DecimalType.of(d.precision(), d.scale());
    } else if (type instanceof Types.StringType
        || type instanceof Types.JsonType
        || type instanceof Types.EnumType) {
      return org.apache.iceberg.types.Types.StringType.get();
    } else if (type instanceof Types.BinaryType) {
      return org.apache.iceberg.types.Types.BinaryType.get();
    } else if (type instanceof Types.DateType) {
      return org.apache.iceberg.types.Types.DateType.get();
    } else if (type instanceof Types.TimeType) {
      return org.apache.iceberg.types.Types.TimeType.get();
    } else if (type instanceof Types.TimestampType ts) {
      if (ts.precision() == TimestampPrecision.NANOS) {
        return ts.isZoned()
            ? org.apache.iceberg.types.Types.TimestampNanoType.withZone()
            : org.apache.iceberg.types.Types.TimestampNanoType.withoutZone();
      }
      return ts.isZoned()
          ? org.apache.iceberg.types.Types.TimestampType.withZone()
          : org.apache.iceberg.types.Types.TimestampType.withoutZone();
    } else if (type instanceof Types.UuidType) {
      return org.apache.iceberg.types.Types.UUIDType.get();
    } else if (type instanceof StructType s) {
      return org.apache.iceberg.types.Types.StructType.of(toIcebergFields(s, ids, Set.of()));
    } else if (type instanceof Types.ListType l) {
      int elementId = ids.incrementAndGet();
      Type element = toIcebergType(l.elementType(), ids);
      return l.elementOptional()
          ? org.apache.iceberg.types.Types.ListType.ofOptional(elementId, element)
          : org.apache.iceberg.types.Types.ListType.ofRequired(elementId, element);
    } else if (type instanceof Types.MapType m) {
      int keyId = ids.incrementAndGet();
      int valueId = ids.incrementAndGet();
      Type key = toIcebergType(m.keyType(), ids);
      Type value = toIcebergType(m.valueType(), ids);
      return m.valueOptional()
          ? org.apache.iceberg.types.Types.MapType.ofOptional(keyId, valueId, key, value)
          : org.apache.iceberg.types.Types.MapType.ofRequired(keyId, valueId, key, value);
    }
    throw new IllegalArgumentException("no Iceberg type for " + type);
  }

  /** The Iceberg literal of a canonical storage value. */
  public static Literal<?> literal(Object value, Type type) {
    switch (type.typeId()) {
      case BOOLEAN:
        return Literal.of((Boolean) value);
      case INTEGER:
        return Literal.of(((Number) value).intValue());
      case LONG:
        return Literal.of(((Number) value).longValue());
      case FLOAT:
        return Literal.of(((Number) value).floatValue());
      case DOUBLE:
        return Literal.of(((Number) value).doubleValue());
      case DECIMAL:
        return Literal.of((BigDecimal) value);
      case STRING:
        return Literal.of(value.toString());
      case BINARY:
      case FIXED:
        return Literal.of((ByteBuffer) value);
      case UUID:
        return Literal.of((UUID) value);
      case DATE:
      case TIME:
      case TIMESTAMP:
        return Literal.of(((Number) value).longValue()).to(type);
      case TIMESTAMP_NANO: {
        // a long literal converts to timestamps as microseconds; ISO text keeps the nanoseconds
        long nanos = ((Number) value).longValue();
        boolean zoned = ((org.apache.iceberg.types.Types.TimestampNanoType) type).shouldAdjustToUTC();
        return Literal.of(zoned ? DateTimeUtil.nanosToIsoTimestamptz(nanos) : DateTimeUtil.nanosToIsoTimestamp(nanos))
            .to(type);
      }
      default:
        throw new IllegalArgumentException("no default literal for " + type);
    }
  }

  // ---------------------------------------------------------------- Iceberg -> core

  public static StructType toCore(Schema schema) {
    return toCoreStruct(schema.asStruct());
  }

  private static StructType toCoreStruct(org.apache.iceberg.types.Types.StructType struct) {
    List<Field> fields = new ArrayList<>(struct.fields().size());
    for (NestedField f : struct.fields()) {
      DataType type = toCoreType(f.type());
      Field field = f.isOptional() ? Field.optional(f.name(), type) : Field.required(f.name(), type);
      if (f.doc() != null) {
        field = field.withDoc(f.doc());
      }
      Object def = f.writeDefault() != null ? f.writeDefault() : f.initialDefault();
      if (def != null) {
        field = field.withDefault(fromInternal(def, f.type()));
      }
      fields.add(field);
    }
    return StructType.of(fields);
  }

  public static DataType toCoreType(Type type) {
    switch (type.typeId()) {
      case BOOLEAN: return Types.BooleanType.get();
      case INTEGER: return Types.IntegerType.get();
      case LONG: return Types.LongType.get();
      case FLOAT: return Types.FloatType.get();
      case DOUBLE: return Types.DoubleType.get();
      case DECIMAL: {
        org.apache.iceberg.types.Types.DecimalType d = (org.apache.iceberg.types.Types.DecimalType) type;
        return Types.DecimalType.of(d.precision(), d.scale());
      }
      case STRING: return Types.StringType.get();
      case BINARY:
      case FIXED:
        return Types.BinaryType.get();
      case DATE: return Types.DateType.get();
      case TIME: return Types.TimeType.get();
      case TIMESTAMP:
        return ((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC()
            ? Types.TimestampType.zoned() : Types.TimestampType.local();
      case TIMESTAMP_NANO:
        return ((org.apache.iceberg.types.Types.TimestampNanoType) type).shouldAdjustToUTC()
            ? Types.TimestampType.zonedNanos() : Types.TimestampType.localNanos();
      case UUID: return Types.UuidType.get();
      case STRUCT: return toCoreStruct(type.asStructType());
      case LIST: {
        org.apache.iceberg.types.Types.ListType l = type.asListType();
        return Types.ListType.of(toCoreType(l.elementType()), l.isElementOptional());
      }
      case MAP: {
        org.apache.iceberg.types.Types.MapType m = type.asMapType();
        return Types.MapType.of(toCoreType(m.keyType()), toCoreType(m.valueType()), m.isValueOptional());
      }
      default:
        throw new IllegalArgumentException("Iceberg type " + type + " has no Tributary counterpart");
    }
  }

  /** A default in Iceberg's internal representation as a core canonical value. */
  static Object fromInternal(Object value, Type type) {
    switch (type.typeId()) {
      case STRING: return value.toString();
      case BINARY:
      case FIXED:
        return value instanceof byte[] b ? ByteBuffer.wrap(b).asReadOnlyBuffer()
            : ((ByteBuffer) value).asReadOnlyBuffer();
      default: return value;
    }
  }
}
