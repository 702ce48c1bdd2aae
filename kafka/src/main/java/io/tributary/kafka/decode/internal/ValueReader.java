package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonParser;
import io.tributary.core.type.DataType;
import java.io.IOException;

/**
 * Reads one JSON value straight from a streaming parser into the canonical value of its {@link DataType}.
 * The parser is positioned on the value's first token, which is never {@code null}; on return it is on
 * the value's last token.
 */
public abstract class ValueReader {
  private final DataType type;

  protected ValueReader(DataType type) {
    this.type = type;
  }

  public DataType type() {
    return type;
  }

  public abstract Object read(JsonParser p) throws IOException;

  static DecodeException mismatch(JsonParser p, String expected) {
    return new DecodeException("expected " + expected + " but found " + describe(p));
  }

  static String describe(JsonParser p) {
    try {
      String text = p.getText();
      if (text != null && text.length() > 60) {
        text = text.substring(0, 60) + "...";
      }
      return p.currentToken() + (text == null ? "" : " '" + text + "'");
    } catch (IOException e) {
      return String.valueOf(p.currentToken());
    }
  }
}
