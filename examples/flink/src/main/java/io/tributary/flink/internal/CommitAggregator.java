package io.tributary.flink.internal;

import io.tributary.engines.PendingCommit;
import io.tributary.flink.CheckpointCommit;
import io.tributary.flink.WriterCommits;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableSummary;
import org.apache.flink.streaming.api.connector.sink2.CommittableWithLineage;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Gathers every writer's commits of a checkpoint into one {@link CheckpointCommit} for the single committer
 * (this operator runs with parallelism 1). It emits before the checkpoint barrier passes, so the committable is
 * in the committer's checkpointed state; it keeps no state of its own.
 */
public final class CommitAggregator extends AbstractStreamOperator<CommittableMessage<CheckpointCommit>>
    implements OneInputStreamOperator<CommittableMessage<WriterCommits>, CommittableMessage<CheckpointCommit>> {
  private static final long serialVersionUID = 1L;

  private final List<PendingCommit> gathered = new ArrayList<>();

  @Override
  public void processElement(StreamRecord<CommittableMessage<WriterCommits>> element) {
    if (element.getValue() instanceof CommittableWithLineage<WriterCommits> lineage) {
      gathered.addAll(lineage.getCommittable().commits());
    }
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) {
    emit(checkpointId);
  }

  @Override
  public void finish() {
    emit(Long.MAX_VALUE); // end of input: Flink's id for the final commit
  }

  private void emit(long checkpointId) {
    if (gathered.isEmpty()) {
      return;
    }
    CheckpointCommit commit = CheckpointCommit.of(checkpointId, gathered);
    output.collect(new StreamRecord<>(new CommittableSummary<>(0, 1, checkpointId, 1, 0)));
    output.collect(new StreamRecord<>(new CommittableWithLineage<>(commit, checkpointId, 0)));
    gathered.clear();
  }
}
