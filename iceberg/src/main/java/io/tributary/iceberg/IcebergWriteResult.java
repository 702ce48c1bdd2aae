package io.tributary.iceberg;

import io.tributary.core.sink.WriteResult;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.expressions.Expression;

/**
 * The data and delete files one Iceberg writer produced, with the snapshot its lookups read, ready to be
 * shipped to the committer ({@link IcebergTableSink#commit}).
 */
public final class IcebergWriteResult implements WriteResult {
  private static final long serialVersionUID = 1L;

  private final org.apache.iceberg.io.WriteResult files;
  private final long rowCount;
  private final long deleteCount;
  private final Long readSnapshotId;
  private final Expression conflictFilter;

  private IcebergWriteResult(
      org.apache.iceberg.io.WriteResult files, long rowCount, long deleteCount, Long readSnapshotId,
      Expression conflictFilter) {
    this.files = files;
    this.rowCount = rowCount;
    this.deleteCount = deleteCount;
    this.readSnapshotId = readSnapshotId;
    this.conflictFilter = conflictFilter;
  }

  /**
   * A result.
   *
   * @param readSnapshotId the snapshot the writer read current rows from, or null when it read none
   * @param conflictFilter the rows whose current values the writer read (TOAST values, partitions of
   *     deleted rows): a concurrent commit touching them invalidates this result; null when nothing was read
   */
  public static IcebergWriteResult of(
      org.apache.iceberg.io.WriteResult files, long rowCount, long deleteCount, Long readSnapshotId,
      Expression conflictFilter) {
    return new IcebergWriteResult(files, rowCount, deleteCount, readSnapshotId, conflictFilter);
  }

  public List<DataFile> dataFiles() {
    return Arrays.asList(files.dataFiles());
  }

  public List<DeleteFile> deleteFiles() {
    return Arrays.asList(files.deleteFiles());
  }

  public List<CharSequence> referencedDataFiles() {
    return Arrays.asList(files.referencedDataFiles());
  }

  /** The snapshot whose rows the writer read, or null. */
  public Long readSnapshotId() {
    return readSnapshotId;
  }

  /** The rows the writer's output depends on, or null. */
  public Expression conflictFilter() {
    return conflictFilter;
  }

  @Override
  public long rowCount() {
    return rowCount;
  }

  @Override
  public long deleteCount() {
    return deleteCount;
  }

  @Override
  public String toString() {
    return "IcebergWriteResult{rows=" + rowCount + ", deletes=" + deleteCount + ", dataFiles="
        + files.dataFiles().length + ", deleteFiles=" + files.deleteFiles().length + "}";
  }
}
