package io.tributary.kafka.decode;

/** The encoding of the records a decoder reads; see {@link DecoderConfig#FORMAT}. */
public enum DecoderFormat {
  /** JsonConverter with {@code schemas.enable=true}: {@code {"schema": ..., "payload": ...}} for key and value. */
  JSON,
  /** JsonConverter with {@code schemas.enable=false}: the bare payload; types are inferred or taken from hints. */
  JSON_SCHEMALESS,
  /**
   * ExtractNewRecordState output (a flat row plus {@code __deleted}, {@code __op}, ... fields), with or
   * without the schema envelope. Envelope and schema-change records are accepted as well.
   */
  UNWRAPPED,
  /**
   * Avro in Confluent's wire format (magic byte 0, 4-byte schema id, Avro binary) with writer schemas from
   * a Confluent-compatible schema registry ({@link DecoderConfig#SCHEMA_REGISTRY_URL}); keys and headers
   * that are not in the wire format are read as JSON.
   */
  AVRO,
  /**
   * Avro through the AWS Glue Schema Registry (Amazon MSK's registry): header version byte 3, compression byte 0
   * (none) or 5 (zlib), the 16-byte schema version id, then the Avro binary datum, zlib-compressed when the
   * compression byte says so. Writer schemas are fetched by schema version id with the
   * {@code software.amazon.glue:schema-registry-serde} library, which the application adds (see
   * {@link DecoderConfig#GLUE_REGION}); keys and headers that are not in this format are read as JSON.
   */
  GLUE_AVRO,
  /**
   * Detects each record's shape (Avro wire format too, when a schema registry is configured) from its bytes: schema envelope or bare payload, Debezium envelope
   * (has {@code op}) or flat unwrapped row.
   */
  AUTO
}
