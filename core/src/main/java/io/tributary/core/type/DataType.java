package io.tributary.core.type;

/**
 * A column type in Tributary's neutral type system. Every Debezium type maps to one of these, and every
 * sink maps these to its own format's types. The canonical Java value of each type is documented on the
 * type in {@link Types}.
 */
public sealed interface DataType
    permits Types.BooleanType,
        Types.IntegerType,
        Types.LongType,
        Types.FloatType,
        Types.DoubleType,
        Types.DecimalType,
        Types.StringType,
        Types.BinaryType,
        Types.DateType,
        Types.TimeType,
        Types.TimestampType,
        Types.UuidType,
        Types.JsonType,
        Types.EnumType,
        StructType,
        Types.ListType,
        Types.MapType {

  /** The family a type belongs to; two types of one family may be widened into each other. */
  TypeRoot root();

  /** Whether the type holds other types (struct, list, map). */
  default boolean isNested() {
    return false;
  }

  /** The Java class of the canonical value of this type. */
  Class<?> javaClass();
}
