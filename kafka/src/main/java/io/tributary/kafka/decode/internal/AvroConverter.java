package io.tributary.kafka.decode.internal;

import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.kafka.decode.VariableScaleDecimalMode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps Avro schemas written by Confluent's AvroConverter for Debezium (Connect logical types in the
 * {@code connect.name} property, {@code connect.type} for int8/int16, {@code connect.parameters}, optional
 * fields as {@code ["null", T]} unions) to core types, and converts the generic Avro values to canonical values.
 */
public final class AvroConverter {
  private static final Logger LOG = LoggerFactory.getLogger(AvroConverter.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  /** One schema node: its core type and how to convert a non-null Avro value. */
  public abstract static class Node {
    final DataType type;
    final boolean optional;

    Node(DataType type, boolean optional) {
      this.type = type;
      this.optional = optional;
    }

    public DataType type() {
      return type;
    }

    public abstract Object convert(Object value);
  }

  private final Readers.Placeholder placeholder;
  private final byte[] placeholderBytes;
  private final VariableScaleDecimalMode variableScaleDecimalMode;

  public AvroConverter(Readers.Placeholder placeholder, VariableScaleDecimalMode mode) {
    this.placeholder = placeholder;
    this.placeholderBytes = placeholder.text().getBytes(StandardCharsets.UTF_8);
    this.variableScaleDecimalMode = mode;
  }

  /** The converter of a record schema into rows. */
  public RecordNode record(Schema schema) {
    Node n = node(schema);
    if (!(n instanceof RecordNode r)) {
      throw new DecodeException("expected an Avro record schema but found " + schema.getType());
    }
    return r;
  }

  public Node node(Schema schema) {
    boolean optional = false;
    Schema s = schema;
    if (s.getType() == Schema.Type.UNION) {
      List<Schema> branches = new ArrayList<>();
      for (Schema b : s.getTypes()) {
        if (b.getType() == Schema.Type.NULL) {
          optional = true;
        } else {
          branches.add(b);
        }
      }
      if (branches.size() != 1) {
        throw new DecodeException("unions other than [null, T] are not Connect schemas: " + schema);
      }
      s = branches.get(0);
    }
    return typed(s, optional);
  }

  private Node typed(Schema s, boolean optional) {
    String name = s.getProp("connect.name");
    String logical = s.getLogicalType() == null ? null : s.getLogicalType().getName();
    Map<String, Object> params = params(s);
    switch (s.getType()) {
      case RECORD:
        if ("io.debezium.data.VariableScaleDecimal".equals(name)) {
          DataType t = variableScaleDecimalMode == VariableScaleDecimalMode.STRING
              ? Types.StringType.get() : Readers.VariableScaleDecimalReader.WIDE;
          return fn(t, optional, v -> {
            GenericRecord r = (GenericRecord) v;
            BigDecimal d = new BigDecimal(new BigInteger(bytes(r.get("value"))), ((Number) r.get("scale")).intValue());
            return Readers.convertVariableScale(d, variableScaleDecimalMode);
          });
        }
        return new RecordNode(s, optional, this);
      case ARRAY: {
        Node element = node(s.getElementType());
        return fn(Types.ListType.of(element.type, element.optional), optional, v -> {
          List<?> in = (List<?>) v;
          List<Object> out = new ArrayList<>(in.size());
          for (Object o : in) {
            out.add(o == null ? null : element.convert(o));
          }
          if (out.size() == 1 && out.get(0) == Unavailable.VALUE) {
            return Unavailable.VALUE;
          }
          return Collections.unmodifiableList(out);
        });
      }
      case MAP: {
        Node value = node(s.getValueType());
        return fn(Types.MapType.of(Types.StringType.get(), value.type, value.optional), optional, v -> {
          Map<Object, Object> out = new LinkedHashMap<>();
          for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
            out.put(e.getKey().toString(), e.getValue() == null ? null : value.convert(e.getValue()));
          }
          return Collections.unmodifiableMap(out);
        });
      }
      case ENUM:
        return fn(Types.EnumType.of(s.getEnumSymbols()), optional, Object::toString);
      case STRING:
        return string(s, name, params, optional);
      case BYTES:
      case FIXED:
        if ("org.apache.kafka.connect.data.Decimal".equals(name) || "decimal".equals(logical)) {
          int scale = intParam(params, "scale", s.getObjectProp("scale"), -1);
          if (scale < 0) {
            throw new DecodeException("Avro decimal without a scale");
          }
          int precision = intParam(params, "connect.decimal.precision", s.getObjectProp("precision"),
              Types.DecimalType.MAX_PRECISION);
          Types.DecimalType t = Types.DecimalType.of(Math.max(precision, Math.max(scale, 1)), scale);
          return fn(t, optional, v -> {
            byte[] b = bytes(v);
            return Arrays.equals(b, placeholderBytes) ? Unavailable.VALUE : new BigDecimal(new BigInteger(b), scale);
          });
        }
        warnUnknown(name, "io.debezium.data.Bits");
        return fn(Types.BinaryType.get(), optional, v -> {
          byte[] b = bytes(v);
          return Arrays.equals(b, placeholderBytes) ? Unavailable.VALUE : ByteBuffer.wrap(b).asReadOnlyBuffer();
        });
      case INT: {
        if ("io.debezium.time.Date".equals(name) || "org.apache.kafka.connect.data.Date".equals(name)
            || "date".equals(logical)) {
          return fn(Types.DateType.get(), optional, v -> v);
        }
        if ("io.debezium.time.Time".equals(name) || "org.apache.kafka.connect.data.Time".equals(name)
            || "time-millis".equals(logical)) {
          return fn(Types.TimeType.get(), optional, v -> ((Integer) v) * 1000L);
        }
        String connectType = s.getProp("connect.type");
        if ("int8".equals(connectType) || "int16".equals(connectType)) {
          int bits = connectType.equals("int8") ? 8 : 16;
          return fn(Types.IntegerType.ofBits(bits), optional, v -> v);
        }
        warnUnknown(name, "io.debezium.time.Year");
        return fn(Types.IntegerType.get(), optional, v -> v);
      }
      case LONG: {
        String key = name != null ? name : logical == null ? "" : logical;
        switch (key) {
          case "io.debezium.time.Timestamp":
          case "org.apache.kafka.connect.data.Timestamp":
          case "timestamp-millis":
          case "local-timestamp-millis":
            return fn(Types.TimestampType.local(), optional, v -> Math.multiplyExact((Long) v, 1000L));
          case "io.debezium.time.MicroTimestamp":
          case "timestamp-micros":
          case "local-timestamp-micros":
            return fn(Types.TimestampType.local(), optional, v -> v);
          case "io.debezium.time.NanoTimestamp":
          case "timestamp-nanos":
          case "local-timestamp-nanos":
            return fn(Types.TimestampType.localNanos(), optional, v -> v);
          case "io.debezium.time.MicroTime":
          case "time-micros":
            return fn(Types.TimeType.get(), optional, v -> v);
          case "io.debezium.time.NanoTime":
            return fn(Types.TimeType.get(), optional, v -> Math.floorDiv((Long) v, 1000L));
          default:
            warnUnknown(name, "io.debezium.time.MicroDuration");
            return fn(Types.LongType.get(), optional, v -> v);
        }
      }
      case FLOAT: return fn(Types.FloatType.get(), optional, v -> v);
      case DOUBLE: return fn(Types.DoubleType.get(), optional, v -> v);
      case BOOLEAN: return fn(Types.BooleanType.get(), optional, v -> v);
      default: throw new DecodeException("unsupported Avro type " + s.getType());
    }
  }

  private Node string(Schema s, String name, Map<String, Object> params, boolean optional) {
    String p = placeholder.text();
    if (name != null) {
      switch (name) {
        case "io.debezium.time.ZonedTimestamp":
          return fn(Types.TimestampType.zoned(), optional, v -> Temporals.zonedTimestampMicros(v.toString()));
        case "io.debezium.time.ZonedTime":
          return fn(Types.TimeType.get(), optional, v -> Temporals.zonedTimeMicros(v.toString()));
        case "io.debezium.data.Json":
          return fn(Types.JsonType.get(), optional, v -> text(v, p));
        case "io.debezium.data.Uuid":
          return fn(Types.UuidType.get(), optional, v -> {
            String t = v.toString();
            if (t.equals(p)) {
              return Unavailable.VALUE;
            }
            try {
              return UUID.fromString(t);
            } catch (IllegalArgumentException e) {
              throw new DecodeException("not a UUID: '" + t + "'", e);
            }
          });
        case "io.debezium.data.Enum": {
          Object allowed = params.get("allowed");
          List<String> labels = allowed == null || allowed.toString().isEmpty() ? List.of()
              : Arrays.asList(allowed.toString().split(","));
          return fn(Types.EnumType.of(labels), optional, v -> text(v, p));
        }
        default:
          warnUnknown(name, "io.debezium.data.EnumSet", "io.debezium.data.Xml", "io.debezium.time.Interval",
              "io.debezium.data.Ltree");
      }
    }
    if ("uuid".equals(s.getLogicalType() == null ? null : s.getLogicalType().getName())) {
      return fn(Types.UuidType.get(), optional, v -> UUID.fromString(v.toString()));
    }
    return fn(Types.StringType.get(), optional, v -> text(v, p));
  }

  private static Object text(Object v, String placeholder) {
    String t = v.toString();
    return t.equals(placeholder) ? Unavailable.VALUE : t;
  }

  private static void warnUnknown(String name, String... known) {
    if (name == null || Arrays.asList(known).contains(name) || !WARNED.add(name)) {
      return;
    }
    LOG.warn("Unknown Connect logical type '{}' in an Avro schema; decoding it as its base type", name);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> params(Schema s) {
    Object p = s.getObjectProp("connect.parameters");
    return p instanceof Map ? (Map<String, Object>) p : Map.of();
  }

  private static int intParam(Map<String, Object> params, String key, Object fallbackProp, int fallback) {
    Object v = params.get(key);
    if (v == null) {
      v = fallbackProp;
    }
    if (v == null) {
      return fallback;
    }
    try {
      return v instanceof Number n ? n.intValue() : Integer.parseInt(v.toString().trim());
    } catch (NumberFormatException e) {
      throw new DecodeException("parameter " + key + " is not an integer: '" + v + "'", e);
    }
  }

  static byte[] bytes(Object v) {
    if (v instanceof ByteBuffer b) {
      ByteBuffer d = b.duplicate();
      byte[] out = new byte[d.remaining()];
      d.get(out);
      return out;
    }
    if (v instanceof GenericData.Fixed f) {
      return f.bytes().clone();
    }
    if (v instanceof byte[] a) {
      return a.clone();
    }
    throw new DecodeException("expected bytes but found " + v.getClass().getSimpleName());
  }

  private static Node fn(DataType type, boolean optional, java.util.function.Function<Object, Object> f) {
    return new Node(type, optional) {
      @Override
      public Object convert(Object value) {
        return f.apply(value);
      }
    };
  }

  /** A record read into a {@link Row}; {@code __} fields may be split off as metadata (unwrapped rows). */
  public static final class RecordNode extends Node {
    private final Node[] fields;
    private final String[] names;
    private final int[] positions;

    RecordNode(Schema s, boolean optional, AvroConverter c) {
      this(s, optional, c, false);
    }

    private RecordNode(Schema s, boolean optional, AvroConverter c, boolean skipMeta) {
      super(structOf(s, c, skipMeta), optional);
      List<Schema.Field> kept = new ArrayList<>();
      for (Schema.Field f : s.getFields()) {
        if (!skipMeta || !f.name().startsWith("__")) {
          kept.add(f);
        }
      }
      fields = new Node[kept.size()];
      names = new String[kept.size()];
      positions = new int[kept.size()];
      for (int i = 0; i < kept.size(); i++) {
        fields[i] = c.node(kept.get(i).schema());
        names[i] = kept.get(i).name();
        positions[i] = kept.get(i).pos();
      }
    }

    /** The same record without its {@code __} metadata fields. */
    public RecordNode withoutMetadata(Schema s, AvroConverter c) {
      return new RecordNode(s, optional, c, true);
    }

    private static StructType structOf(Schema s, AvroConverter c, boolean skipMeta) {
      List<Field> out = new ArrayList<>();
      for (Schema.Field f : s.getFields()) {
        if (skipMeta && f.name().startsWith("__")) {
          continue;
        }
        Node n;
        try {
          n = c.node(f.schema());
        } catch (DecodeException e) {
          throw e.in(f.name());
        }
        Field field = n.optional ? Field.optional(f.name(), n.type) : Field.required(f.name(), n.type);
        Object def = f.hasDefaultValue() ? f.defaultVal() : null;
        if (def != null && def != JsonProperties.NULL_VALUE) {
          try {
            field = field.withDefault(n.convert(def));
          } catch (RuntimeException e) {
            LOG.warn("Ignoring the default of Avro field {} ({}): {}", f.name(), def, e.getMessage());
          }
        }
        out.add(field);
      }
      return StructType.of(out);
    }

    public StructType structType() {
      return (StructType) type;
    }

    @Override
    public Object convert(Object value) {
      GenericRecord r = (GenericRecord) value;
      Object[] values = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        Object v = r.get(positions[i]);
        if (v == null) {
          if (!fields[i].optional) {
            throw new DecodeException("null in a required field").in(names[i]);
          }
          continue;
        }
        try {
          values[i] = fields[i].convert(v);
        } catch (DecodeException e) {
          throw e.in(names[i]);
        } catch (RuntimeException e) {
          throw new DecodeException(e.toString(), e).in(names[i]);
        }
      }
      return Row.wrap(structType(), values);
    }
  }
}
