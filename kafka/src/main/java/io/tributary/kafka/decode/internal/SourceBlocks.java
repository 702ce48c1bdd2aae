package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.core.SourceInfo;
import io.tributary.core.SourcePosition;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Reads Debezium's {@code source} block and derives {@link SourceInfo} and {@link SourcePosition}. */
public final class SourceBlocks {
  private SourceBlocks() {}

  /** Reads a flat JSON object into field → text; nested values are skipped, nulls dropped. */
  public static Map<String, String> readFlat(JsonParser p) throws IOException {
    return readFlat(p, null);
  }

  /**
   * Like {@link #readFlat(JsonParser)}; values equal to the text the same member had in an earlier block are
   * taken from {@code recent} instead of allocating a new string (most source fields — connector, database,
   * table, binlog file, server id — repeat from record to record).
   */
  static Map<String, String> readFlat(JsonParser p, RecentValues recent) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ValueReader.mismatch(p, "a source struct");
    }
    Map<String, String> out = new HashMap<>(32);
    int member = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else if (t != JsonToken.VALUE_NULL) {
        out.put(name, recent == null ? p.getText() : recent.text(p, member));
      }
      member++;
    }
    return out;
  }

  /**
   * The last text seen at each member position of a source block. Shared by the threads of one decoder
   * without locking: a slot holds an immutable string and is only trusted after comparing its characters,
   * so a lost or stale write costs an allocation, never a wrong value.
   */
  static final class RecentValues {
    private static final int SLOTS = 32;
    private final String[] slots = new String[SLOTS];

    String text(JsonParser p, int member) throws IOException {
      if (member >= SLOTS) {
        return p.getText();
      }
      char[] chars = p.getTextCharacters();
      int offset = p.getTextOffset();
      int length = p.getTextLength();
      String last = slots[member];
      if (last != null && last.length() == length) {
        int i = 0;
        while (i < length && last.charAt(i) == chars[offset + i]) {
          i++;
        }
        if (i == length) {
          return last;
        }
      }
      String text = new String(chars, offset, length);
      slots[member] = text;
      return text;
    }
  }

  /**
   * Builds the source info from the {@code source} fields. {@code file}/{@code pos}/{@code row} (MySQL,
   * MariaDB) give position (binlog file index, pos, row); {@code lsn} (PostgreSQL) gives (lsn[, last
   * element of {@code sequence}]); other sources have no position. Takes ownership of {@code f} (the
   * remaining fields become the attributes), so callers pass a map of their own.
   */
  public static SourceInfo toSourceInfo(Map<String, String> f) {
    Map<String, String> attributes = f;
    String connector = attributes.remove("connector");
    String db = attributes.remove("db");
    String schema = attributes.remove("schema");
    String table = attributes.remove("table");
    String tsText = attributes.remove("ts_ms");
    String snapshot = attributes.remove("snapshot");
    long ts = parseLong(tsText, "source.ts_ms");
    boolean inSnapshot = snapshot != null && !snapshot.equals("false");
    if (snapshot != null) {
      attributes.put("snapshot", snapshot);
    }
    return new SourceInfo(connector, db, schema, table, ts, inSnapshot, position(attributes), attributes);
  }

  static SourcePosition position(Map<String, String> f) {
    String file = f.get("file");
    String pos = f.get("pos");
    if (file != null && pos != null) {
      long index = 0;
      int dot = file.lastIndexOf('.');
      if (dot >= 0) {
        try {
          index = Long.parseLong(file.substring(dot + 1));
        } catch (NumberFormatException e) {
          index = 0;
        }
      }
      long position = parseLong(pos, "source.pos");
      long row = parseLong(f.get("row"), "source.row");
      return SourcePosition.of(file + ":" + position + ":" + row, index, position, row);
    }
    String lsn = f.get("lsn");
    if (lsn != null) {
      long l = parseLong(lsn, "source.lsn");
      String sequence = f.get("sequence");
      Long last = lastOfSequence(sequence);
      return last == null
          ? SourcePosition.of("lsn " + l, l)
          : SourcePosition.of("lsn " + l + " (sequence " + sequence + ")", l, last);
    }
    return null;
  }

  /** The last element of a sequence like {@code ["41448112","41449128"]}, or null. */
  static Long lastOfSequence(String sequence) {
    if (sequence == null) {
      return null;
    }
    int end = sequence.lastIndexOf(']');
    if (end < 0) {
      return null;
    }
    int start = sequence.lastIndexOf(',', end);
    if (start < 0) {
      start = sequence.indexOf('[');
    }
    String element = sequence.substring(start + 1, end).trim();
    if (element.startsWith("\"") && element.endsWith("\"") && element.length() >= 2) {
      element = element.substring(1, element.length() - 1);
    }
    if (element.isEmpty() || element.equals("null")) {
      return null;
    }
    try {
      return Long.parseLong(element);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long parseLong(String text, String what) {
    if (text == null) {
      return 0L;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new DecodeException(what + " is not an integer: '" + text + "'", e);
    }
  }
}
