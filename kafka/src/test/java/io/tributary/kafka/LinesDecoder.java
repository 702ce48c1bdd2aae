package io.tributary.kafka;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import io.tributary.core.Row;
import io.tributary.core.SourceInfo;
import io.tributary.core.SourcePosition;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.RecordDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A deliberately small record format for runner tests that need many partitions and exact counting without
 * Debezium's envelope: value {@code op,table,id,payload} ({@code op} c or d; table {@code items} has key
 * {@code id}, table {@code logs} has no key and ignores {@code id}). A null value is a tombstone.
 */
final class LinesDecoder implements RecordDecoder {
  static final StructType ITEMS = StructType.of(
      Field.required("id", Types.IntegerType.get()), Field.optional("payload", Types.StringType.get()));
  static final StructType ITEMS_KEY = StructType.of(Field.required("id", Types.IntegerType.get()));
  static final StructType LOGS = StructType.of(Field.optional("payload", Types.StringType.get()));

  static byte[] line(String op, String table, int id, String payload) {
    return (op + "," + table + "," + id + "," + payload).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public DecodedRecord decode(ConsumerRecord<byte[], byte[]> record) {
    Origin origin = Origin.of(record.topic(), record.partition(), record.offset());
    if (record.value() == null) {
      return new DecodedRecord.Tombstone(origin);
    }
    String[] parts = new String(record.value(), StandardCharsets.UTF_8).split(",", 4);
    if (parts.length != 4) {
      throw new RecordException("expected op,table,id,payload", origin, null);
    }
    Operation op = switch (parts[0]) {
      case "c" -> Operation.INSERT;
      case "d" -> Operation.DELETE;
      default -> throw new RecordException("unknown op '" + parts[0] + "'", origin, null);
    };
    int id;
    try {
      id = Integer.parseInt(parts[2]);
    } catch (NumberFormatException e) {
      throw new RecordException("bad id '" + parts[2] + "'", origin, e);
    }
    boolean keyed = parts[1].equals("items");
    Row image = keyed ? Row.of(ITEMS, id, parts[3]) : Row.of(LOGS, parts[3]);
    SourceInfo source = new SourceInfo("test", "shop", null, parts[1], record.timestamp(), false,
        SourcePosition.of(record.topic() + "@" + record.offset(), record.partition(), record.offset()), Map.of());
    ChangeEvent event = ChangeEvent.builder(op)
        .key(keyed ? Row.of(ITEMS_KEY, id) : null)
        .before(op == Operation.DELETE ? image : null)
        .after(op == Operation.DELETE ? null : image)
        .rowSchema(keyed ? ITEMS : LOGS)
        .source(source)
        .origin(origin)
        .build();
    return new DecodedRecord.Change(event);
  }
}
