package io.tributary.kafka.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tributary.kafka.testing.CorpusTopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Reads the recorded MariaDB corpus into Kafka {@link ConsumerRecord}s (test support). */
final class Corpus {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Corpus() {}

  /** The corpus's mariadb directory; skips the calling test when the corpus is absent. */
  static Path mariadb() {
    return io.tributary.core.testing.Corpus.mariadb();
  }

  /** Every line of {@code <variant>/events.jsonl} as a record; offset = line number - 1, partition 0. */
  static List<ConsumerRecord<byte[], byte[]>> records(String variant) {
    return CorpusTopicRecords.read(variant);
  }

  static List<Map<String, String>> finalState(String table) {
    try {
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : Files.readAllLines(mariadb().resolve("final-state").resolve(table + ".jsonl"))) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = MAPPER.readTree(line);
        Map<String, String> row = new HashMap<>();
        n.properties().forEach(e -> row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(JsonNode node) throws IOException {
    return node == null || node.isNull() ? null : MAPPER.writeValueAsBytes(node);
  }

  static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, byte[] key, byte[] value,
      RecordHeaders headers) {
    return new ConsumerRecord<>(topic, partition, offset, 0L, TimestampType.CREATE_TIME,
        key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
  }

  static ConsumerRecord<byte[], byte[]> record(String topic, String key, String value) {
    return record(topic, 3, 42, key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8), new RecordHeaders());
  }
}
