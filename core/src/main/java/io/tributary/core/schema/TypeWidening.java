package io.tributary.core.schema;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Types;

/** The type promotion rules shared by all table formats: what may widen into what. */
final class TypeWidening {
  enum Result {
    SAME_OR_WIDER,
    WIDEN,
    INCOMPATIBLE
  }

  private TypeWidening() {}

  /** How a table column of type {@code table} relates to source values of type {@code source}. */
  static Result compare(DataType table, DataType source) {
    if (table.equals(source)) {
      return Result.SAME_OR_WIDER;
    }
    if (table instanceof Types.IntegerType ti) {
      if (source instanceof Types.IntegerType si) {
        return ti.bits() >= si.bits() ? Result.SAME_OR_WIDER : Result.WIDEN;
      }
      return source instanceof Types.LongType ? Result.WIDEN : Result.INCOMPATIBLE;
    }
    if (table instanceof Types.LongType) {
      return source instanceof Types.IntegerType ? Result.SAME_OR_WIDER : Result.INCOMPATIBLE;
    }
    if (table instanceof Types.FloatType) {
      return source instanceof Types.DoubleType ? Result.WIDEN : Result.INCOMPATIBLE;
    }
    if (table instanceof Types.DoubleType) {
      return source instanceof Types.FloatType ? Result.SAME_OR_WIDER : Result.INCOMPATIBLE;
    }
    if (table instanceof Types.DecimalType td && source instanceof Types.DecimalType sd) {
      if (td.scale() != sd.scale()) {
        return Result.INCOMPATIBLE;
      }
      if (td.precision() >= sd.precision()) {
        return Result.SAME_OR_WIDER;
      }
      return sd.precision() <= Types.DecimalType.MAX_PRECISION ? Result.WIDEN : Result.INCOMPATIBLE;
    }
    if (table instanceof Types.EnumType && source instanceof Types.EnumType) {
      // the allowed labels changed (ALTER ... ENUM): the column holds labels either way
      return Result.SAME_OR_WIDER;
    }
    if (table instanceof Types.TimestampType tt && source instanceof Types.TimestampType st
        && tt.isZoned() == st.isZoned() && tt.precision() == Types.TimestampPrecision.NANOS) {
      return Result.SAME_OR_WIDER;
    }
    return Result.INCOMPATIBLE;
  }

  static DataType widened(DataType table, DataType source) {
    return source;
  }

  static String reason(DataType table, DataType source) {
    if (table.root() == source.root()) {
      if (table instanceof Types.DecimalType td && source instanceof Types.DecimalType sd && td.scale() != sd.scale()) {
        return "decimal scale changed from " + td.scale() + " to " + sd.scale();
      }
      return "narrowing";
    }
    if (SchemaComparator.isIntegral(table) && SchemaComparator.isIntegral(source)) {
      return "narrowing";
    }
    return "type family changed from " + table.root().name().toLowerCase() + " to "
        + source.root().name().toLowerCase();
  }
}
