package io.tributary.kafka.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.testing.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The recorded MariaDB corpus ({@code ../shared/corpus/mariadb/<variant>/events.jsonl} with its
 * {@code headers.jsonl}) as Kafka records, for tests: every record on partition 0 of its topic with offset = line
 * number - 1 and timestamp = line number, so offsets and timestamps follow the connector's emit order across
 * topics. Skips the calling test when the corpus is absent.
 */
public final class CorpusTopicRecords {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, List<ConsumerRecord<byte[], byte[]>>> LOADED = new ConcurrentHashMap<>();

  private CorpusTopicRecords() {}

  /** Every line of {@code <variant>/events.jsonl} in file order, e.g. variant {@code json-schemas}. */
  public static List<ConsumerRecord<byte[], byte[]>> read(String variant) {
    Path dir = Corpus.mariadb().resolve(variant);
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
        byte[] key = bytes(event.get("key"));
        byte[] value = bytes(event.get("value"));
        out.add(new ConsumerRecord<>(event.get("topic").asText(), 0, lineNo - 1, lineNo, TimestampType.CREATE_TIME,
            key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, recordHeaders,
            Optional.empty()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the corpus at " + dir, e);
    }
  }

  private static byte[] bytes(JsonNode node) throws IOException {
    return node == null || node.isNull() ? null : MAPPER.writeValueAsBytes(node);
  }
}
