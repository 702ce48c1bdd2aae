package io.tributary.flink.internal;

import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.sink.StaleWriteException;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.StagedCommitter;
import io.tributary.engines.TributarySinks;
import io.tributary.flink.CheckpointCommit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.runtime.execution.SuppressRestartsException;

/**
 * The single committer: makes each checkpoint's table commits visible, oldest checkpoint first. A failed
 * commit fails the job; on restore Flink hands the committable again and the commits it already made are
 * skipped by their tokens. A stale write (Iceberg: the write read rows that a later commit changed) cannot be
 * committed by any retry, so it stops the job without restarts; see the README.
 */
public final class TributaryCommitter implements Committer<CheckpointCommit> {
  private final Settings settings;
  private final String sinkId;
  private TableSink sink;

  public TributaryCommitter(Settings settings) {
    this.settings = settings;
    this.sinkId = settings.get(PipelineConfig.SINK_ID);
  }

  @Override
  public void commit(Collection<CommitRequest<CheckpointCommit>> requests) throws IOException {
    List<CommitRequest<CheckpointCommit>> ordered = new ArrayList<>(requests);
    ordered.sort(Comparator.comparingLong(r -> r.getCommittable().checkpointId()));
    if (sink == null && !ordered.isEmpty()) {
      sink = TributarySinks.create(settings);
    }
    for (CommitRequest<CheckpointCommit> request : ordered) {
      CheckpointCommit c = request.getCommittable();
      try {
        StagedCommitter.commit(sink, sinkId, c.epoch(), c.commits());
      } catch (StaleWriteException e) {
        // the files hold values read from a table state that has changed since: committing them later, or
        // again after a restore from this checkpoint, fails the same way, so restarting cannot help
        throw new SuppressRestartsException(new IOException("checkpoint " + c.checkpointId() + ": "
            + e.getMessage() + ". The tables hold everything before this commit; start the job again without"
            + " its checkpoint, from the tables' committed offsets (TributaryFlink.committedOffsets), and the"
            + " writers write these changes again against the current table.", e));
      } catch (RuntimeException e) {
        throw new IOException("commit of checkpoint " + c.checkpointId() + " (" + c.commits().size()
            + " table commits) failed; the job restarts and commits it again: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void close() {
    if (sink != null) {
      sink.close();
    }
  }
}
