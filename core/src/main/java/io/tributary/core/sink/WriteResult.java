package io.tributary.core.sink;

import java.io.Serializable;

/**
 * The files one {@link TableWriter} produced, not yet visible in the table. It is serializable so that a
 * distributed engine can ship it from the writer tasks to the single committer.
 */
public interface WriteResult extends Serializable {
  /** Rows written (upserted or appended). */
  long rowCount();

  /** Deletes written. */
  long deleteCount();

  default boolean isEmpty() {
    return rowCount() == 0 && deleteCount() == 0;
  }
}
