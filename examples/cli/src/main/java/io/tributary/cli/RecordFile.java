package io.tributary.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Reads a file of Kafka records, one JSON object per line, as Kafka consumer records: the corpus format
 * {@code {"topic", "partition"?, "offset"?, "key", "value", "headers"?}} and kcat's {@code -J} output (value
 * in {@code payload}, headers as a flat {@code [k, v, ...]} array). A key or value that is a JSON object or
 * array is taken byte for byte as the record's bytes; a JSON string is the record's text. Plain or gzip files.
 *
 * <p>A missing partition is 0 and a missing offset is the line's position within its topic-partition, so that
 * replaying a file again yields the same offsets and changes nothing.
 */
public final class RecordFile implements Iterable<ConsumerRecord<byte[], byte[]>>, Closeable {
  private static final JsonFactory JSON = new JsonFactory();
  private final String path;
  private final BufferedReader reader;

  private RecordFile(String path, BufferedReader reader) {
    this.path = path;
    this.reader = reader;
  }

  /** Opens a file; a name ending in {@code .gz} is read as gzip. */
  public static RecordFile open(Path path) throws IOException {
    return read(Files.newInputStream(path), path.toString());
  }

  /** Reads records from a stream; {@code name} is used in messages and, ending in {@code .gz}, means gzip. */
  public static RecordFile read(InputStream stream, String name) throws IOException {
    InputStream in = name.endsWith(".gz") ? new GZIPInputStream(stream, 1 << 16) : stream;
    return new RecordFile(name, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
  }

  @Override
  public Iterator<ConsumerRecord<byte[], byte[]>> iterator() {
    return new Iterator<>() {
      private final Map<String, Long> positions = new HashMap<>();
      private long lineNumber;
      private ConsumerRecord<byte[], byte[]> next;

      @Override
      public boolean hasNext() {
        if (next != null) {
          return true;
        }
        try {
          String line;
          while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (!line.isBlank()) {
              next = parse(line.getBytes(StandardCharsets.UTF_8), lineNumber, positions);
              return true;
            }
          }
          return false;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + path + " at line " + lineNumber, e);
        }
      }

      @Override
      public ConsumerRecord<byte[], byte[]> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ConsumerRecord<byte[], byte[]> r = next;
        next = null;
        return r;
      }
    };
  }

  private ConsumerRecord<byte[], byte[]> parse(byte[] line, long lineNumber, Map<String, Long> positions)
      throws IOException {
    String topic = null;
    int partition = 0;
    Long offset = null;
    long timestamp = -1;
    byte[] key = null;
    byte[] value = null;
    RecordHeaders headers = new RecordHeaders();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(path + " line " + lineNumber + " is not a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "topic" -> topic = p.getText();
          case "partition" -> partition = p.getIntValue();
          case "offset" -> offset = p.getLongValue();
          case "ts", "timestamp" -> timestamp = p.currentToken().isNumeric() ? p.getLongValue() : -1;
          case "key" -> key = bytesOf(p, line);
          case "value", "payload" -> value = bytesOf(p, line);
          case "headers" -> readHeaders(p, line, headers);
          default -> p.skipChildren();
        }
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(path + " line " + lineNumber + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (topic == null) {
      throw new IllegalArgumentException(path + " line " + lineNumber + " has no \"topic\"");
    }
    String tp = topic + "-" + partition;
    long position = positions.merge(tp, 1L, Long::sum) - 1;
    long off = offset != null ? offset : position;
    return new ConsumerRecord<>(topic, partition, off, timestamp, TimestampType.CREATE_TIME,
        key == null ? -1 : key.length, value == null ? -1 : value.length, key, value, headers, Optional.empty());
  }

  /** The bytes of the current value: a nested object/array exactly as written, a string's text, or null. */
  private static byte[] bytesOf(JsonParser p, byte[] line) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t == JsonToken.VALUE_STRING) {
      return p.getText().getBytes(StandardCharsets.UTF_8);
    }
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      int start = (int) p.currentTokenLocation().getByteOffset();
      p.skipChildren();
      int end = (int) p.currentLocation().getByteOffset();
      byte[] out = new byte[end - start];
      System.arraycopy(line, start, out, 0, out.length);
      return out;
    }
    return p.getText().getBytes(StandardCharsets.UTF_8);
  }

  /** Headers as {@code {"k": v}}, {@code [{"key": k, "value": v}]} or kcat's {@code ["k", "v", ...]}. */
  private static void readHeaders(JsonParser p, byte[] line, RecordHeaders headers) throws IOException {
    if (p.currentToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String k = p.currentName();
        p.nextToken();
        headers.add(new RecordHeader(k, bytesOf(p, line)));
      }
      return;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    List<byte[]> flat = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.START_OBJECT) {
        String k = null;
        byte[] v = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          if (f.equals("key")) {
            k = p.getText();
          } else if (f.equals("value")) {
            v = bytesOf(p, line);
          } else {
            p.skipChildren();
          }
        }
        if (k != null) {
          headers.add(new RecordHeader(k, v));
        }
      } else {
        flat.add(bytesOf(p, line));
      }
    }
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      headers.add(new RecordHeader(new String(flat.get(i), StandardCharsets.UTF_8), flat.get(i + 1)));
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
