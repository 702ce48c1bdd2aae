package io.tributary.kafka.decode;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds Debezium records in JsonConverter's {schema, payload} form, following Debezium's documented format. */
final class Envelopes {
  static final String TOPIC = "pg.inventory.t";
  static final String PG_SOURCE = "{\"version\":\"3.6.3.Final\",\"connector\":\"postgresql\",\"name\":\"pg\","
      + "\"ts_ms\":1700000000123,\"snapshot\":\"false\",\"db\":\"inventory\","
      + "\"sequence\":\"[\\\"41448112\\\",\\\"41449128\\\"]\",\"ts_us\":null,\"schema\":\"inventory\","
      + "\"table\":\"t\",\"txId\":770,\"lsn\":41449128,\"xmin\":null}";
  private static final String SOURCE_SCHEMA = "{\"type\":\"struct\",\"optional\":false,\"field\":\"source\","
      + "\"name\":\"io.debezium.connector.postgresql.Source\",\"fields\":["
      + "{\"type\":\"string\",\"optional\":false,\"field\":\"connector\"},"
      + "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"}]}";

  private Envelopes() {}

  /** A value with the given row field schemas (JSON array elements) and payload parts. */
  static String value(String rowFields, String before, String after, String op) {
    String row = "{\"type\":\"struct\",\"optional\":true,\"name\":\"pg.inventory.t.Value\",\"fields\":[" + rowFields + "]";
    return "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"pg.inventory.t.Envelope\",\"version\":2,"
        + "\"fields\":[" + row + ",\"field\":\"before\"}," + row + ",\"field\":\"after\"}," + SOURCE_SCHEMA + ","
        + "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"
        + "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"}]},"
        + "\"payload\":{\"before\":" + before + ",\"after\":" + after + ",\"source\":" + PG_SOURCE
        + ",\"op\":" + (op == null ? "null" : "\"" + op + "\"") + ",\"ts_ms\":1700000000200}}";
  }

  /** An insert whose single column {@code v} has the given field schema (without "field") and JSON value. */
  static String single(String fieldSchema, String json) {
    String field = fieldSchema.substring(0, fieldSchema.lastIndexOf('}')) + ",\"field\":\"v\"}";
    return value(field, "null", "{\"v\":" + json + "}", "c");
  }

  static String key(String fields, String payload) {
    return "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"pg.inventory.t.Key\",\"fields\":["
        + fields + "]},\"payload\":" + payload + "}";
  }

  static ConsumerRecord<byte[], byte[]> record(String key, String value) {
    return Corpus.record(TOPIC, key, value);
  }
}
