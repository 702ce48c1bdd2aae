package io.tributary.kafka.decode.internal;

import io.tributary.core.ColumnRename;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds column renames in MySQL/MariaDB DDL text: every {@code RENAME COLUMN a TO b} and every
 * {@code CHANGE [COLUMN] a b <type>} with {@code a != b}. Identifiers may be back-quoted. String literals
 * and comments are blanked first so that text inside them is never taken for a clause.
 */
public final class DdlRenames {
  private static final String IDENT = "(?:`((?:[^`]|``)+)`|([A-Za-z0-9_$\\u0080-\\uFFFF]+))";
  private static final Pattern RENAME = Pattern.compile(
      "\\bRENAME\\s+COLUMN\\s+" + IDENT + "\\s+TO\\s+" + IDENT, Pattern.CASE_INSENSITIVE);
  private static final Pattern CHANGE = Pattern.compile(
      "\\bCHANGE\\s+(?:COLUMN\\s+)?(?:IF\\s+EXISTS\\s+)?" + IDENT + "\\s+" + IDENT + "\\s+[A-Za-z]",
      Pattern.CASE_INSENSITIVE);

  private DdlRenames() {}

  public static List<ColumnRename> find(String ddl) {
    if (ddl == null || ddl.isEmpty()) {
      return List.of();
    }
    String text = blankLiterals(ddl);
    List<ColumnRename> out = new ArrayList<>();
    collect(RENAME.matcher(text), out);
    Matcher change = CHANGE.matcher(text);
    // CHANGE's first word may be the keyword COLUMN itself only when it is back-quoted; handled by IDENT
    collect(change, out);
    return out;
  }

  private static void collect(Matcher m, List<ColumnRename> out) {
    while (m.find()) {
      String from = ident(m.group(1), m.group(2));
      String to = ident(m.group(3), m.group(4));
      if (!from.equals(to)) {
        out.add(ColumnRename.of(from, to));
      }
    }
  }

  private static String ident(String quoted, String plain) {
    return quoted != null ? quoted.replace("``", "`") : plain;
  }

  /** Replaces the content of '...' and "..." literals and comments with spaces, keeping offsets. */
  static String blankLiterals(String s) {
    StringBuilder sb = new StringBuilder(s);
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < n) {
          char d = s.charAt(j);
          if (d == '\\') {
            j += 2;
            continue;
          }
          if (d == c) {
            if (j + 1 < n && s.charAt(j + 1) == c) {
              j += 2;
              continue;
            }
            break;
          }
          j++;
        }
        for (int k = i + 1; k < Math.min(j, n); k++) {
          sb.setCharAt(k, ' ');
        }
        i = j + 1;
      } else if (c == '`') {
        int j = s.indexOf('`', i + 1);
        while (j >= 0 && j + 1 < n && s.charAt(j + 1) == '`') {
          j = s.indexOf('`', j + 2);
        }
        i = j < 0 ? n : j + 1;
      } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-' || c == '#') {
        int j = s.indexOf('\n', i);
        j = j < 0 ? n : j;
        for (int k = i; k < j; k++) {
          sb.setCharAt(k, ' ');
        }
        i = j;
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int j = s.indexOf("*/", i + 2);
        j = j < 0 ? n : j + 2;
        for (int k = i; k < j; k++) {
          sb.setCharAt(k, ' ');
        }
        i = j;
      } else {
        i++;
      }
    }
    return sb.toString();
  }
}
