package io.tributary.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The corpus's ground truth ({@code final-state/<table>.jsonl} with {@code _columns.json}) and a type-aware
 * comparison of rows read back from a table with it: decimals numerically, timestamps as instants, JSON
 * structurally, doubles numerically, TIME from micros-of-day or text. Rows are matched by primary key
 * (customers: id; order_lines: order_id, line_no) or, for the key-less table, as a multiset.
 */
public final class FinalState {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final Map<String, List<String>> KEYS = Map.of(
      "customers", List.of("id"), "order_lines", List.of("order_id", "line_no"), "events_nopk", List.of());

  private final String table;
  private final Map<String, String> dbTypes;
  private final List<Map<String, String>> rows;

  private FinalState(String table, Map<String, String> dbTypes, List<Map<String, String>> rows) {
    this.table = table;
    this.dbTypes = dbTypes;
    this.rows = rows;
  }

  /** Loads the ground truth of one table of {@code corpus/mariadb} (customers, order_lines, events_nopk). */
  public static FinalState load(Path sourceDir, String table) {
    try {
      JsonNode columns = JSON.readTree(sourceDir.resolve("final-state/_columns.json").toFile()).get(table);
      Map<String, String> types = new LinkedHashMap<>();
      for (JsonNode c : columns) {
        types.put(c.get("name").asText(), c.get("db_type").asText());
      }
      List<Map<String, String>> rows = new ArrayList<>();
      try (BufferedReader in = Files.newBufferedReader(sourceDir.resolve("final-state/" + table + ".jsonl"))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          Map<String, String> row = new LinkedHashMap<>();
          JsonNode node = JSON.readTree(line);
          node.fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
          rows.add(row);
        }
      }
      return new FinalState(table, types, rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> columns() {
    return List.copyOf(dbTypes.keySet());
  }

  public int rowCount() {
    return rows.size();
  }

  /**
   * Every difference between {@code actual} (canonical core values, or the values a sink reads back) and the
   * ground truth, one line each; empty when they match. Extra columns in {@code actual} (kept dropped
   * columns) are ignored.
   */
  public List<String> differences(List<Row> actual) {
    List<Map<String, String>> rendered = new ArrayList<>(actual.size());
    for (Row r : actual) {
      rendered.add(render(r));
    }
    return differencesInText(rendered);
  }

  /**
   * Like {@link #differences(List)} for rows already rendered as text per column, e.g. parsed from
   * {@code tributary show --format jsonl}: local timestamps without {@code Z}, TIME as text or micros of the
   * day, booleans as true/false or 0/1 are all understood.
   */
  public List<String> differencesInText(List<Map<String, String>> actual) {
    List<String> diffs = new ArrayList<>();
    if (actual.size() != rows.size()) {
      diffs.add(table + ": expected " + rows.size() + " rows but found " + actual.size());
    }
    List<String> key = KEYS.getOrDefault(table, List.of());
    if (key.isEmpty()) {
      Map<String, Integer> expected = new TreeMap<>();
      for (Map<String, String> r : rows) {
        expected.merge(canonical(r), 1, Integer::sum);
      }
      Map<String, Integer> found = new TreeMap<>();
      for (Map<String, String> r : actual) {
        found.merge(canonical(r), 1, Integer::sum);
      }
      if (!expected.equals(found)) {
        diffs.add(table + ": rows differ; expected " + expected + " but found " + found);
      }
      return diffs;
    }
    Map<String, Map<String, String>> byKey = new HashMap<>();
    for (Map<String, String> r : actual) {
      byKey.put(keyText(key, r), r);
    }
    for (Map<String, String> expected : rows) {
      String k = keyText(key, expected);
      Map<String, String> found = byKey.get(k);
      if (found == null) {
        diffs.add(table + " " + k + ": missing");
        continue;
      }
      for (Map.Entry<String, String> col : expected.entrySet()) {
        if (!found.containsKey(col.getKey())) {
          diffs.add(table + " " + k + ": no column " + col.getKey());
        } else if (!same(dbTypes.get(col.getKey()), col.getValue(), found.get(col.getKey()))) {
          diffs.add(table + " " + k + "." + col.getKey() + ": expected " + abbreviate(col.getValue())
              + " but found " + abbreviate(found.get(col.getKey())));
        }
      }
    }
    return diffs;
  }

  private String canonical(Map<String, String> row) {
    StringBuilder sb = new StringBuilder();
    for (String c : dbTypes.keySet()) {
      sb.append(c).append('=').append(normalise(dbTypes.get(c), row.get(c))).append(';');
    }
    return sb.toString();
  }

  private static String keyText(List<String> key, Map<String, String> row) {
    StringBuilder sb = new StringBuilder();
    for (String k : key) {
      sb.append(k).append('=').append(row.get(k)).append(' ');
    }
    return sb.toString().trim();
  }

  private Map<String, String> render(Row row) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < row.size(); i++) {
      String name = row.schema().field(i).name();
      out.put(name, render(dbTypes.get(name), row.get(i)));
    }
    return out;
  }

  /** Renders a read-back value the way the ground truth writes that DB type. */
  static String render(String dbType, Object v) {
    if (v == null) {
      return null;
    }
    String type = dbType == null ? "" : dbType;
    switch (type) {
      case "DATETIME":
      case "TIMESTAMP":
        if (v instanceof Long micros) {
          return DateTimeFormatter.ISO_INSTANT.format(Instant.EPOCH.plusNanos(Math.multiplyExact(micros, 1000L)));
        }
        if (v instanceof java.time.temporal.TemporalAccessor t) {
          return DateTimeFormatter.ISO_INSTANT.format(toInstant(t));
        }
        return v.toString();
      case "DATE":
        if (v instanceof Integer days) {
          return LocalDate.ofEpochDay(days).toString();
        }
        return v.toString();
      case "TIME":
        if (v instanceof Long micros) {
          return LocalTime.ofNanoOfDay(micros * 1000L).format(DateTimeFormatter.ISO_LOCAL_TIME);
        }
        return v.toString();
      case "BOOLEAN":
        if (v instanceof Boolean b) {
          return b ? "1" : "0";
        }
        return v.toString();
      case "BLOB":
        if (v instanceof ByteBuffer b) {
          ByteBuffer copy = b.duplicate();
          byte[] bytes = new byte[copy.remaining()];
          copy.get(bytes);
          return Base64.getEncoder().encodeToString(bytes);
        }
        if (v instanceof byte[] bytes) {
          return Base64.getEncoder().encodeToString(bytes);
        }
        return v.toString();
      case "DECIMAL":
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
      default:
        return v.toString();
    }
  }

  private static Instant toInstant(java.time.temporal.TemporalAccessor t) {
    if (t instanceof java.time.OffsetDateTime o) {
      return o.toInstant();
    }
    if (t instanceof java.time.LocalDateTime l) {
      return l.toInstant(java.time.ZoneOffset.UTC);
    }
    return Instant.from(t);
  }

  private static boolean same(String dbType, String expected, String actual) {
    return Objects.equals(normalise(dbType, expected), normalise(dbType, actual));
  }

  /** A form in which equal values of a DB type are equal strings. */
  private static String normalise(String dbType, String value) {
    if (value == null) {
      return null;
    }
    try {
      switch (dbType == null ? "" : dbType) {
        case "DECIMAL":
          return new BigDecimal(value).stripTrailingZeros().toPlainString();
        case "DOUBLE":
        case "FLOAT":
          return Double.toString(Double.parseDouble(value));
        case "DATETIME":
        case "TIMESTAMP":
          return value.endsWith("Z") || value.contains("+")
              ? Instant.parse(value).toString()
              : java.time.LocalDateTime.parse(value).toInstant(java.time.ZoneOffset.UTC).toString();
        case "TIME":
          return value.matches("-?\\d+")
              ? LocalTime.ofNanoOfDay(Long.parseLong(value) * 1000L).toString()
              : LocalTime.parse(value).toString();
        case "BOOLEAN":
          return value.equals("true") ? "1" : value.equals("false") ? "0" : value;
        case "JSON":
          return JSON.writeValueAsString(JSON.readValue(value, Object.class));
        default:
          return value;
      }
    } catch (RuntimeException | IOException e) {
      return value;
    }
  }

  private static String abbreviate(String s) {
    return s == null || s.length() <= 120 ? s : s.substring(0, 117) + "...(" + s.length() + " chars)";
  }
}
