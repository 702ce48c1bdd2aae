package io.tributary.engines;

import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * One Kafka record carrying a Debezium change, as it travels through an engine's job from its Kafka source to the
 * Tributary writers (Flink's sink, Spark's {@code foreachBatch}): topic, partition, offset, timestamp, key, value
 * and headers, unchanged and serializable.
 */
public final class CdcRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final byte[] key;
  private final byte[] value;
  private final String[] headerKeys;
  private final byte[][] headerValues;

  private CdcRecord(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
      String[] headerKeys, byte[][] headerValues) {
    this.topic = Objects.requireNonNull(topic, "topic");
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.value = value;
    this.headerKeys = headerKeys;
    this.headerValues = headerValues;
  }

  /**
   * A record from its parts; {@code headerKeys} and {@code headerValues} are parallel arrays (a header value may
   * be null). The arrays are kept, not copied.
   */
  public static CdcRecord of(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
      String[] headerKeys, byte[][] headerValues) {
    if (headerKeys.length != headerValues.length) {
      throw new IllegalArgumentException("header keys and values differ in number: " + headerKeys.length + " vs "
          + headerValues.length);
    }
    return new CdcRecord(topic, partition, offset, timestamp, key, value, headerKeys, headerValues);
  }

  /** Copies a consumer record. */
  public static CdcRecord of(ConsumerRecord<byte[], byte[]> record) {
    Header[] headers = record.headers().toArray();
    String[] keys = new String[headers.length];
    byte[][] values = new byte[headers.length][];
    for (int i = 0; i < headers.length; i++) {
      keys[i] = headers[i].key();
      values[i] = headers[i].value();
    }
    return new CdcRecord(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
        record.value(), keys, values);
  }

  /** The record as the Kafka client type the decoders read. */
  public ConsumerRecord<byte[], byte[]> toConsumerRecord() {
    RecordHeaders headers = new RecordHeaders();
    for (int i = 0; i < headerKeys.length; i++) {
      headers.add(headerKeys[i], headerValues[i]);
    }
    return new ConsumerRecord<>(topic, partition, offset, timestamp, TimestampType.CREATE_TIME,
        key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers,
        java.util.Optional.empty());
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  public long offset() {
    return offset;
  }

  /** The Kafka record's timestamp in epoch milliseconds, or -1 when it has none. */
  public long timestamp() {
    return timestamp;
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
