package io.tributary.kafka.decode.internal;

import org.apache.avro.Schema;

/**
 * How a schema registry frames an Avro datum in a Kafka record: a header naming the writer schema, then the
 * datum. {@link AvroRecordDecoder} reads every registry's records the same way once the framing is undone.
 */
public interface AvroWireFormat {

  /**
   * Whether {@code bytes} start like this format's header; keys and headers that do not are read as JSON, and so
   * are values when the decoder falls back to JSON.
   */
  boolean matches(byte[] bytes);

  /**
   * Reads the header of {@code bytes}: the writer schema's id and where the datum is.
   *
   * @throws DecodeException when the bytes are not in this format
   */
  Framed frame(byte[] bytes);

  /**
   * The writer schema of a framed datum, from the registry. Called once per schema id and kind (key or value).
   *
   * @throws DecodeException when the registry does not hold the schema or it is not an Avro schema
   * @throws io.tributary.core.RetryableException when the registry cannot be reached
   */
  Schema schema(Framed framed);

  /** Names a schema id in messages, such as {@code schema id 7}. */
  String describe(Object schemaId);

  /**
   * A datum located by its header.
   *
   * @param schemaId the registry's id of the writer schema; equal ids have equal schemas
   * @param record the bytes as they arrived, header included
   * @param datum the array holding the Avro binary datum (the record itself, or its decompressed body)
   * @param offset where the datum starts in {@code datum}
   */
  record Framed(Object schemaId, byte[] record, byte[] datum, int offset) {}
}
