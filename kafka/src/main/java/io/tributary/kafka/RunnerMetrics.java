package io.tributary.kafka;

import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import java.util.Map;

/**
 * A point-in-time view of an {@link IngestRunner}: throughput, per-partition position and lag, per-table
 * counters and the time of the last commits. Immutable; take a new one with {@link IngestRunner#metrics()}.
 *
 * @param state what the runner is doing
 * @param takenAtMillis wall-clock time of this view
 * @param events change events accepted since start (over all tables)
 * @param eventsPerSecond accepted events per second over the last ten seconds or so
 * @param deadLetters records sent to the dead-letter destination since start
 * @param positions per assigned partition, the next offset the consumer reads
 * @param lag per assigned partition, records between the position and the end of the partition (absent
 *     until the consumer has fetched from it)
 * @param committedOffsets per assigned partition, the consumer-group offset this runner last committed:
 *     every record below it is in its table or dead-lettered
 * @param tables per table, its counters
 * @param lastTableCommitMillis wall-clock time of the last table commit, or 0
 * @param lastOffsetCommitMillis wall-clock time of the last consumer-group offset commit, or 0
 * @param bufferedBytes bytes held over all tables at the end of the last poll, the batch being committed included
 * @param backPressurePauses how often consumption paused because the buffers exceeded
 *     {@code tributary.buffer.max-bytes} (each pause commits the buffered tables early)
 */
public record RunnerMetrics(
    State state,
    long takenAtMillis,
    long events,
    double eventsPerSecond,
    long deadLetters,
    Map<StreamPartition, Long> positions,
    Map<StreamPartition, Long> lag,
    Map<StreamPartition, Long> committedOffsets,
    Map<TableId, TableStats> tables,
    long lastTableCommitMillis,
    long lastOffsetCommitMillis,
    long bufferedBytes,
    long backPressurePauses) {

  /** The lifecycle of a runner. */
  public enum State {
    CREATED,
    RUNNING,
    /** Waiting after a transient failure before reading again. */
    RETRYING,
    CLOSING,
    CLOSED,
    FAILED
  }

  /** The counters of one table since the runner started. */
  public record TableStats(
      long events, long skipped, long rows, long deletes, long commits, long schemaChanges, long deadLetters,
      long lastCommitMillis) {}

  public RunnerMetrics {
    positions = Map.copyOf(positions);
    lag = Map.copyOf(lag);
    committedOffsets = Map.copyOf(committedOffsets);
    tables = Map.copyOf(tables);
  }

  /** Sum of the lag of all partitions that report one. */
  public long totalLag() {
    return lag.values().stream().mapToLong(Long::longValue).sum();
  }
}
