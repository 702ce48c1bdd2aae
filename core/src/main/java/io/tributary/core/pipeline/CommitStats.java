package io.tributary.core.pipeline;

import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import java.util.Map;

/** What one table commit did, for listeners and logs. */
public record CommitStats(
    TableId table,
    Kind kind,
    long rows,
    long deletes,
    Map<StreamPartition, Long> nextOffsets,
    long durationMillis,
    long maxSourceTimestampMillis) {

  /** A data commit (upserts and deletes) or a truncate. */
  public enum Kind {
    DATA,
    TRUNCATE
  }

  public CommitStats {
    nextOffsets = Map.copyOf(nextOffsets);
  }
}
