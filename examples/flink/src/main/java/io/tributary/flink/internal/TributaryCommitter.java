package io.tributary.flink.internal;

import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
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

/**
 * The single committer: makes each checkpoint's table commits visible, oldest checkpoint first. A failed
 * commit fails the job; on restore Flink hands the committable again and the commits it already made are
 * skipped by their tokens.
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
