package io.tributary.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The recorded Debezium corpus ({@code json-schemas} variant) as Kafka records: key and value are the
 * converter's JSON exactly as recorded (cut from the line, not re-serialized), headers from
 * {@code headers.jsonl}, one topic per corpus topic (prefixed, so that tests sharing a broker stay apart).
 */
final class CorpusTopics {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();

  /** One corpus line. */
  record Line(int number, String corpusTopic, byte[] key, byte[] value, List<Map.Entry<String, byte[]>> headers) {
    ProducerRecord<byte[], byte[]> toRecord(String prefix) {
      ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(prefix + corpusTopic, 0, null, key, value);
      headers.forEach(h -> r.headers().add(h.getKey(), h.getValue()));
      return r;
    }

    boolean isSchemaChange() {
      return !corpusTopic.contains(".");
    }
  }

  private CorpusTopics() {}

  static List<Line> load(Path variantDir) {
    try {
      Map<Integer, List<Map.Entry<String, byte[]>>> headers = new HashMap<>();
      for (String line : Files.readAllLines(variantDir.resolve("headers.jsonl"), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode h = MAPPER.readTree(line);
        List<Map.Entry<String, byte[]>> list = new ArrayList<>();
        for (JsonNode e : h.get("headers")) {
          list.add(Map.entry(e.get("key").asText(), MAPPER.writeValueAsBytes(e.get("value"))));
        }
        headers.put(h.get("line").asInt(), list);
      }
      List<Line> lines = new ArrayList<>();
      int number = 0;
      for (String text : Files.readAllLines(variantDir.resolve("events.jsonl"), StandardCharsets.UTF_8)) {
        number++;
        lines.add(parse(number, text, headers.getOrDefault(number, List.of())));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Cuts the {@code key} and {@code value} members out of the line by their character positions. */
  private static Line parse(int number, String text, List<Map.Entry<String, byte[]>> headers) throws IOException {
    String topic = null;
    byte[] key = null;
    byte[] value = null;
    try (JsonParser p = FACTORY.createParser(text)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        }
        int end = (int) p.currentLocation().getCharOffset();
        switch (name) {
          case "topic" -> topic = p.getText();
          case "key" -> key = t == JsonToken.VALUE_NULL ? null : text.substring(start, end).getBytes(StandardCharsets.UTF_8);
          case "value" -> value = t == JsonToken.VALUE_NULL ? null : text.substring(start, end).getBytes(StandardCharsets.UTF_8);
          default -> { }
        }
      }
    }
    return new Line(number, topic, key, value, headers);
  }

  static Set<String> topics(List<Line> lines) {
    Set<String> out = new LinkedHashSet<>();
    lines.forEach(l -> out.add(l.corpusTopic()));
    return out;
  }

  /**
   * The lines split at every scenario step ({@code scenario-steps.json}). A step's DDL record and its data
   * records are produced together, so the runner itself must apply them in source order although they are
   * on different topics.
   */
  static List<List<Line>> chunks(List<Line> lines, Path mariadb) {
    Set<Integer> stepStarts = new java.util.HashSet<>();
    try {
      for (JsonNode step : MAPPER.readTree(mariadb.resolve("scenario-steps.json").toFile()).get("steps")) {
        JsonNode first = step.path("first_line").path("json-schemas");
        if (first.isInt()) {
          stepStarts.add(first.asInt());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<Line>> chunks = new ArrayList<>();
    List<Line> current = new ArrayList<>();
    for (Line l : lines) {
      if (stepStarts.contains(l.number()) && !current.isEmpty()) {
        chunks.add(current);
        current = new ArrayList<>();
      }
      current.add(l);
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }
}
