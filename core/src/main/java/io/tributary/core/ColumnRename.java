package io.tributary.core;

import java.util.Objects;

/** Evidence that a column was renamed at the source, e.g. from {@code ALTER TABLE t RENAME COLUMN a TO b}. */
public record ColumnRename(String from, String to) {
  public ColumnRename {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }

  public static ColumnRename of(String from, String to) {
    return new ColumnRename(from, to);
  }
}
