package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.ChangeEvent;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import io.tributary.core.Row;
import io.tributary.core.SourceInfo;
import io.tributary.core.type.StructType;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.DecoderConfig;
import io.tributary.kafka.decode.DecoderFormat;
import io.tributary.kafka.decode.RecordDecoder;
import io.tributary.kafka.decode.SchemaHints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The JSON decoder behind {@link io.tributary.kafka.decode.DebeziumDecoders}: JsonConverter output with and
 * without the schema envelope, Debezium envelopes, ExtractNewRecordState rows and schema-change records.
 *
 * <p>With a schema envelope, the {@code schema} block's byte range is located with the streaming parser,
 * looked up by content in a {@link SchemaCache} and skipped; only the {@code payload} is decoded, token by
 * token, straight into canonical values by the cached {@link ValueReader}s.
 */
public final class JsonRecordDecoder implements RecordDecoder {
  static final String NEW_KEY_HEADER = "__debezium.newkey";
  static final String OLD_KEY_HEADER = "__debezium.oldkey";
  private static final int MAX_CACHED_SCHEMAS = 1024;

  // Connect writes UTF-8; detecting the encoding of every key and payload would be wasted work
  private final ObjectMapper mapper = new ObjectMapper(
      JsonFactory.builder().disable(JsonFactory.Feature.CHARSET_DETECTION).build());
  private final JsonFactory factory = mapper.getFactory();
  private final DecoderFormat format;
  private final SchemaHints hints;
  private final ConnectSchemaParser schemas;
  private final SchemalessReader schemaless;
  private final SchemaCache<Readers.StructReader> keyPlans = new SchemaCache<>(MAX_CACHED_SCHEMAS);
  private final SchemaCache<ValuePlan> valuePlans = new SchemaCache<>(MAX_CACHED_SCHEMAS);
  private final SourceBlocks.RecentValues recentSource = new SourceBlocks.RecentValues();

  public JsonRecordDecoder(DecoderConfig config, SchemaHints hints) {
    this.format = config.format();
    this.hints = hints == null ? SchemaHints.none() : hints;
    Readers.Placeholder placeholder = Readers.Placeholder.of(config.unavailableValuePlaceholder());
    this.schemas = new ConnectSchemaParser(mapper, placeholder, config.variableScaleDecimalMode());
    this.schemaless = new SchemalessReader(mapper, placeholder, config.variableScaleDecimalMode());
  }

  /** What a value schema says the record is. */
  sealed interface ValuePlan permits EnvelopePlan, UnwrappedPlan, SchemaChangePlan, SkipPlan, InvalidPlan {}

  record EnvelopePlan(Readers.StructReader before, Readers.StructReader after, StructType rowSchema)
      implements ValuePlan {}

  record UnwrappedPlan(Readers.StructReader row) implements ValuePlan {}

  record SchemaChangePlan() implements ValuePlan {}

  record SkipPlan(String reason) implements ValuePlan {}

  /** A schema that cannot be decoded; cached so the error is cheap to repeat. */
  record InvalidPlan(String reason) implements ValuePlan {}

  @Override
  public DecodedRecord decode(ConsumerRecord<byte[], byte[]> record) {
    Origin origin = Origin.of(record.topic(), record.partition(), record.offset());
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      return new DecodedRecord.Tombstone(origin);
    }
    String part = "value";
    try {
      Decoded decoded = decodeValue(value, record.topic(), origin);
      if (decoded.result != null) {
        return decoded.result;
      }
      part = "key";
      Row key = record.key() == null ? null : decodeKey(record.key(), decoded.hint);
      part = "header " + NEW_KEY_HEADER;
      Row newKey = headerKey(record, NEW_KEY_HEADER, decoded.hint);
      part = "header " + OLD_KEY_HEADER;
      Row oldKey = headerKey(record, OLD_KEY_HEADER, decoded.hint);
      part = "value";
      ChangeEvent event = decoded.builder.key(key).newKey(newKey).oldKey(oldKey).origin(origin).build();
      return new DecodedRecord.Change(event);
    } catch (DecodeException e) {
      throw new RecordException("cannot decode record " + part + ": " + e.getMessage(), origin, e);
    } catch (JsonProcessingException e) {
      throw new RecordException("record " + part + " is not valid JSON: " + e.getOriginalMessage(), origin, e);
    } catch (IOException | IllegalArgumentException | ArithmeticException e) {
      throw new RecordException("cannot decode record " + part + ": " + e.getMessage(), origin, e);
    }
  }

  /** Either a finished result (tombstone, schema change, skip) or a change-event builder awaiting its keys. */
  private static final class Decoded {
    DecodedRecord result;
    ChangeEvent.Builder builder;
    StructType hint;
  }

  private Decoded decodeValue(byte[] value, String topic, Origin origin) throws IOException {
    Decoded out = new Decoded();
    if (format != DecoderFormat.JSON_SCHEMALESS) {
      SchemaCache.Entry<ValuePlan> schema = knownSchema(value, valuePlans, this::valuePlan);
      if (schema != null) {
        try (JsonParser p = payloadParser(value, schema)) {
          if (p != null) {
            if (p.nextToken() == JsonToken.VALUE_NULL) {
              out.result = new DecodedRecord.Tombstone(origin);
            } else {
              decodeWithPlan(schema.plan(), p, topic, origin, out);
            }
            return out;
          }
        }
      }
    }
    try (JsonParser p = factory.createParser(value)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.VALUE_NULL) {
        out.result = new DecodedRecord.Tombstone(origin);
        return out;
      }
      if (first != JsonToken.START_OBJECT) {
        throw ValueReader.mismatch(p, "a JSON object");
      }
      if (format != DecoderFormat.JSON_SCHEMALESS) {
        Enveloped<ValuePlan> env = openEnvelope(p, value, valuePlans, this::valuePlan);
        if (env != null) {
          if (env.parser.currentToken() == JsonToken.VALUE_NULL) {
            out.result = new DecodedRecord.Tombstone(origin);
          } else if (env.plan == null) {
            decodeSchemaless(env.parser, value, topic, origin, out);
          } else {
            decodeWithPlan(env.plan, env.parser, topic, origin, out);
          }
          if (env.parser != p) {
            env.parser.close();
          }
          return out;
        }
        if (format == DecoderFormat.JSON) {
          throw new DecodeException("expected JsonConverter's {\"schema\": ..., \"payload\": ...} envelope"
              + " (the converter's schemas.enable=true); use format json-schemaless or auto otherwise");
        }
      }
    }
    try (JsonParser p = factory.createParser(value)) {
      p.nextToken();
      decodeSchemaless(p, value, topic, origin, out);
    }
    return out;
  }

  /**
   * The cached schema entry when {@code bytes} are JsonConverter's {@code {"schema": {...}, ...}}; null when
   * they do not start that way (then the streaming parser reads them).
   */
  private static <P> SchemaCache.Entry<P> knownSchema(byte[] bytes, SchemaCache<P> cache,
      java.util.function.Function<byte[], P> builder) {
    int start = EnvelopeScanner.schemaStart(bytes);
    return start < 0 ? null : cache.match(bytes, start, builder);
  }

  /**
   * A parser of the payload alone, started at its first byte so the schema block is never tokenized; null
   * when {@code "payload"} does not directly follow the schema block. What follows the payload is not read,
   * as on the streaming path.
   */
  private JsonParser payloadParser(byte[] bytes, SchemaCache.Entry<?> schema) throws IOException {
    int start = EnvelopeScanner.payloadStart(bytes, EnvelopeScanner.schemaStart(bytes) + schema.length());
    return start < 0 ? null : factory.createParser(bytes, start, bytes.length - start);
  }

  /** A parser positioned on the payload's first token, and the plan its schema block gave (null: no schema). */
  private record Enveloped<P>(JsonParser parser, P plan) {}

  /**
   * Reads {@code {"schema": ..., "payload": ...}}. Returns null when the object is not such an envelope
   * (then {@code p} is spent and the caller starts over).
   */
  private <P> Enveloped<P> openEnvelope(JsonParser p, byte[] bytes, SchemaCache<P> cache,
      java.util.function.Function<byte[], P> builder) throws IOException {
    int payloadStart = -1;
    int payloadEnd = -1;
    P plan = null;
    boolean sawSchema = false;
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (name.equals("schema") && !sawSchema) {
        sawSchema = true;
        if (v == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentTokenLocation().getByteOffset() + 1;
          plan = cache.get(bytes, start, end, builder);
        } else if (v != JsonToken.VALUE_NULL) {
          return null;
        }
        if (payloadStart >= 0) {
          break;
        }
      } else if (name.equals("payload") && payloadStart < 0) {
        if (sawSchema) {
          return new Enveloped<>(p, plan);
        }
        payloadStart = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        payloadEnd = (int) p.currentTokenLocation().getByteOffset() + 1;
      } else {
        return null;
      }
    }
    if (!sawSchema || payloadStart < 0) {
      return null;
    }
    // payload came before schema (JsonConverter never does this): read it again from its byte range
    JsonParser again = factory.createParser(bytes);
    while (again.nextToken() != null) {
      if ((int) again.currentTokenLocation().getByteOffset() == payloadStart
          && again.currentToken() != JsonToken.FIELD_NAME) {
        return new Enveloped<>(again, plan);
      }
    }
    again.close();
    throw new DecodeException("payload at byte " + payloadStart + ".." + payloadEnd + " cannot be re-read");
  }

  private ValuePlan valuePlan(byte[] schemaBytes) {
    JsonNode schema;
    try {
      schema = mapper.readTree(schemaBytes);
    } catch (IOException e) {
      return new InvalidPlan("schema block is not valid JSON: " + e.getMessage());
    }
    try {
      return buildValuePlan(schema);
    } catch (DecodeException e) {
      return new InvalidPlan("invalid value schema: " + e.getMessage());
    }
  }

  private ValuePlan buildValuePlan(JsonNode schema) {
    String type = ConnectSchemaParser.text(schema, "type");
    String name = ConnectSchemaParser.text(schema, "name");
    if (!"struct".equals(type)) {
      return new SkipPlan("value schema is " + type + (name == null ? "" : " " + name) + ", not a Debezium struct");
    }
    List<String> names = new ArrayList<>();
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode f : schema.path("fields")) {
      String fieldName = ConnectSchemaParser.text(f, "field");
      names.add(fieldName);
      byName.put(fieldName, f);
    }
    if (names.contains("op") && (names.contains("after") || names.contains("before"))) {
      JsonNode afterSchema = byName.get("after");
      JsonNode beforeSchema = byName.get("before");
      Readers.StructReader after = afterSchema == null ? null : schemas.struct(afterSchema);
      Readers.StructReader before = beforeSchema == null ? null
          : afterSchema != null && afterSchema.equals(beforeSchema) ? after : schemas.struct(beforeSchema);
      StructType rowSchema = after != null ? after.structType() : before.structType();
      return new EnvelopePlan(before, after, rowSchema);
    }
    if (SchemaChangeDecoder.isSchemaChange(names)) {
      return new SchemaChangePlan();
    }
    if (name != null && name.endsWith(".Heartbeat") || names.equals(List.of("ts_ms"))) {
      return new SkipPlan("heartbeat");
    }
    if (name != null && name.endsWith("TransactionMetadataValue")
        || names.contains("status") && names.contains("id") && names.contains("event_count")) {
      return new SkipPlan("transaction metadata");
    }
    if (names.contains("before") || names.contains("after")) {
      return new InvalidPlan("envelope schema has no 'op' field");
    }
    if (format == DecoderFormat.JSON) {
      return new InvalidPlan("value has no 'op' field, so it is not a Debezium change event envelope"
          + (name == null ? "" : " (schema " + name + ")")
          + "; use format unwrapped or auto for ExtractNewRecordState output");
    }
    List<JsonNode> rowFields = new ArrayList<>();
    for (JsonNode f : schema.path("fields")) {
      if (!ConnectSchemaParser.text(f, "field").startsWith("__")) {
        rowFields.add(f);
      }
    }
    JsonNode rowSchema = mapper.createObjectNode().put("type", "struct")
        .set("fields", mapper.createArrayNode().addAll(rowFields));
    return new UnwrappedPlan(schemas.struct(rowSchema));
  }

  private void decodeWithPlan(ValuePlan plan, JsonParser p, String topic, Origin origin, Decoded out)
      throws IOException {
    if (plan instanceof EnvelopePlan env) {
      decodeEnvelope(env, p, out);
    } else if (plan instanceof UnwrappedPlan u) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        throw ValueReader.mismatch(p, "a row object");
      }
      Map<String, String> meta = new HashMap<>();
      Row row = u.row().read(p, meta);
      out.builder = unwrapped(row, meta, topic);
    } else if (plan instanceof SchemaChangePlan) {
      JsonNode payload = mapper.readTree(p);
      out.result = new DecodedRecord.SchemaChange(SchemaChangeDecoder.decode(payload, origin), origin);
    } else if (plan instanceof SkipPlan s) {
      out.result = new DecodedRecord.Skipped(origin, s.reason());
    } else {
      throw new DecodeException(((InvalidPlan) plan).reason());
    }
  }

  private void decodeEnvelope(EnvelopePlan plan, JsonParser p, Decoded out) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ValueReader.mismatch(p, "an envelope object");
    }
    Row before = null;
    Row after = null;
    SourceInfo source = null;
    String op = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "before":
          before = t == JsonToken.VALUE_NULL ? null : readRow(plan.before(), p, "before");
          break;
        case "after":
          after = t == JsonToken.VALUE_NULL ? null : readRow(plan.after(), p, "after");
          break;
        case "source":
          source = t == JsonToken.VALUE_NULL ? null : readSource(p);
          break;
        case "op":
          op = readOp(p);
          break;
        default:
          p.skipChildren();
      }
    }
    out.builder = envelopeBuilder(op, before, after, plan.rowSchema(), source);
  }

  private static Row readRow(Readers.StructReader reader, JsonParser p, String field) throws IOException {
    if (reader == null) {
      throw new DecodeException("payload has a value but the schema has no such field").in(field);
    }
    try {
      return (Row) reader.read(p);
    } catch (DecodeException e) {
      throw e.in(field);
    }
  }

  private SourceInfo readSource(JsonParser p) throws IOException {
    try {
      return SourceBlocks.read(p, recentSource);
    } catch (DecodeException e) {
      throw e.in("source");
    }
  }

  private static String readOp(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw ValueReader.mismatch(p, "a string").in("op");
    }
    return p.getText();
  }

  /** The source info of a source block read as text; takes ownership of the map. */
  static SourceInfo sourceInfo(Map<String, String> source) {
    try {
      return source == null ? null : SourceBlocks.toSourceInfo(source);
    } catch (DecodeException e) {
      throw e.in("source");
    }
  }

  static ChangeEvent.Builder envelopeBuilder(String op, Row before, Row after, StructType rowSchema,
      SourceInfo info) {
    if (op == null) {
      throw new DecodeException("missing; every Debezium change event has an operation code").in("op");
    }
    Operation operation;
    try {
      operation = Operation.fromCode(op);
    } catch (IllegalArgumentException e) {
      throw new DecodeException(e.getMessage(), e).in("op");
    }
    if (operation.producesRow() && after == null) {
      throw new DecodeException("is null for operation '" + op + "'").in("after");
    }
    return ChangeEvent.builder(operation).before(before).after(after).rowSchema(rowSchema).source(info);
  }

  /** ExtractNewRecordState: {@code __deleted} and {@code __op} give the operation, the rest the source. */
  static ChangeEvent.Builder unwrapped(Row row, Map<String, String> meta, String topic) {
    String deleted = meta.get("__deleted");
    String op = meta.get("__op");
    Operation operation;
    if ("true".equalsIgnoreCase(deleted)) {
      operation = Operation.DELETE;
    } else if (op != null) {
      try {
        operation = Operation.fromCode(op);
      } catch (IllegalArgumentException e) {
        throw new DecodeException(e.getMessage(), e).in("__op");
      }
    } else {
      // without __op the SMT does not say whether a row is new; an upsert is what it means
      operation = Operation.UPDATE;
    }
    if (operation == Operation.TRUNCATE) {
      throw new DecodeException("an unwrapped row cannot be a truncate").in("__op");
    }
    SourceInfo source = unwrappedSource(meta, topic);
    ChangeEvent.Builder b = ChangeEvent.builder(operation).rowSchema(row.schema()).source(source);
    return operation == Operation.DELETE ? b.before(row) : b.after(row);
  }

  /**
   * The source of an unwrapped row from its {@code __} fields ({@code __db}, {@code __table},
   * {@code __source_ts_ms}, {@code __lsn}, {@code __file}, ...); database and table default to the last two
   * segments of a {@code prefix.db.table} topic name when the SMT did not add them.
   */
  static SourceInfo unwrappedSource(Map<String, String> meta, String topic) {
    Map<String, String> fields = new HashMap<>();
    for (Map.Entry<String, String> e : meta.entrySet()) {
      String k = e.getKey().substring(2);
      if (!k.equals("deleted") && !k.equals("op") && !k.startsWith("source_")) {
        fields.put(k, e.getValue());
      }
    }
    for (Map.Entry<String, String> e : meta.entrySet()) {
      String k = e.getKey().substring(2);
      if (k.startsWith("source_")) {
        fields.put(k.substring("source_".length()), e.getValue());
      }
    }
    if (!fields.containsKey("table")) {
      String[] parts = topic.split("\\.");
      if (parts.length >= 3) {
        fields.put("table", parts[parts.length - 1]);
        fields.putIfAbsent("db", parts[parts.length - 2]);
      }
    }
    try {
      return SourceBlocks.toSourceInfo(fields);
    } catch (DecodeException e) {
      throw e.in("__source");
    }
  }

  // ---- schemaless ----

  /** {@code p} is on the START_OBJECT of the payload, parsed from {@code bytes} as a whole. */
  private void decodeSchemaless(JsonParser p, byte[] bytes, String topic, Origin origin, Decoded out)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ValueReader.mismatch(p, "a JSON object");
    }
    int objectStart = (int) p.currentTokenLocation().getByteOffset();
    int beforeStart = -1;
    int afterStart = -1;
    boolean hasBefore = false;
    boolean hasAfter = false;
    boolean schemaChange = false;
    SourceInfo source = null;
    Map<String, String> meta = new HashMap<>();
    List<String> names = new ArrayList<>();
    String op = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      names.add(name);
      JsonToken t = p.nextToken();
      switch (name) {
        case "before":
          hasBefore = true;
          beforeStart = t == JsonToken.VALUE_NULL ? -1 : (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          break;
        case "after":
          hasAfter = true;
          afterStart = t == JsonToken.VALUE_NULL ? -1 : (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          break;
        case "source":
          if (t == JsonToken.START_OBJECT) {
            source = readSource(p);
          } else {
            p.skipChildren();
          }
          break;
        case "op":
          op = t == JsonToken.VALUE_STRING ? p.getText() : readOp(p);
          break;
        default:
          if (name.equals("ddl") || name.equals("tableChanges")) {
            schemaChange = true;
          }
          if (name.startsWith("__") && t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY
              && t != JsonToken.VALUE_NULL) {
            meta.put(name, p.getText());
          }
          p.skipChildren();
      }
    }
    if (op != null || hasBefore || hasAfter) {
      SourceInfo info = source;
      StructType hint = hints.schemaFor(topic, info).orElse(null);
      Row before = beforeStart < 0 ? null : schemalessRow(bytes, beforeStart, hint, "before");
      Row after = afterStart < 0 ? null : schemalessRow(bytes, afterStart, hint, "after");
      StructType rowSchema = after != null ? after.schema() : before != null ? before.schema()
          : hint != null ? hint : StructType.of();
      out.builder = envelopeBuilder(op, before, after, rowSchema, info);
      out.hint = hint;
      return;
    }
    if (schemaChange && names.contains("databaseName")) {
      try (JsonParser again = factory.createParser(bytes)) {
        advanceTo(again, objectStart);
        JsonNode payload = mapper.readTree(again);
        out.result = new DecodedRecord.SchemaChange(SchemaChangeDecoder.decode(payload, origin), origin);
      }
      return;
    }
    if (names.equals(List.of("ts_ms"))) {
      out.result = new DecodedRecord.Skipped(origin, "heartbeat");
      return;
    }
    if (names.contains("status") && names.contains("id") && names.contains("event_count")) {
      out.result = new DecodedRecord.Skipped(origin, "transaction metadata");
      return;
    }
    if (format == DecoderFormat.JSON_SCHEMALESS) {
      throw new DecodeException("missing; the value is not a Debezium change event envelope"
          + " (use format unwrapped or auto for ExtractNewRecordState output)").in("op");
    }
    SourceInfo info = unwrappedSource(meta, topic);
    StructType hint = hints.schemaFor(topic, info).orElse(null);
    Map<String, String> rowMeta = new HashMap<>();
    Row row = schemalessRow(bytes, objectStart, hint, null, rowMeta);
    out.builder = unwrapped(row, rowMeta, topic);
    out.hint = hint;
  }

  private Row schemalessRow(byte[] bytes, int start, StructType hint, String field) throws IOException {
    return schemalessRow(bytes, start, hint, field, null);
  }

  private Row schemalessRow(byte[] bytes, int start, StructType hint, String field, Map<String, String> meta)
      throws IOException {
    // a parser started at the row reads it without tokenizing everything before it again
    try (JsonParser p = factory.createParser(bytes, start, bytes.length - start)) {
      p.nextToken();
      return schemaless.readRow(p, hint, meta);
    } catch (DecodeException e) {
      throw field == null ? e : e.in(field);
    }
  }

  /**
   * Moves a fresh whole-buffer parser onto the value token that starts at byte {@code offset}. Jackson
   * reports byte offsets relative to the buffer only for whole-buffer parsers, hence no sub-range parser.
   */
  private static void advanceTo(JsonParser p, int offset) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != null) {
      long at = p.currentTokenLocation().getByteOffset();
      if (at == offset && t != JsonToken.FIELD_NAME) {
        return;
      }
      if (at > offset) {
        break;
      }
    }
    throw new DecodeException("lost the value at byte " + offset);
  }

  // ---- keys ----

  /** Decodes a JSON key (record key or key header), with or without the schema envelope. */
  Row decodeKey(byte[] bytes, StructType hint) throws IOException {
    if (bytes.length == 0) {
      return null;
    }
    if (format != DecoderFormat.JSON_SCHEMALESS) {
      SchemaCache.Entry<Readers.StructReader> schema = knownSchema(bytes, keyPlans, this::keyPlan);
      if (schema != null) {
        try (JsonParser kp = payloadParser(bytes, schema)) {
          if (kp != null) {
            JsonToken first = kp.nextToken();
            if (first == JsonToken.VALUE_NULL) {
              return null;
            }
            return schema.plan() == null ? schemalessKey(kp, hint) : schema.plan().read(kp, null);
          }
        }
      }
    }
    try (JsonParser p = factory.createParser(bytes)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.VALUE_NULL) {
        return null;
      }
      if (first != JsonToken.START_OBJECT) {
        // a non-struct key (not produced by Debezium's table topics) carries no row key
        return null;
      }
      if (format != DecoderFormat.JSON_SCHEMALESS) {
        Enveloped<Readers.StructReader> env = openEnvelope(p, bytes, keyPlans, this::keyPlan);
        if (env != null) {
          try {
            JsonParser kp = env.parser();
            if (kp.currentToken() == JsonToken.VALUE_NULL) {
              return null;
            }
            if (env.plan() == null) {
              return schemalessKey(kp, hint);
            }
            return env.plan().read(kp, null);
          } finally {
            if (env.parser() != p) {
              env.parser().close();
            }
          }
        }
      }
    }
    try (JsonParser p = factory.createParser(bytes)) {
      p.nextToken();
      return schemalessKey(p, hint);
    }
  }

  private Row schemalessKey(JsonParser p, StructType hint) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      return null;
    }
    return schemaless.readRow(p, hint, null);
  }

  private Readers.StructReader keyPlan(byte[] schemaBytes) {
    try {
      JsonNode schema = mapper.readTree(schemaBytes);
      if (!"struct".equals(ConnectSchemaParser.text(schema, "type"))) {
        return null;
      }
      return schemas.struct(schema);
    } catch (IOException e) {
      throw new DecodeException("key schema block is not valid JSON: " + e.getMessage(), e);
    }
  }

  private Row headerKey(ConsumerRecord<byte[], byte[]> record, String name, StructType hint) throws IOException {
    Header h = record.headers().lastHeader(name);
    if (h == null || h.value() == null) {
      return null;
    }
    return decodeKey(h.value(), hint);
  }

  /** Schemas cached so far (keys and values); for tests and metrics. */
  public int cachedSchemas() {
    return keyPlans.size() + valuePlans.size();
  }
}
