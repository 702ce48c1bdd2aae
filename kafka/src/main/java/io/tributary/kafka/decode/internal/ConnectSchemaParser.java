package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.Types;
import io.tributary.kafka.decode.VariableScaleDecimalMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Kafka Connect schema as JsonConverter writes it ({@code {"type": ..., "optional": ..., "name": ...,
 * "parameters": ..., "fields"/"items"/"keys"/"values": ...}}) into a {@link ValueReader} that produces the
 * canonical core values. Debezium and Connect logical types are recognised by {@code name}; an unknown name
 * falls back to the base type with one WARN per name.
 */
public final class ConnectSchemaParser {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectSchemaParser.class);
  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
  /** Logical names whose base type already is the right mapping. */
  private static final Set<String> PLAIN_NAMES = Set.of(
      "io.debezium.data.EnumSet", "io.debezium.data.Xml", "io.debezium.time.Interval",
      "io.debezium.data.Ltree", "io.debezium.data.geometry.Geometry", "io.debezium.data.geometry.Geography",
      "io.debezium.data.geometry.Point", "io.debezium.time.IsoDate", "io.debezium.time.IsoTime",
      "io.debezium.time.IsoTimestamp");

  private final ObjectMapper mapper;
  private final Readers.Placeholder placeholder;
  private final VariableScaleDecimalMode variableScaleDecimalMode;

  public ConnectSchemaParser(ObjectMapper mapper, Readers.Placeholder placeholder,
      VariableScaleDecimalMode variableScaleDecimalMode) {
    this.mapper = mapper;
    this.placeholder = placeholder;
    this.variableScaleDecimalMode = variableScaleDecimalMode;
  }

  /** The reader for a schema node; throws {@link DecodeException} for a malformed schema. */
  public ValueReader reader(JsonNode schema) {
    String type = text(schema, "type");
    if (type == null) {
      throw new DecodeException("schema without a type: " + abbreviate(schema));
    }
    String name = text(schema, "name");
    JsonNode params = schema.get("parameters");
    if (name != null) {
      ValueReader logical = logical(name, type, params, schema);
      if (logical != null) {
        return logical;
      }
    }
    switch (type) {
      case "int8": return new Readers.IntReader(8);
      case "int16": return new Readers.IntReader(16);
      case "int32": return new Readers.IntReader(32);
      case "int64": return new Readers.LongReader(Types.LongType.get(), 1, 1, "an int64");
      // JsonConverter names them float and double; Connect's own names are accepted as well
      case "float":
      case "float32":
        return new Readers.FloatReader(true);
      case "double":
      case "float64":
        return new Readers.FloatReader(false);
      case "boolean": return new Readers.BooleanReader();
      case "string": return new Readers.TextReader(Types.StringType.get(), placeholder.text());
      case "bytes": return new Readers.BinaryReader(placeholder.base64());
      case "array": {
        JsonNode items = require(schema, "items");
        return new Readers.ListReader(reader(items), optional(items));
      }
      case "map": {
        JsonNode keys = require(schema, "keys");
        JsonNode values = require(schema, "values");
        return new Readers.MapReader(reader(keys), reader(values), optional(values));
      }
      case "struct": return struct(schema);
      default: throw new DecodeException("unknown Connect schema type '" + type + "'");
    }
  }

  /** The reader of a struct schema, with its fields (nullability and defaults included). */
  public Readers.StructReader struct(JsonNode schema) {
    if (!"struct".equals(text(schema, "type"))) {
      throw new DecodeException("expected a struct schema but found " + abbreviate(schema));
    }
    JsonNode fieldsNode = require(schema, "fields");
    List<Field> fields = new ArrayList<>(fieldsNode.size());
    List<ValueReader> readers = new ArrayList<>(fieldsNode.size());
    for (JsonNode f : fieldsNode) {
      String fieldName = text(f, "field");
      if (fieldName == null) {
        throw new DecodeException("struct field without a name: " + abbreviate(f));
      }
      ValueReader r;
      try {
        r = reader(f);
      } catch (DecodeException e) {
        throw e.in(fieldName);
      }
      Field field = optional(f) ? Field.optional(fieldName, r.type()) : Field.required(fieldName, r.type());
      JsonNode def = f.get("default");
      if (def != null && !def.isNull()) {
        field = field.withDefault(defaultValue(r, def, fieldName));
      }
      fields.add(field);
      readers.add(r);
    }
    return new Readers.StructReader(fields, readers);
  }

  private Object defaultValue(ValueReader r, JsonNode def, String fieldName) {
    try (JsonParser p = mapper.treeAsTokens(def)) {
      p.nextToken();
      return r.read(p);
    } catch (IOException | DecodeException e) {
      throw new DecodeException("invalid default " + def + ": " + e.getMessage(), e).in(fieldName);
    }
  }

  private ValueReader logical(String name, String type, JsonNode params, JsonNode schema) {
    switch (name) {
      case "org.apache.kafka.connect.data.Decimal": {
        expect(name, type, "bytes");
        int scale = intParam(params, "scale", -1);
        if (scale < 0) {
          throw new DecodeException("Decimal schema without a valid scale parameter");
        }
        int precision = intParam(params, "connect.decimal.precision", Types.DecimalType.MAX_PRECISION);
        return new Readers.DecimalReader(Types.DecimalType.of(Math.max(precision, Math.max(scale, 1)), scale),
            placeholder.base64());
      }
      case "io.debezium.data.VariableScaleDecimal":
        expect(name, type, "struct");
        return new Readers.VariableScaleDecimalReader(variableScaleDecimalMode);
      case "io.debezium.time.Date":
      case "org.apache.kafka.connect.data.Date":
        expect(name, type, "int32");
        return new Readers.Int32AsReader(Types.DateType.get(), 0);
      case "io.debezium.time.Time":
      case "org.apache.kafka.connect.data.Time":
        expect(name, type, "int32");
        return new Readers.Int32AsReader(Types.TimeType.get(), 1000L);
      case "io.debezium.time.MicroTime":
        expect(name, type, "int64");
        return new Readers.LongReader(Types.TimeType.get(), 1, 1, "an int64 MicroTime");
      case "io.debezium.time.NanoTime":
        expect(name, type, "int64");
        return new Readers.LongReader(Types.TimeType.get(), 1, 1000L, "an int64 NanoTime");
      case "io.debezium.time.Timestamp":
      case "org.apache.kafka.connect.data.Timestamp":
        expect(name, type, "int64");
        return new Readers.LongReader(Types.TimestampType.local(), 1000L, 1, "an int64 Timestamp");
      case "io.debezium.time.MicroTimestamp":
        expect(name, type, "int64");
        return new Readers.LongReader(Types.TimestampType.local(), 1, 1, "an int64 MicroTimestamp");
      case "io.debezium.time.NanoTimestamp":
        expect(name, type, "int64");
        return new Readers.LongReader(Types.TimestampType.localNanos(), 1, 1, "an int64 NanoTimestamp");
      case "io.debezium.time.ZonedTimestamp":
        expect(name, type, "string");
        return new Readers.ZonedTimestampReader(false);
      case "io.debezium.time.ZonedTime":
        expect(name, type, "string");
        return new Readers.ZonedTimeReader();
      case "io.debezium.time.Year":
        expect(name, type, "int32");
        return new Readers.IntReader(32);
      case "io.debezium.time.MicroDuration":
        expect(name, type, "int64");
        return new Readers.LongReader(Types.LongType.get(), 1, 1, "an int64 MicroDuration");
      case "io.debezium.data.Json":
        expect(name, type, "string");
        return new Readers.TextReader(Types.JsonType.get(), placeholder.text());
      case "io.debezium.data.Uuid":
        expect(name, type, "string");
        return new Readers.UuidReader(placeholder.text());
      case "io.debezium.data.Enum": {
        expect(name, type, "string");
        String allowed = params == null ? null : text(params, "allowed");
        List<String> labels = allowed == null || allowed.isEmpty() ? List.of() : Arrays.asList(allowed.split(","));
        return new Readers.TextReader(Types.EnumType.of(labels), placeholder.text());
      }
      case "io.debezium.data.Bits":
        expect(name, type, "bytes");
        return null;
      default:
        if (!PLAIN_NAMES.contains(name) && !name.endsWith(".Key") && !name.endsWith(".Value")
            && !name.endsWith(".Envelope") && !"struct".equals(type) && WARNED.add(name)) {
          LOG.warn("Unknown Connect logical type '{}' (base type {}); decoding it as its base type", name, type);
        }
        return null;
    }
  }

  private static void expect(String name, String actual, String wanted) {
    if (!wanted.equals(actual)) {
      throw new DecodeException("logical type " + name + " must have base type " + wanted + ", not " + actual);
    }
  }

  private static int intParam(JsonNode params, String key, int fallback) {
    String v = params == null ? null : text(params, key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new DecodeException("parameter " + key + " is not an integer: '" + v + "'", e);
    }
  }

  static boolean optional(JsonNode schema) {
    JsonNode o = schema.get("optional");
    return o != null && o.asBoolean(false);
  }

  static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static JsonNode require(JsonNode schema, String key) {
    JsonNode v = schema.get(key);
    if (v == null || v.isNull()) {
      throw new DecodeException("schema of type " + text(schema, "type") + " without '" + key + "'");
    }
    return v;
  }

  static String abbreviate(JsonNode node) {
    String s = String.valueOf(node);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** The type a schema node maps to, for callers that need only the type. */
  public DataType typeOf(JsonNode schema) {
    return reader(schema).type();
  }
}
