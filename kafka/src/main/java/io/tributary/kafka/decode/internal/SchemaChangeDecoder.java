package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.core.ColumnRename;
import io.tributary.core.Origin;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.SourceInfo;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes a MySQL/MariaDB schema-change record ({@code databaseName}, {@code ddl}, {@code tableChanges}) into
 * one {@link SchemaChangeEvent} per table change.
 *
 * <p>Kinds: {@code CREATE}/{@code ALTER}/{@code DROP} come from {@code tableChanges[].type}. A statement
 * without table changes ({@code SET}, {@code USE}, {@code CREATE/DROP DATABASE}) is {@code BOOKKEEPING}, and
 * so is a {@code DROP TABLE IF EXISTS} recorded while {@code source.snapshot} is not {@code "false"}: the
 * snapshot writes those to bootstrap the schema history, they are not real drops. A streamed
 * {@code DROP TABLE} is {@code DROP}.
 *
 * <p>Columns are mapped best effort from {@code jdbcType}, {@code typeName}, {@code length}, {@code scale},
 * {@code optional}, {@code defaultValueExpression} and {@code enumValues}, following the Debezium MySQL
 * connector's default mappings (TINYINT/SMALLINT → int16, INT → int32, unsigned INT/BIGINT → long,
 * DATETIME → local timestamp, TIMESTAMP → zoned timestamp, ...). The schema of the data events stays the
 * source of truth for column types.
 */
public final class SchemaChangeDecoder {
  private static final Pattern BOOTSTRAP_DROP =
      Pattern.compile("^\\s*DROP\\s+TABLE\\s+IF\\s+EXISTS\\b.*", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private SchemaChangeDecoder() {}

  /** Whether a value payload or struct schema has the shape of a schema-change record. */
  public static boolean isSchemaChange(java.util.Collection<String> fieldNames) {
    return fieldNames.contains("ddl") && fieldNames.contains("databaseName");
  }

  public static List<SchemaChangeEvent> decode(JsonNode payload, Origin origin) {
    String ddl = text(payload, "ddl");
    String database = text(payload, "databaseName");
    String schemaName = text(payload, "schemaName");
    SourceInfo source = null;
    JsonNode sourceNode = payload.get("source");
    if (sourceNode != null && sourceNode.isObject()) {
      Map<String, String> flat = new HashMap<>();
      sourceNode.properties().forEach(e -> {
        if (!e.getValue().isNull() && !e.getValue().isContainerNode()) {
          flat.put(e.getKey(), e.getValue().asText());
        }
      });
      source = SourceBlocks.toSourceInfo(flat);
    }
    boolean snapshot = source != null && source.snapshot();
    List<ColumnRename> renames = DdlRenames.find(ddl);
    JsonNode changes = payload.get("tableChanges");
    List<SchemaChangeEvent> out = new ArrayList<>();
    if (changes != null && changes.isArray()) {
      for (JsonNode change : changes) {
        out.add(tableChange(change, ddl, database, schemaName, renames, snapshot, source, origin));
      }
    }
    if (out.isEmpty()) {
      out.add(new SchemaChangeEvent(SchemaChangeEvent.Kind.BOOKKEEPING, emptyToNull(database), schemaName, null,
          ddl, null, List.of(), List.of(), source, origin));
    }
    return out;
  }

  private static SchemaChangeEvent tableChange(JsonNode change, String ddl, String database, String schemaName,
      List<ColumnRename> renames, boolean snapshot, SourceInfo source, Origin origin) {
    String type = text(change, "type");
    String[] id = parseId(text(change, "id"));
    String db = id[0] != null ? id[0] : emptyToNull(database);
    String schema = id[1] != null ? id[1] : schemaName;
    String table = id[2];
    SchemaChangeEvent.Kind kind;
    switch (type == null ? "" : type.toUpperCase(Locale.ROOT)) {
      case "CREATE": kind = SchemaChangeEvent.Kind.CREATE; break;
      case "ALTER": kind = SchemaChangeEvent.Kind.ALTER; break;
      case "DROP":
        kind = snapshot && ddl != null && BOOTSTRAP_DROP.matcher(ddl).matches()
            ? SchemaChangeEvent.Kind.BOOKKEEPING : SchemaChangeEvent.Kind.DROP;
        break;
      default:
        throw new DecodeException("unknown table change type '" + type + "'").in("tableChanges.type");
    }
    StructType columns = null;
    List<String> pk = List.of();
    JsonNode tableNode = change.get("table");
    if (tableNode != null && tableNode.isObject()) {
      JsonNode cols = tableNode.get("columns");
      if (cols != null && cols.isArray()) {
        List<JsonNode> sorted = new ArrayList<>();
        cols.forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(a.path("position").asInt(0), b.path("position").asInt(0)));
        List<Field> fields = new ArrayList<>();
        for (JsonNode c : sorted) {
          fields.add(column(c));
        }
        columns = StructType.of(fields);
      }
      JsonNode pkNode = tableNode.get("primaryKeyColumnNames");
      if (pkNode != null && pkNode.isArray()) {
        List<String> names = new ArrayList<>();
        pkNode.forEach(n -> names.add(n.asText()));
        pk = names;
      }
    }
    List<ColumnRename> tableRenames = kind == SchemaChangeEvent.Kind.ALTER ? renames : List.of();
    return new SchemaChangeEvent(kind, db, schema, table, ddl, columns, pk, tableRenames, source, origin);
  }

  /** Splits Debezium's table id {@code "db"."table"} or {@code "db"."schema"."table"} into its parts. */
  static String[] parseId(String id) {
    String[] out = new String[3];
    if (id == null) {
      return out;
    }
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < id.length() && id.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == '.' && !quoted) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    if (parts.size() == 1) {
      out[2] = parts.get(0);
    } else if (parts.size() == 2) {
      out[0] = emptyToNull(parts.get(0));
      out[2] = parts.get(1);
    } else {
      out[0] = emptyToNull(parts.get(parts.size() - 3));
      out[1] = emptyToNull(parts.get(parts.size() - 2));
      out[2] = parts.get(parts.size() - 1);
    }
    return out;
  }

  static Field column(JsonNode c) {
    String name = text(c, "name");
    DataType type = columnType(c);
    boolean optional = c.path("optional").asBoolean(true);
    Field f = optional ? Field.optional(name, type) : Field.required(name, type);
    String def = text(c, "defaultValueExpression");
    Object value = def == null ? null : defaultValue(type, def);
    return value == null ? f : f.withDefault(value);
  }

  static DataType columnType(JsonNode c) {
    int jdbc = c.path("jdbcType").asInt(java.sql.Types.OTHER);
    String typeName = String.valueOf(text(c, "typeName")).toUpperCase(Locale.ROOT);
    boolean unsigned = typeName.contains("UNSIGNED");
    String base = typeName.replace(" UNSIGNED", "").replace(" ZEROFILL", "").trim();
    int length = c.path("length").asInt(-1);
    int scale = c.path("scale").asInt(0);
    switch (base) {
      case "ENUM": {
        List<String> labels = new ArrayList<>();
        JsonNode values = c.get("enumValues");
        if (values != null) {
          values.forEach(v -> labels.add(unquote(v.asText())));
        }
        return Types.EnumType.of(labels);
      }
      case "SET": return Types.StringType.get();
      case "JSON": return Types.JsonType.get();
      case "YEAR": return Types.IntegerType.get();
      case "DATETIME": return Types.TimestampType.local();
      case "TIMESTAMP": return Types.TimestampType.zoned();
      case "GEOMETRY": case "POINT": case "LINESTRING": case "POLYGON": case "MULTIPOINT":
      case "MULTILINESTRING": case "MULTIPOLYGON": case "GEOMETRYCOLLECTION": case "GEOMCOLLECTION":
        return StructType.of(Field.required("wkb", Types.BinaryType.get()),
            Field.optional("srid", Types.IntegerType.get()));
      default: break;
    }
    switch (jdbc) {
      case java.sql.Types.BIT: return length <= 1 ? Types.BooleanType.get() : Types.BinaryType.get();
      case java.sql.Types.BOOLEAN: return Types.BooleanType.get();
      case java.sql.Types.TINYINT:
      case java.sql.Types.SMALLINT:
        return unsigned && jdbc == java.sql.Types.SMALLINT ? Types.IntegerType.get() : Types.IntegerType.ofBits(16);
      case java.sql.Types.INTEGER: return unsigned ? Types.LongType.get() : Types.IntegerType.get();
      case java.sql.Types.BIGINT:
        return unsigned ? Types.DecimalType.of(20, 0) : Types.LongType.get();
      case java.sql.Types.REAL: return Types.FloatType.get();
      case java.sql.Types.FLOAT:
      case java.sql.Types.DOUBLE:
        return Types.DoubleType.get();
      case java.sql.Types.NUMERIC:
      case java.sql.Types.DECIMAL: {
        int p = length <= 0 ? Types.DecimalType.MAX_PRECISION : Math.min(length, Types.DecimalType.MAX_PRECISION);
        int s = Math.min(Math.max(scale, 0), p);
        return Types.DecimalType.of(p, s);
      }
      case java.sql.Types.DATE: return Types.DateType.get();
      case java.sql.Types.TIME:
      case java.sql.Types.TIME_WITH_TIMEZONE:
        return Types.TimeType.get();
      case java.sql.Types.TIMESTAMP: return Types.TimestampType.local();
      case java.sql.Types.TIMESTAMP_WITH_TIMEZONE: return Types.TimestampType.zoned();
      case java.sql.Types.BINARY:
      case java.sql.Types.VARBINARY:
      case java.sql.Types.LONGVARBINARY:
      case java.sql.Types.BLOB:
        return Types.BinaryType.get();
      default: return Types.StringType.get();
    }
  }

  static Object defaultValue(DataType type, String expression) {
    String e = expression.trim();
    if (e.equalsIgnoreCase("NULL") || e.isEmpty()) {
      return null;
    }
    String v = unquote(e);
    try {
      switch (type.root()) {
        case INTEGER: return Integer.valueOf(v);
        case LONG: return Long.valueOf(v);
        case FLOAT: return Float.valueOf(v);
        case DOUBLE: return Double.valueOf(v);
        case DECIMAL: return new BigDecimal(v).setScale(((Types.DecimalType) type).scale(), java.math.RoundingMode.UNNECESSARY);
        case BOOLEAN: return v.equals("1") || v.equalsIgnoreCase("true") ? Boolean.TRUE : Boolean.FALSE;
        case STRING: case ENUM: case JSON: return v;
        // temporal and other defaults are expressions (CURRENT_TIMESTAMP, ...) that do not map to a constant
        default: return null;
      }
    } catch (NumberFormatException | ArithmeticException ex) {
      return null;
    }
  }

  static String unquote(String s) {
    if (s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))) {
      char q = s.charAt(0);
      return s.substring(1, s.length() - 1).replace(String.valueOf(q) + q, String.valueOf(q));
    }
    return s;
  }

  private static String text(JsonNode node, String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
