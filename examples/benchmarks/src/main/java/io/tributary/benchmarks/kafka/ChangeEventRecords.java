package io.tributary.benchmarks.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.benchmarks.ConnectEncoding;
import io.tributary.benchmarks.CustomersData.Event;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka records of generated change events, byte for byte what a Debezium connector behind Kafka Connect's
 * JsonConverter ({@code schemas.enable=true}) writes, keyed by the primary key and partitioned like Kafka's
 * default partitioner does with a key, so that one row's changes stay in one partition.
 *
 * <p>The value's schema block is the same for every event, so it is converted once and only the payload is
 * converted per event: the JsonConverter is the slowest part of producing a topic of a million records.
 */
final class ChangeEventRecords {
  private static final byte[] SCHEMA_FIELD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] PAYLOAD_FIELD = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

  private final ConnectEncoding withSchemas = ConnectEncoding.withSchemas();
  private final ConnectEncoding payloads = ConnectEncoding.schemaless();
  private final String topic;
  private final int partitions;
  private byte[] schemaBlock;

  ChangeEventRecords(String topic, int partitions) {
    this.topic = topic;
    this.partitions = partitions;
  }

  String topic() {
    return topic;
  }

  int partitions() {
    return partitions;
  }

  /** The record of one event, in the partition of its key. */
  ProducerRecord<byte[], byte[]> record(Event event) {
    byte[] key = withSchemas.key(event);
    return new ProducerRecord<>(topic, partitionOf(key), key, value(event));
  }

  /** The partition Kafka's default partitioner picks for a record with this key. */
  int partitionOf(byte[] key) {
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /** The JsonConverter value with its schema block. */
  byte[] value(Event event) {
    if (schemaBlock == null) {
      schemaBlock = schemaBlock(withSchemas.value(event));
    }
    byte[] payload = payloads.value(event);
    byte[] out = new byte[SCHEMA_FIELD.length + schemaBlock.length + PAYLOAD_FIELD.length + payload.length + 1];
    int at = 0;
    System.arraycopy(SCHEMA_FIELD, 0, out, at, SCHEMA_FIELD.length);
    at += SCHEMA_FIELD.length;
    System.arraycopy(schemaBlock, 0, out, at, schemaBlock.length);
    at += schemaBlock.length;
    System.arraycopy(PAYLOAD_FIELD, 0, out, at, PAYLOAD_FIELD.length);
    at += PAYLOAD_FIELD.length;
    System.arraycopy(payload, 0, out, at, payload.length);
    out[out.length - 1] = '}';
    return out;
  }

  private static byte[] schemaBlock(byte[] value) {
    ObjectMapper json = new ObjectMapper();
    try {
      return json.writeValueAsBytes(json.readTree(value).get("schema"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
