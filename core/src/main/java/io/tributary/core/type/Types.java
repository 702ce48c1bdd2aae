package io.tributary.core.type;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The concrete {@link DataType}s and their canonical values. A row value is always the canonical Java value
 * of its column type, or {@code null}, or {@link io.tributary.core.Unavailable#VALUE}.
 */
public final class Types {
  private Types() {}

  /** Boolean; value {@link Boolean}. */
  public record BooleanType() implements DataType {
    private static final BooleanType INSTANCE = new BooleanType();

    public static BooleanType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.BOOLEAN; }
    @Override public Class<?> javaClass() { return Boolean.class; }
    @Override public String toString() { return "boolean"; }
  }

  /**
   * A signed integer of 8, 16 or 32 bits (Connect {@code int8}, {@code int16}, {@code int32}); value
   * {@link Integer}. The width is kept so that formats with TINYINT/SMALLINT can use them.
   */
  public record IntegerType(int bits) implements DataType {
    private static final IntegerType INT8 = new IntegerType(8);
    private static final IntegerType INT16 = new IntegerType(16);
    private static final IntegerType INT32 = new IntegerType(32);

    public IntegerType {
      if (bits != 8 && bits != 16 && bits != 32) {
        throw new IllegalArgumentException("integer width must be 8, 16 or 32 bits, not " + bits);
      }
    }

    public static IntegerType get() {
      return INT32;
    }

    public static IntegerType ofBits(int bits) {
      switch (bits) {
        case 8: return INT8;
        case 16: return INT16;
        case 32: return INT32;
        default: return new IntegerType(bits);
      }
    }

    @Override public TypeRoot root() { return TypeRoot.INTEGER; }
    @Override public Class<?> javaClass() { return Integer.class; }
    @Override public String toString() { return bits == 32 ? "int" : "int" + bits; }
  }

  /** A signed 64-bit integer; value {@link Long}. */
  public record LongType() implements DataType {
    private static final LongType INSTANCE = new LongType();

    public static LongType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.LONG; }
    @Override public Class<?> javaClass() { return Long.class; }
    @Override public String toString() { return "long"; }
  }

  /** 32-bit IEEE 754 float; value {@link Float}. */
  public record FloatType() implements DataType {
    private static final FloatType INSTANCE = new FloatType();

    public static FloatType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.FLOAT; }
    @Override public Class<?> javaClass() { return Float.class; }
    @Override public String toString() { return "float"; }
  }

  /** 64-bit IEEE 754 double; value {@link Double}. */
  public record DoubleType() implements DataType {
    private static final DoubleType INSTANCE = new DoubleType();

    public static DoubleType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.DOUBLE; }
    @Override public Class<?> javaClass() { return Double.class; }
    @Override public String toString() { return "double"; }
  }

  /**
   * Fixed-point decimal with precision and scale; value {@link BigDecimal} whose scale equals the column
   * scale. Debezium's variable-scale decimal has no fixed scale: it maps to the widest decimal a format
   * supports or to a string, as the decoder is configured.
   */
  public record DecimalType(int precision, int scale) implements DataType {
    /** The widest precision the supported table formats can store (Iceberg and Paimon: 38). */
    public static final int MAX_PRECISION = 38;

    public DecimalType {
      if (precision <= 0 || scale < 0 || scale > precision) {
        throw new IllegalArgumentException(
            "invalid decimal(" + precision + ", " + scale + "): need 0 <= scale <= precision");
      }
    }

    public static DecimalType of(int precision, int scale) {
      return new DecimalType(precision, scale);
    }

    @Override public TypeRoot root() { return TypeRoot.DECIMAL; }
    @Override public Class<?> javaClass() { return BigDecimal.class; }
    @Override public String toString() { return "decimal(" + precision + ", " + scale + ")"; }
  }

  /** UTF-8 text; value {@link String}. */
  public record StringType() implements DataType {
    private static final StringType INSTANCE = new StringType();

    public static StringType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.STRING; }
    @Override public Class<?> javaClass() { return String.class; }
    @Override public String toString() { return "string"; }
  }

  /** Bytes; value a read-only {@link ByteBuffer} (so that rows compare by content). */
  public record BinaryType() implements DataType {
    private static final BinaryType INSTANCE = new BinaryType();

    public static BinaryType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.BINARY; }
    @Override public Class<?> javaClass() { return ByteBuffer.class; }
    @Override public String toString() { return "binary"; }
  }

  /** Calendar date; value {@link Integer} days since 1970-01-01 (negative before). */
  public record DateType() implements DataType {
    private static final DateType INSTANCE = new DateType();

    public static DateType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.DATE; }
    @Override public Class<?> javaClass() { return Integer.class; }
    @Override public String toString() { return "date"; }
  }

  /** Time of day without zone; value {@link Long} microseconds since midnight. */
  public record TimeType() implements DataType {
    private static final TimeType INSTANCE = new TimeType();

    public static TimeType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.TIME; }
    @Override public Class<?> javaClass() { return Long.class; }
    @Override public String toString() { return "time"; }
  }

  /** Precision of a timestamp's canonical value. */
  public enum TimestampPrecision {
    MICROS,
    NANOS
  }

  /**
   * A timestamp with or without zone; value {@link Long} since the epoch in the type's precision
   * (micros or nanos). Without zone, the wall clock is read as if it were UTC, as Debezium does.
   */
  public record TimestampType(boolean adjustedToUtc, TimestampPrecision precision) implements DataType {
    private static final TimestampType LOCAL_MICROS = new TimestampType(false, TimestampPrecision.MICROS);
    private static final TimestampType ZONED_MICROS = new TimestampType(true, TimestampPrecision.MICROS);

    public TimestampType {
      Objects.requireNonNull(precision, "precision");
    }

    /** Without zone (a wall-clock reading), microseconds. */
    public static TimestampType local() {
      return LOCAL_MICROS;
    }

    /** With zone (an instant), microseconds. */
    public static TimestampType zoned() {
      return ZONED_MICROS;
    }

    public static TimestampType localNanos() {
      return new TimestampType(false, TimestampPrecision.NANOS);
    }

    public static TimestampType zonedNanos() {
      return new TimestampType(true, TimestampPrecision.NANOS);
    }

    /** Whether values are instants (with zone) rather than wall-clock readings. */
    public boolean isZoned() {
      return adjustedToUtc;
    }

    @Override public TypeRoot root() { return TypeRoot.TIMESTAMP; }
    @Override public Class<?> javaClass() { return Long.class; }

    @Override
    public String toString() {
      return (adjustedToUtc ? "timestamptz" : "timestamp")
          + (precision == TimestampPrecision.NANOS ? "_ns" : "");
    }
  }

  /** UUID; value {@link java.util.UUID}. */
  public record UuidType() implements DataType {
    private static final UuidType INSTANCE = new UuidType();

    public static UuidType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.UUID; }
    @Override public Class<?> javaClass() { return java.util.UUID.class; }
    @Override public String toString() { return "uuid"; }
  }

  /** JSON document kept as its text; value {@link String}. */
  public record JsonType() implements DataType {
    private static final JsonType INSTANCE = new JsonType();

    public static JsonType get() {
      return INSTANCE;
    }

    @Override public TypeRoot root() { return TypeRoot.JSON; }
    @Override public Class<?> javaClass() { return String.class; }
    @Override public String toString() { return "json"; }
  }

  /** Enumeration label; value {@link String}. {@code allowed} lists the labels when the source gives them. */
  public record EnumType(List<String> allowed) implements DataType {
    public EnumType {
      allowed = allowed == null ? List.of() : List.copyOf(allowed);
    }

    public static EnumType of(List<String> allowed) {
      return new EnumType(allowed);
    }

    @Override public TypeRoot root() { return TypeRoot.ENUM; }
    @Override public Class<?> javaClass() { return String.class; }
    @Override public String toString() { return "enum" + allowed; }
  }

  /** A list; value {@link List} of element values. */
  public record ListType(DataType elementType, boolean elementOptional) implements DataType {
    public ListType {
      Objects.requireNonNull(elementType, "elementType");
    }

    public static ListType of(DataType elementType, boolean elementOptional) {
      return new ListType(elementType, elementOptional);
    }

    @Override public TypeRoot root() { return TypeRoot.LIST; }
    @Override public boolean isNested() { return true; }
    @Override public Class<?> javaClass() { return List.class; }
    @Override public String toString() { return "list<" + elementType + ">"; }
  }

  /** A map; value {@link Map} from key values to value values. */
  public record MapType(DataType keyType, DataType valueType, boolean valueOptional) implements DataType {
    public MapType {
      Objects.requireNonNull(keyType, "keyType");
      Objects.requireNonNull(valueType, "valueType");
    }

    public static MapType of(DataType keyType, DataType valueType, boolean valueOptional) {
      return new MapType(keyType, valueType, valueOptional);
    }

    @Override public TypeRoot root() { return TypeRoot.MAP; }
    @Override public boolean isNested() { return true; }
    @Override public Class<?> javaClass() { return Map.class; }
    @Override public String toString() { return "map<" + keyType + ", " + valueType + ">"; }
  }
}
