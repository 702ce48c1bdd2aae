package io.tributary.core.sink;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import java.util.Objects;

/**
 * One row-level change handed to a {@link TableWriter}, after per-key collapsing.
 *
 * <ul>
 *   <li>{@code UPSERT}: {@code row} replaces whatever row has the same key (tables without a key: appended).
 *       Its schema may be older or narrower than the table's: writers project it by column name, fill
 *       missing columns with their write default or null, and keep the current value of columns that hold
 *       {@link io.tributary.core.Unavailable#VALUE}.
 *   <li>{@code DELETE}: removes the row with this key; for tables without a key {@code row} is the full
 *       before image and every row equal to it is removed.
 * </ul>
 *
 * @param key the key values in the table's key column order, or null for a table without a key
 * @param row the row to write (upsert) or the before image (delete, may be null when only the key is known)
 * @param origin where the change was read, for error messages and dead letters
 */
public record RowChange(Kind kind, Row key, Row row, Origin origin) {
  /** Upsert or delete. */
  public enum Kind {
    UPSERT,
    DELETE
  }

  public RowChange {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.UPSERT) {
      Objects.requireNonNull(row, "an upsert needs a row");
    } else if (key == null && row == null) {
      throw new IllegalArgumentException("a delete needs a key or a before image");
    }
  }

  public static RowChange upsert(Row key, Row row, Origin origin) {
    return new RowChange(Kind.UPSERT, key, row, origin);
  }

  public static RowChange delete(Row key, Row before, Origin origin) {
    return new RowChange(Kind.DELETE, key, before, origin);
  }

  public boolean isDelete() {
    return kind == Kind.DELETE;
  }
}
