package io.tributary.kafka.decode;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/** Reads the recorded MariaDB corpus into Kafka {@link ConsumerRecord}s (test support). */
final class Corpus {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Corpus() {}

  /** The corpus's mariadb directory; skips the calling test when the corpus is absent. */
  static Path mariadb() {
    String dir = System.getProperty("tributary.corpus.dir");
    assumeTrue(dir != null, "system property tributary.corpus.dir is not set; corpus tests skipped");
    Path path = Path.of(dir, "mariadb");
    assumeTrue(Files.isDirectory(path), "corpus not found at " + path + "; corpus tests skipped");
    return path;
  }

  private static final Map<String, List<ConsumerRecord<byte[], byte[]>>> LOADED = new java.util.concurrent.ConcurrentHashMap<>();

  /** Every line of {@code <variant>/events.jsonl} as a record; offset = line number - 1, partition 0. */
  static List<ConsumerRecord<byte[], byte[]>> records(String variant) {
    Path dir = mariadb().resolve(variant);
    return LOADED.computeIfAbsent(variant, v -> List.copyOf(load(dir)));
  }

  private static List<ConsumerRecord<byte[], byte[]>> load(Path dir) {
    try {
      Map<Integer, JsonNode> headers = new HashMap<>();
      for (String line : Files.readAllLines(dir.resolve("headers.jsonl"))) {
        if (!line.isBlank()) {
          JsonNode h = MAPPER.readTree(line);
          headers.put(h.get("line").asInt(), h.get("headers"));
        }
      }
      List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
      int lineNo = 0;
      for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
        lineNo++;
        JsonNode event = MAPPER.readTree(line);
        RecordHeaders recordHeaders = new RecordHeaders();
        JsonNode hs = headers.get(lineNo);
        if (hs != null) {
          for (JsonNode h : hs) {
            recordHeaders.add(h.get("key").asText(), MAPPER.writeValueAsBytes(h.get("value")));
          }
        }
        out.add(record(event.get("topic").asText(), 0, lineNo - 1, bytes(event.get("key")),
            bytes(event.get("value")), recordHeaders));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
