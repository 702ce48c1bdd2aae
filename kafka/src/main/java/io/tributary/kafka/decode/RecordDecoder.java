package io.tributary.kafka.decode;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns one Kafka record written by a Debezium connector into a {@link DecodedRecord}. Instances are
 * thread-safe and cache the decoding plan of every schema they have seen, so one decoder should be reused
 * for all records of a consumer.
 */
@FunctionalInterface
public interface RecordDecoder {

  /**
   * Decodes one record.
   *
   * @throws io.tributary.core.RecordException when the record is not valid Debezium output (not JSON, no
   *     {@code op}, a payload that contradicts its schema, an undecodable value); the message names the
   *     topic, partition, offset and the offending field. A tombstone never throws.
   */
  DecodedRecord decode(ConsumerRecord<byte[], byte[]> record);
}
