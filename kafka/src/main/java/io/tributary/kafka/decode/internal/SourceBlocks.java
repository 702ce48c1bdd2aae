package io.tributary.kafka.decode.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.core.SourceAttributes;
import io.tributary.core.SourceInfo;
import io.tributary.core.SourcePosition;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/** Reads Debezium's {@code source} block and derives {@link SourceInfo} and {@link SourcePosition}. */
public final class SourceBlocks {
  private SourceBlocks() {}

  /**
   * Reads a {@code source} block straight into its {@link SourceInfo}: top-level fields only (nested values are
   * skipped, nulls dropped). Values equal to the text the same member had in an earlier block are taken from
   * {@code recent} instead of allocating a new string (most source fields — connector, database, table, binlog
   * file, server id — repeat from record to record).
   */
  static SourceInfo read(JsonParser p, RecentValues recent) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw ValueReader.mismatch(p, "a source struct");
    }
    SourceFields fields = new SourceFields();
    int member = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else if (t != JsonToken.VALUE_NULL) {
        fields.add(name, recent.text(p, member));
      }
      member++;
    }
    return fields.build(recent);
  }

  /**
   * The last text seen at each member position of a source block, and the last block's attribute names. Shared
   * by threads without locking: a slot holds an immutable value and is only trusted after comparing it, so a
   * lost or stale write costs an allocation, never a wrong value.
   */
  static final class RecentValues {
    private static final int SLOTS = 32;
    private final String[] slots = new String[SLOTS];
    /** The attribute names of the last block; immutable, so a racy read sees a complete one or null. */
    private SourceAttributes.Names names;

    /** The attributes named by the first {@code count} of {@code keys}, the last block's names when equal. */
    SourceAttributes attributes(String[] keys, String[] values, int count) {
      SourceAttributes.Names last = names;
      if (last == null || !last.equalTo(keys, count)) {
        last = SourceAttributes.Names.of(keys, count);
        names = last;
      }
      return last.with(values, count);
    }

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
   * Builds the source info from the {@code source} fields given as text. {@code file}/{@code pos}/{@code row}
   * (MySQL, MariaDB) give the position (binlog file index, pos, row); {@code lsn} (PostgreSQL) gives (lsn[, last
   * element of {@code sequence}]); other sources have no position.
   */
  public static SourceInfo toSourceInfo(Map<String, String> f) {
    SourceFields fields = new SourceFields();
    f.forEach(fields::add);
    return fields.build(FROM_MAPS);
  }

  /**
   * The attribute names last built from a map, shared by every decoder that has the source block as a map
   * (schemaless and unwrapped records, DDL events): its names repeat from record to record as read ones do.
   */
  private static final RecentValues FROM_MAPS = new RecentValues();

  /**
   * A source block's fields, added one by one as they are read: connector, database, schema, table and
   * {@code ts_ms} become the source info's own fields, everything else its attributes. It runs once per change
   * event, so it keeps no intermediate map.
   */
  private static final class SourceFields {
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int count;
    private String connector;
    private String database;
    private String schema;
    private String table;
    private String tsMs;
    private String snapshot;
    private String file;
    private String pos;
    private String row;
    private String lsn;
    private String sequence;

    void add(String name, String value) {
      switch (name) {
        case "connector" -> connector = value;
        case "db" -> database = value;
        case "schema" -> schema = value;
        case "table" -> table = value;
        case "ts_ms" -> tsMs = value;
        default -> {
          switch (name) {
            case "snapshot" -> snapshot = value;
            case "file" -> file = value;
            case "pos" -> pos = value;
            case "row" -> row = value;
            case "lsn" -> lsn = value;
            case "sequence" -> sequence = value;
            default -> { }
          }
          if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            values = Arrays.copyOf(values, count * 2);
          }
          names[count] = name;
          values[count] = value;
          count++;
        }
      }
    }

    SourceInfo build(RecentValues recent) {
      long ts = parseLong(tsMs, "source.ts_ms");
      boolean inSnapshot = snapshot != null && !snapshot.equals("false");
      return new SourceInfo(connector, database, schema, table, ts, inSnapshot, position(),
          recent.attributes(names, values, count));
    }

    private SourcePosition position() {
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
        long rowInEvent = parseLong(row, "source.row");
        return SourcePosition.of(file + ":" + position + ":" + rowInEvent, index, position, rowInEvent);
      }
      if (lsn != null) {
        long l = parseLong(lsn, "source.lsn");
        Long last = lastOfSequence(sequence);
        return last == null
            ? SourcePosition.of("lsn " + l, l)
            : SourcePosition.of("lsn " + l + " (sequence " + sequence + ")", l, last);
      }
      return null;
    }
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
