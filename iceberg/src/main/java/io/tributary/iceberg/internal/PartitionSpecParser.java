package io.tributary.iceberg.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;

/** Parses partition specs written as {@code bucket(16, id), day(created_at), region}. */
public final class PartitionSpecParser {
  private static final Pattern TERM = Pattern.compile("^(\\w+)\\s*\\(\\s*(?:(\\d+)\\s*,\\s*)?([^()\\s,]+)\\s*\\)$");

  private PartitionSpecParser() {}

  public static PartitionSpec parse(Schema schema, String text) {
    if (text == null || text.isBlank()) {
      return PartitionSpec.unpartitioned();
    }
    PartitionSpec.Builder builder = PartitionSpec.builderFor(schema);
    for (String raw : splitTerms(text)) {
      String term = raw.trim();
      Matcher m = TERM.matcher(term);
      if (!m.matches()) {
        if (!term.matches("[^()\\s,]+")) {
          throw new IllegalArgumentException("cannot parse partition term '" + term + "' of '" + text + "'");
        }
        builder.identity(term);
        continue;
      }
      String fn = m.group(1).toLowerCase(Locale.ROOT);
      String arg = m.group(2);
      String column = m.group(3);
      switch (fn) {
        case "identity" -> builder.identity(column);
        case "bucket" -> builder.bucket(column, requireArg(arg, term));
        case "truncate" -> builder.truncate(column, requireArg(arg, term));
        case "year", "years" -> builder.year(column);
        case "month", "months" -> builder.month(column);
        case "day", "days" -> builder.day(column);
        case "hour", "hours" -> builder.hour(column);
        default -> throw new IllegalArgumentException(
            "unknown partition transform '" + fn + "' in '" + text + "'");
      }
    }
    return builder.build();
  }

  private static int requireArg(String arg, String term) {
    if (arg == null) {
      throw new IllegalArgumentException("partition term '" + term + "' needs a number, e.g. bucket(16, id)");
    }
    return Integer.parseInt(arg);
  }

  private static List<String> splitTerms(String text) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        terms.add(text.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(text.substring(start));
    return terms;
  }
}
