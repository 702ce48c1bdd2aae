package io.tributary.engines;

import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.TableSink;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committing half: makes the {@link PendingCommit}s of one engine epoch (a Flink checkpoint, a Spark
 * micro-batch) visible, one table commit each, in the order given. Each commit's token is the epoch plus the
 * writer's offset-derived token, and a sink skips a token it already holds, so committing the same epoch again
 * (a Flink committable restored after a failure, a Spark batch run again) changes nothing.
 */
public final class StagedCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(StagedCommitter.class);

  private StagedCommitter() {}

  /**
   * Commits {@code commits} to {@code sink} under {@code sinkId}.
   *
   * @param epoch the engine's idempotency token for the batch, e.g. {@code flink-cp-42} or {@code spark-b7}
   */
  public static void commit(TableSink sink, String sinkId, String epoch, List<PendingCommit> commits) {
    for (PendingCommit c : commits) {
      CommitRequest request = new CommitRequest(sinkId, epoch + ":" + c.token(), c.nextOffsets(), c.watermarks());
      if (c.kind() == PendingCommit.Kind.TRUNCATE) {
        sink.truncate(c.table(), request);
      } else {
        sink.commit(c.table(), c.result(), request);
      }
      LOG.info("{}: committed {} to {} (token {})", epoch, c.kind(), c.table(), request.token());
    }
  }
}
