package io.tributary.kafka.decode.internal;

/**
 * Finds the parts of JsonConverter's {@code {"schema": {...}, "payload": ...}} envelope in the raw bytes, so
 * that the schema block, identical on every record of a topic, is recognized by comparing bytes instead of
 * being tokenized. Every method answers -1 when the bytes do not have the expected shape; the caller then
 * falls back to the streaming parser, which also reports malformed JSON.
 */
final class EnvelopeScanner {
  private static final byte[] SCHEMA = {'"', 's', 'c', 'h', 'e', 'm', 'a', '"'};
  private static final byte[] PAYLOAD = {'"', 'p', 'a', 'y', 'l', 'o', 'a', 'd', '"'};

  private EnvelopeScanner() {}

  /** The index of the {@code {} of the schema object when the bytes start with {@code {"schema": {}. */
  static int schemaStart(byte[] b) {
    int i = skipWhitespace(b, 0);
    if (i >= b.length || b[i] != '{') {
      return -1;
    }
    i = expect(b, skipWhitespace(b, i + 1), SCHEMA);
    if (i < 0) {
      return -1;
    }
    i = skipWhitespace(b, i);
    if (i >= b.length || b[i] != ':') {
      return -1;
    }
    i = skipWhitespace(b, i + 1);
    return i < b.length && b[i] == '{' ? i : -1;
  }

  /**
   * The index just past the object or array that opens at {@code start}, found by counting brackets outside
   * of strings; the contents are not validated.
   */
  static int valueEnd(byte[] b, int start) {
    int depth = 0;
    int n = b.length;
    for (int i = start; i < n; i++) {
      byte c = b[i];
      if (c == '"') {
        // skip the string, honouring backslash escapes
        i++;
        while (i < n && b[i] != '"') {
          if (b[i] == '\\') {
            i++;
          }
          i++;
        }
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) {
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** The index of the payload's first byte when {@code , "payload":} follows at {@code from}. */
  static int payloadStart(byte[] b, int from) {
    int i = skipWhitespace(b, from);
    if (i >= b.length || b[i] != ',') {
      return -1;
    }
    i = expect(b, skipWhitespace(b, i + 1), PAYLOAD);
    if (i < 0) {
      return -1;
    }
    i = skipWhitespace(b, i);
    if (i >= b.length || b[i] != ':') {
      return -1;
    }
    i = skipWhitespace(b, i + 1);
    return i < b.length ? i : -1;
  }

  private static int expect(byte[] b, int at, byte[] token) {
    if (at + token.length > b.length) {
      return -1;
    }
    for (int k = 0; k < token.length; k++) {
      if (b[at + k] != token[k]) {
        return -1;
      }
    }
    return at + token.length;
  }

  private static int skipWhitespace(byte[] b, int i) {
    while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
      i++;
    }
    return i;
  }
}
