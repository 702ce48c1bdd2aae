package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.ChangeEvent;
import io.tributary.core.FatalException;
import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.type.StructType;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.DecoderConfig;
import io.tributary.kafka.decode.RecordDecoder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes Avro records framed by a schema registry's {@link AvroWireFormat} (Confluent's, or the AWS Glue Schema
 * Registry's): the header names the writer schema, the rest is the Avro binary datum written with it. The decoding
 * plan of each schema id is built once, keys' and values' apart, and holds at most {@code maxPlans} ids of each
 * (beyond that, a sign of schema churn, it starts over). Keys and {@code __debezium.newkey}/{@code oldkey} headers
 * in the wire format are read as Avro, others as JSON. Values that are not in the wire format are handed to the
 * JSON decoder when {@code jsonFallback} is set.
 */
public final class AvroRecordDecoder implements RecordDecoder {
  private final AvroWireFormat wire;
  private final AvroConverter converter;
  private final JsonRecordDecoder json;
  private final boolean jsonFallback;
  private final int maxPlans;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<Object, Plan> valuePlans = new ConcurrentHashMap<>();
  private final Map<Object, Plan> keyPlans = new ConcurrentHashMap<>();

  public AvroRecordDecoder(DecoderConfig config, AvroWireFormat wire, int maxPlans, JsonRecordDecoder json,
      boolean jsonFallback) {
    this.wire = wire;
    this.maxPlans = maxPlans;
    this.converter = new AvroConverter(Readers.Placeholder.of(config.unavailableValuePlaceholder()),
        config.variableScaleDecimalMode());
    this.json = json;
    this.jsonFallback = jsonFallback;
  }

  /** How to read the data of one schema id. */
  private record Plan(Schema schema, GenericDatumReader<Object> reader, Kind kind,
      AvroConverter.RecordNode before, AvroConverter.RecordNode after, AvroConverter.RecordNode row,
      AvroConverter.Node key, String reason) {}

  private enum Kind { ENVELOPE, UNWRAPPED, SCHEMA_CHANGE, SKIP, KEY }

  @Override
  public DecodedRecord decode(ConsumerRecord<byte[], byte[]> record) {
    Origin origin = Origin.of(record.topic(), record.partition(), record.offset());
    byte[] value = record.value();
    if (value == null || value.length == 0) {
      return new DecodedRecord.Tombstone(origin);
    }
    if (jsonFallback && !wire.matches(value)) {
      return json.decode(record);
    }
    String part = "value";
    try {
      AvroWireFormat.Framed framed = wire.frame(value);
      Plan plan = plan(framed, false);
      Object datum = read(plan, framed);
      ChangeEvent.Builder builder;
      StructType rowSchema;
      switch (plan.kind()) {
        case SKIP:
          return new DecodedRecord.Skipped(origin, plan.reason());
        case SCHEMA_CHANGE: {
          JsonNode payload = mapper.readTree(GenericData.get().toString(datum));
          return new DecodedRecord.SchemaChange(SchemaChangeDecoder.decode(payload, origin), origin);
        }
        case UNWRAPPED: {
          GenericRecord r = (GenericRecord) datum;
          Map<String, String> meta = new HashMap<>();
          for (Schema.Field f : plan.schema().getFields()) {
            Object v = r.get(f.pos());
            if (f.name().startsWith("__") && v != null) {
              meta.put(f.name(), v.toString());
            }
          }
          Row row = (Row) plan.row().convert(r);
          builder = JsonRecordDecoder.unwrapped(row, meta, record.topic());
          break;
        }
        case ENVELOPE: {
          GenericRecord r = (GenericRecord) datum;
          Row before = row(plan.before(), r, "before");
          Row after = row(plan.after(), r, "after");
          Object op = field(r, "op");
          Object source = field(r, "source");
          Map<String, String> src = null;
          if (source instanceof GenericRecord s) {
            src = new HashMap<>();
            for (Schema.Field f : s.getSchema().getFields()) {
              Object v = s.get(f.pos());
              if (v != null) {
                src.put(f.name(), v.toString());
              }
            }
          }
          rowSchema = (plan.after() != null ? plan.after() : plan.before()).structType();
          builder = JsonRecordDecoder.envelopeBuilder(op == null ? null : op.toString(), before, after, rowSchema,
              JsonRecordDecoder.sourceInfo(src));
          break;
        }
        default:
          throw new DecodeException("value schema is a key schema");
      }
      part = "key";
      Row key = key(record.key());
      part = "header " + JsonRecordDecoder.NEW_KEY_HEADER;
      Row newKey = headerKey(record, JsonRecordDecoder.NEW_KEY_HEADER);
      part = "header " + JsonRecordDecoder.OLD_KEY_HEADER;
      Row oldKey = headerKey(record, JsonRecordDecoder.OLD_KEY_HEADER);
      part = "value";
      return new DecodedRecord.Change(builder.key(key).newKey(newKey).oldKey(oldKey).origin(origin).build());
    } catch (DecodeException e) {
      throw new RecordException("cannot decode Avro record " + part + ": " + e.getMessage(), origin, e);
    } catch (IOException | AvroRuntimeException | IllegalArgumentException | ArithmeticException
        | ClassCastException e) {
      throw new RecordException("cannot decode Avro record " + part + ": " + e, origin, e);
    } catch (RecordException e) {
      throw e;
    } catch (RetryableException e) {
      throw new RetryableException(e.getMessage() + " (" + origin + ")", e);
    } catch (FatalException e) {
      throw new FatalException(e.getMessage() + " (" + origin + ")", e);
    }
  }

  private static Object field(GenericRecord r, String name) {
    Schema.Field f = r.getSchema().getField(name);
    return f == null ? null : r.get(f.pos());
  }

  private static Row row(AvroConverter.RecordNode node, GenericRecord envelope, String name) {
    Object v = field(envelope, name);
    if (v == null) {
      return null;
    }
    try {
      return (Row) node.convert(v);
    } catch (DecodeException e) {
      throw e.in(name);
    }
  }

  private Row key(byte[] bytes) throws IOException {
    if (bytes == null || bytes.length == 0) {
      return null;
    }
    if (!wire.matches(bytes)) {
      return json.decodeKey(bytes, null);
    }
    AvroWireFormat.Framed framed = wire.frame(bytes);
    Plan plan = plan(framed, true);
    Object datum = read(plan, framed);
    return plan.key() instanceof AvroConverter.RecordNode rn ? (Row) rn.convert(datum) : null;
  }

  private Row headerKey(ConsumerRecord<byte[], byte[]> record, String name) throws IOException {
    Header h = record.headers().lastHeader(name);
    return h == null ? null : key(h.value());
  }

  private static Object read(Plan plan, AvroWireFormat.Framed framed) throws IOException {
    byte[] bytes = framed.datum();
    int length = bytes.length - framed.offset();
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, framed.offset(), length, null);
    Object datum = plan.reader().read(null, decoder);
    if (!decoder.isEnd()) {
      throw new DecodeException(length + "-byte datum has trailing bytes after the schema's fields");
    }
    return datum;
  }

  private Plan plan(AvroWireFormat.Framed framed, boolean key) {
    Map<Object, Plan> plans = key ? keyPlans : valuePlans;
    Plan plan = plans.get(framed.schemaId());
    if (plan == null) {
      Schema schema = wire.schema(framed);
      try {
        plan = key ? keyPlan(schema) : valuePlan(schema);
      } catch (DecodeException e) {
        throw new DecodeException(wire.describe(framed.schemaId()) + ": " + e.getMessage(), e);
      }
      if (plans.size() >= maxPlans) {
        plans.clear();
      }
      plans.put(framed.schemaId(), plan);
    }
    return plan;
  }

  private Plan keyPlan(Schema schema) {
    AvroConverter.Node node = schema.getType() == Schema.Type.RECORD ? converter.record(schema) : null;
    return new Plan(schema, new GenericDatumReader<>(schema), Kind.KEY, null, null, null, node, null);
  }

  private Plan valuePlan(Schema schema) {
    GenericDatumReader<Object> reader = new GenericDatumReader<>(schema);
    if (schema.getType() != Schema.Type.RECORD) {
      return new Plan(schema, reader, Kind.SKIP, null, null, null, null,
          "value schema is " + schema.getType() + ", not a Debezium record");
    }
    List<String> names = schema.getFields().stream().map(Schema.Field::name).toList();
    if (names.contains("op") && (names.contains("before") || names.contains("after"))) {
      AvroConverter.RecordNode after = names.contains("after") ? recordOf(schema.getField("after").schema()) : null;
      AvroConverter.RecordNode before = names.contains("before") ? recordOf(schema.getField("before").schema()) : null;
      return new Plan(schema, reader, Kind.ENVELOPE, before, after, null, null, null);
    }
    if (SchemaChangeDecoder.isSchemaChange(names)) {
      return new Plan(schema, reader, Kind.SCHEMA_CHANGE, null, null, null, null, null);
    }
    if (schema.getFullName().endsWith(".Heartbeat") || names.equals(List.of("ts_ms"))) {
      return new Plan(schema, reader, Kind.SKIP, null, null, null, null, "heartbeat");
    }
    if (names.contains("status") && names.contains("id") && names.contains("event_count")) {
      return new Plan(schema, reader, Kind.SKIP, null, null, null, null, "transaction metadata");
    }
    if (names.contains("before") || names.contains("after")) {
      throw new DecodeException("envelope schema has no 'op' field");
    }
    AvroConverter.RecordNode row = converter.record(schema).withoutMetadata(schema, converter);
    return new Plan(schema, reader, Kind.UNWRAPPED, null, null, row, null, null);
  }

  private AvroConverter.RecordNode recordOf(Schema fieldSchema) {
    AvroConverter.Node n = converter.node(fieldSchema);
    if (!(n instanceof AvroConverter.RecordNode r)) {
      throw new DecodeException("before/after must be records, not " + fieldSchema);
    }
    return r;
  }
}
