package io.tributary.paimon.internal;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.List;
import org.apache.paimon.types.ArrayType;
import org.apache.paimon.types.BigIntType;
import org.apache.paimon.types.BinaryType;
import org.apache.paimon.types.BooleanType;
import org.apache.paimon.types.CharType;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DateType;
import org.apache.paimon.types.DecimalType;
import org.apache.paimon.types.DoubleType;
import org.apache.paimon.types.FloatType;
import org.apache.paimon.types.IntType;
import org.apache.paimon.types.LocalZonedTimestampType;
import org.apache.paimon.types.MapType;
import org.apache.paimon.types.RowType;
import org.apache.paimon.types.SmallIntType;
import org.apache.paimon.types.TimeType;
import org.apache.paimon.types.TimestampType;
import org.apache.paimon.types.TinyIntType;
import org.apache.paimon.types.VarBinaryType;
import org.apache.paimon.types.VarCharType;

/** Maps core types to Paimon types and back; the table in the module README documents it. */
public final class TypeMapping {
  /** Paimon stores TIME as milliseconds of the day in an int, so the declared precision is 3. */
  public static final int TIME_PRECISION = 3;

  private TypeMapping() {}

  /** The core type a source type is stored as (types Paimon lacks become strings). */
  public static DataType storageType(DataType type) {
    if (type instanceof Types.UuidType || type instanceof Types.JsonType || type instanceof Types.EnumType) {
      return Types.StringType.get();
    }
    if (type instanceof Types.DecimalType d && d.precision() > Types.DecimalType.MAX_PRECISION) {
      // wider than Paimon's DECIMAL(38): kept exactly as its plain decimal text
      return Types.StringType.get();
    }
    if (type instanceof StructType s) {
      return storageSchema(s);
    }
    if (type instanceof Types.ListType l) {
      return Types.ListType.of(storageType(l.elementType()), l.elementOptional());
    }
    if (type instanceof Types.MapType m) {
      return Types.MapType.of(storageType(m.keyType()), storageType(m.valueType()), m.valueOptional());
    }
    return type;
  }

  public static StructType storageSchema(StructType source) {
    List<Field> fields = new ArrayList<>(source.size());
    for (Field f : source.fields()) {
      fields.add(f.withType(storageType(f.type())));
    }
    return StructType.of(fields);
  }

  /** The Paimon type of a core type, with the given nullability. Nested field ids are reassigned by Paimon. */
  public static org.apache.paimon.types.DataType toPaimon(DataType type, boolean nullable) {
    org.apache.paimon.types.DataType t;
    if (type instanceof Types.BooleanType) {
      t = new BooleanType();
    } else if (type instanceof Types.IntegerType i) {
      t = i.bits() == 8 ? new TinyIntType() : i.bits() == 16 ? new SmallIntType() : new IntType();
    } else if (type instanceof Types.LongType) {
      t = new BigIntType();
    } else if (type instanceof Types.FloatType) {
      t = new FloatType();
    } else if (type instanceof Types.DoubleType) {
      t = new DoubleType();
    } else if (type instanceof Types.DecimalType d && d.precision() <= Types.DecimalType.MAX_PRECISION) {
      t = new DecimalType(d.precision(), d.scale());
    } else if (type instanceof Types.StringType
        || type instanceof Types.DecimalType
        || type instanceof Types.UuidType
        || type instanceof Types.JsonType
        || type instanceof Types.EnumType) {
      t = VarCharType.STRING_TYPE;
    } else if (type instanceof Types.BinaryType) {
      t = new VarBinaryType(VarBinaryType.MAX_LENGTH);
    } else if (type instanceof Types.DateType) {
      t = new DateType();
    } else if (type instanceof Types.TimeType) {
      t = new TimeType(TIME_PRECISION);
    } else if (type instanceof Types.TimestampType ts) {
      int p = ts.precision() == Types.TimestampPrecision.NANOS ? 9 : 6;
      t = ts.isZoned() ? new LocalZonedTimestampType(p) : new TimestampType(p);
    } else if (type instanceof StructType s) {
      List<DataField> fields = new ArrayList<>(s.size());
      int id = 0;
      for (Field f : s.fields()) {
        fields.add(new DataField(id++, f.name(), toPaimon(f.type(), f.isOptional()), f.doc()));
      }
      t = new RowType(fields);
    } else if (type instanceof Types.ListType l) {
      t = new ArrayType(toPaimon(l.elementType(), l.elementOptional()));
    } else if (type instanceof Types.MapType m) {
      t = new MapType(toPaimon(m.keyType(), false), toPaimon(m.valueType(), m.valueOptional()));
    } else {
      throw new IllegalArgumentException("no Paimon type for " + type);
    }
    return t.copy(nullable);
  }

  /** The core type of a Paimon type. */
  public static DataType toCore(org.apache.paimon.types.DataType type) {
    if (type instanceof BooleanType) {
      return Types.BooleanType.get();
    } else if (type instanceof TinyIntType) {
      return Types.IntegerType.ofBits(8);
    } else if (type instanceof SmallIntType) {
      return Types.IntegerType.ofBits(16);
    } else if (type instanceof IntType) {
      return Types.IntegerType.get();
    } else if (type instanceof BigIntType) {
      return Types.LongType.get();
    } else if (type instanceof FloatType) {
      return Types.FloatType.get();
    } else if (type instanceof DoubleType) {
      return Types.DoubleType.get();
    } else if (type instanceof DecimalType d) {
      return Types.DecimalType.of(d.getPrecision(), d.getScale());
    } else if (type instanceof VarCharType || type instanceof CharType) {
      return Types.StringType.get();
    } else if (type instanceof VarBinaryType || type instanceof BinaryType) {
      return Types.BinaryType.get();
    } else if (type instanceof DateType) {
      return Types.DateType.get();
    } else if (type instanceof TimeType) {
      return Types.TimeType.get();
    } else if (type instanceof TimestampType ts) {
      return ts.getPrecision() > 6 ? Types.TimestampType.localNanos() : Types.TimestampType.local();
    } else if (type instanceof LocalZonedTimestampType ts) {
      return ts.getPrecision() > 6 ? Types.TimestampType.zonedNanos() : Types.TimestampType.zoned();
    } else if (type instanceof ArrayType a) {
      return Types.ListType.of(toCore(a.getElementType()), a.getElementType().isNullable());
    } else if (type instanceof MapType m) {
      return Types.MapType.of(toCore(m.getKeyType()), toCore(m.getValueType()), m.getValueType().isNullable());
    } else if (type instanceof RowType r) {
      List<Field> fields = new ArrayList<>();
      for (DataField f : r.getFields()) {
        fields.add(toCoreField(f, null));
      }
      return StructType.of(fields);
    }
    throw new IllegalArgumentException("Paimon type " + type + " has no core equivalent");
  }

  /** A core field for a Paimon field, with the default recorded for it (or null). */
  public static Field toCoreField(DataField f, Object defaultValue) {
    DataType core = toCore(f.type());
    Field field = f.type().isNullable() ? Field.optional(f.name(), core) : Field.required(f.name(), core);
    if (defaultValue != null) {
      field = field.withDefault(defaultValue);
    }
    if (f.description() != null) {
      field = field.withDoc(f.description());
    }
    return field;
  }

}
