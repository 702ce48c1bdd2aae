package io.tributary.spark.internal;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.spark.sql.Row;

/** One row of Spark's Kafka source (key, value, topic, partition, offset, timestamp, headers), serializable. */
public final class KafkaRow implements Serializable {
  private static final long serialVersionUID = 1L;

  final String topic;
  final int partition;
  final long offset;
  final long timestamp;
  private final byte[] key;
  private final byte[] value;
  private final String[] headerKeys;
  private final byte[][] headerValues;

  private KafkaRow(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
      String[] headerKeys, byte[][] headerValues) {
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
    this.headerKeys = headerKeys;
    this.headerValues = headerValues;
  }

  /** Reads a row with the Kafka source's column names; {@code headers} is optional. */
  public static KafkaRow of(Row row) {
    String[] keys = new String[0];
    byte[][] values = new byte[0][];
    int h = indexOf(row, "headers");
    if (h >= 0 && !row.isNullAt(h)) {
      List<Row> headers = row.getList(h);
      keys = new String[headers.size()];
      values = new byte[headers.size()][];
      for (int i = 0; i < headers.size(); i++) {
        keys[i] = headers.get(i).getString(0);
        values[i] = headers.get(i).isNullAt(1) ? null : (byte[]) headers.get(i).get(1);
      }
    }
    int ts = indexOf(row, "timestamp");
    long timestamp = ts < 0 || row.isNullAt(ts) ? -1L : row.getTimestamp(ts).getTime();
    int k = row.fieldIndex("key");
    int v = row.fieldIndex("value");
    return new KafkaRow(row.getString(row.fieldIndex("topic")), row.getInt(row.fieldIndex("partition")),
        row.getLong(row.fieldIndex("offset")), timestamp,
        row.isNullAt(k) ? null : (byte[]) row.get(k), row.isNullAt(v) ? null : (byte[]) row.get(v), keys, values);
  }

  /** A record read by a Kafka consumer. */
  public static KafkaRow of(ConsumerRecord<byte[], byte[]> record) {
    List<String> keys = new ArrayList<>();
    List<byte[]> values = new ArrayList<>();
    record.headers().forEach(h -> {
      keys.add(h.key());
      values.add(h.value());
    });
    return new KafkaRow(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
        record.value(), keys.toArray(String[]::new), values.toArray(byte[][]::new));
  }

  private static int indexOf(Row row, String name) {
    return row.schema().getFieldIndex(name).isDefined() ? row.fieldIndex(name) : -1;
  }

  public String topic() {
    return topic;
  }

  public ConsumerRecord<byte[], byte[]> toConsumerRecord() {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < headerKeys.length; i++) {
      headers.add(headerKeys[i], headerValues[i]);
    }
    return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME,
        key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
  }
}
