package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Compares a table of the in-memory sink with a corpus {@code final-state/<table>.jsonl}, type-aware. */
final class FinalState {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FinalState() {}

  static List<Map<String, String>> read(Path mariadb, String table) {
    try {
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : Files.readAllLines(mariadb.resolve("final-state").resolve(table + ".jsonl"))) {
        if (line.isBlank()) {
          continue;
        }
        Map<String, String> row = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = MAPPER.readTree(line).fields();
        while (it.hasNext()) {
          var e = it.next();
          row.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        rows.add(row);
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts that the sink's table holds exactly the expected rows (columns of the expected file only). */
  static void assertMatches(InMemoryTableSink sink, TableId table, List<Map<String, String>> expected) {
    StructType schema = sink.schema(table);
    List<Row> actual = new ArrayList<>(sink.rows(table));
    assertThat(actual).as("row count of %s", table).hasSize(expected.size());
    for (String column : expected.get(0).keySet()) {
      assertThat(schema.indexOf(column)).as("column %s of %s", column, table).isGreaterThanOrEqualTo(0);
    }
    List<String> unmatched = new ArrayList<>();
    for (Map<String, String> want : expected) {
      Row found = null;
      for (Row row : actual) {
        if (matches(schema, row, want)) {
          found = row;
          break;
        }
      }
      if (found == null) {
        unmatched.add(want.toString());
      } else {
        actual.remove(found);
      }
    }
    assertThat(unmatched).as("expected rows of %s without an equal row in the table (left over: %s)", table,
        actual.size() > 5 ? actual.subList(0, 5) : actual).isEmpty();
  }

  private static boolean matches(StructType schema, Row row, Map<String, String> want) {
    for (Map.Entry<String, String> e : want.entrySet()) {
      Field f = schema.field(e.getKey());
      if (!matches(f.type(), row.get(e.getKey()), e.getValue())) {
        return false;
      }
    }
    return true;
  }

  static boolean matches(DataType type, Object v, String expected) {
    if (v == null || expected == null) {
      return v == null && expected == null;
    }
    if (type instanceof Types.IntegerType || type instanceof Types.LongType) {
      return ((Number) v).longValue() == Long.parseLong(expected);
    }
    if (type instanceof Types.BooleanType) {
      return (Boolean) v == (expected.equals("1") || expected.equalsIgnoreCase("true"));
    }
    if (type instanceof Types.DecimalType) {
      return ((BigDecimal) v).compareTo(new BigDecimal(expected)) == 0;
    }
    if (type instanceof Types.DoubleType || type instanceof Types.FloatType) {
      return ((Number) v).doubleValue() == Double.parseDouble(expected);
    }
    if (type instanceof Types.TimestampType ts) {
      Instant instant = Instant.parse(expected);
      long want = ts.precision() == Types.TimestampPrecision.NANOS
          ? instant.getEpochSecond() * 1_000_000_000L + instant.getNano()
          : instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
      return (Long) v == want;
    }
    if (type instanceof Types.DateType) {
      return ((Integer) v).longValue() == LocalDate.parse(expected).toEpochDay();
    }
    if (type instanceof Types.TimeType) {
      return (Long) v == LocalTime.parse(expected).toNanoOfDay() / 1000;
    }
    if (type instanceof Types.BinaryType) {
      ByteBuffer b = ((ByteBuffer) v).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return java.util.Arrays.equals(bytes, Base64.getDecoder().decode(expected));
    }
    return v.toString().equals(expected);
  }
}
