package io.tributary.core.sink;

/**
 * Writes one batch of changes for one table into files that become visible only when the
 * {@link WriteResult} is committed through {@link TableSink#commit}. Not thread-safe; one per batch.
 */
public interface TableWriter extends AutoCloseable {

  /**
   * Writes one change. A change that cannot be converted to the table's types throws
   * {@link io.tributary.core.RecordException} before anything of it is written, so that the writer stays
   * usable and the caller can dead-letter that record.
   */
  void write(RowChange change);

  /** Finishes the files and returns them; the writer cannot be used afterwards. */
  WriteResult complete();

  /** Abandons the batch and deletes the files written so far. */
  void abort();

  @Override
  default void close() {
    abort();
  }
}
