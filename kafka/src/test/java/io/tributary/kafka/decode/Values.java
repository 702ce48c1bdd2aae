package io.tributary.kafka.decode;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/** Renders canonical values the way the corpus's final-state files do (test support). */
final class Values {
  private Values() {}

  static String render(DataType type, Object v) {
    if (v == null) {
      return null;
    }
    if (type instanceof Types.DecimalType) {
      return ((BigDecimal) v).toPlainString();
    }
    if (type instanceof Types.TimestampType ts) {
      long value = (Long) v;
      Instant instant = ts.precision() == Types.TimestampPrecision.NANOS
          ? Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L))
          : Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1000L);
      return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
    if (type instanceof Types.DateType) {
      return LocalDate.ofEpochDay((Integer) v).toString();
    }
    if (type instanceof Types.TimeType) {
      return LocalTime.ofNanoOfDay((Long) v * 1000L).format(DateTimeFormatter.ofPattern("HH:mm:ss"));
    }
    if (type instanceof Types.BinaryType) {
      ByteBuffer b = ((ByteBuffer) v).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      return Base64.getEncoder().encodeToString(bytes);
    }
    return v.toString();
  }

  /** Whether a decoded value matches a final-state cell, doubles compared numerically. */
  static boolean matches(DataType type, Object v, String expected) {
    if (v == null || expected == null) {
      return v == null && expected == null;
    }
    if (type instanceof Types.DoubleType || type instanceof Types.FloatType) {
      return ((Number) v).doubleValue() == Double.parseDouble(expected);
    }
    return render(type, v).equals(expected);
  }
}
