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
   * Detects each record's shape from its bytes: schema envelope or bare payload, Debezium envelope
   * (has {@code op}) or flat unwrapped row.
   */
  AUTO
}
