package io.tributary.kafka.decode.internal;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Parsing of the ISO strings Debezium uses for zoned timestamps and times. */
public final class Temporals {
  private Temporals() {}

  /**
   * Microseconds since the epoch of a {@code io.debezium.time.ZonedTimestamp} such as
   * {@code 2024-06-03T14:00:06.17285Z}; a fraction of 1 to 9 digits is read as a decimal fraction and
   * digits beyond microseconds are truncated (floor).
   */
  public static long zonedTimestampMicros(String text) {
    long nanos = zonedTimestampNanos(text);
    return Math.floorDiv(nanos, 1000L);
  }

  /** Nanoseconds since the epoch of an ISO offset date-time; fast path for {@code ...Z} in years 0000-9999. */
  public static long zonedTimestampNanos(String s) {
    int n = s.length();
    if (n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
        && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z') {
      try {
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        long fraction = 0;
        int end = n - 1;
        if (end > 19) {
          if (s.charAt(19) != '.' || end - 20 < 1 || end - 20 > 9) {
            return slow(s);
          }
          int digitsCount = end - 20;
          fraction = digits(s, 20, end);
          for (int i = digitsCount; i < 9; i++) {
            fraction *= 10;
          }
        }
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
          return slow(s);
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long seconds = epochDay * 86_400L + hour * 3600L + minute * 60L + second;
        return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), fraction);
      } catch (NumberFormatException | java.time.DateTimeException e) {
        return slow(s);
      }
    }
    return slow(s);
  }

  private static long slow(String s) {
    try {
      OffsetDateTime t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
      return Math.addExact(Math.multiplyExact(t.toEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new DecodeException("not an ISO-8601 timestamp with offset: '" + s + "'", e);
    }
  }

  /**
   * Microseconds since midnight UTC of a {@code io.debezium.time.ZonedTime} such as {@code 14:00:06.5Z};
   * a non-UTC offset is converted to UTC (the time of day may wrap around midnight).
   */
  public static long zonedTimeMicros(String s) {
    try {
      OffsetTime t = OffsetTime.parse(s, DateTimeFormatter.ISO_OFFSET_TIME);
      return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalTime().toNanoOfDay() / 1000L;
    } catch (DateTimeParseException e) {
      throw new DecodeException("not an ISO-8601 time with offset: '" + s + "'", e);
    }
  }

  /** Microseconds since midnight of {@code HH:mm[:ss[.f]]}, with or without an offset. */
  public static long timeMicros(String s) {
    if (s.endsWith("Z") || s.lastIndexOf('+') > 0 || s.lastIndexOf('-') > 0) {
      return zonedTimeMicros(s);
    }
    try {
      return LocalTime.parse(s).toNanoOfDay() / 1000L;
    } catch (DateTimeParseException e) {
      throw new DecodeException("not an ISO-8601 time: '" + s + "'", e);
    }
  }

  /** Days since the epoch of an ISO date. */
  public static int epochDay(String s) {
    try {
      return Math.toIntExact(LocalDate.parse(s).toEpochDay());
    } catch (DateTimeParseException e) {
      throw new DecodeException("not an ISO-8601 date: '" + s + "'", e);
    }
  }

  /** Nanoseconds since the epoch of an ISO date-time, with offset or read as UTC when it has none. */
  public static long anyTimestampNanos(String s) {
    if (s.endsWith("Z") || s.length() > 19 && (s.lastIndexOf('+') > 18 || s.lastIndexOf('-') > 18)) {
      return zonedTimestampNanos(s);
    }
    try {
      java.time.LocalDateTime t = java.time.LocalDateTime.parse(s.replace(' ', 'T'));
      return Math.addExact(
          Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000_000L), t.getNano());
    } catch (DateTimeParseException e) {
      throw new DecodeException("not an ISO-8601 date-time: '" + s + "'", e);
    }
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException();
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
