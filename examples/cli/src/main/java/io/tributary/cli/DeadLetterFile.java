package io.tributary.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tributary.core.pipeline.DeadLetter;
import io.tributary.core.pipeline.DeadLetterHandler;
import io.tributary.core.pipeline.RawRecord;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends dead letters to a JSON-lines file, in the replay input format plus the reason, so that a fixed file
 * can be replayed. The file is created on the first letter and flushed after each one.
 */
final class DeadLetterFile implements DeadLetterHandler, Closeable {
  private static final JsonFactory JSON = new JsonFactory();
  private final Path path;
  private Writer writer;

  private DeadLetterFile(Path path) {
    this.path = path;
  }

  static DeadLetterFile open(Path path) {
    return new DeadLetterFile(path);
  }

  /** Synchronized: the pipeline's commit thread dead-letters records it cannot write. */
  @Override
  public synchronized void handle(DeadLetter letter) {
    try {
      if (writer == null) {
        if (path.getParent() != null) {
          Files.createDirectories(path.getParent());
        }
        writer = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8,
            StandardOpenOption.CREATE, StandardOpenOption.APPEND));
      }
      try (JsonGenerator g = JSON.createGenerator(new NonClosing(writer))) {
        g.writeStartObject();
        g.writeStringField("topic", letter.origin().topic());
        g.writeNumberField("partition", letter.origin().partition());
        g.writeNumberField("offset", letter.origin().offset());
        if (letter.table() != null) {
          g.writeStringField("table", letter.table().toString());
        }
        g.writeStringField("reason", letter.reason());
        if (letter.cause() != null) {
          g.writeStringField("error", letter.cause().getClass().getName());
        }
        RawRecord raw = letter.raw();
        g.writeStringField("key", raw == null || raw.key() == null ? null : new String(raw.key(), StandardCharsets.UTF_8));
        g.writeStringField("value", raw == null || raw.value() == null ? null : new String(raw.value(), StandardCharsets.UTF_8));
        g.writeEndObject();
      }
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dead letter to " + path, e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }

  /** Lets a generator be closed per letter without closing the file. */
  private static final class NonClosing extends java.io.FilterWriter {
    NonClosing(Writer out) {
      super(out);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
