package io.tributary.flink;

import io.tributary.engines.PendingCommit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the writers prepared for one checkpoint, gathered for the single committer; its checkpoint id is
 * the idempotency token of its table commits, so a committable restored after a failure is not applied twice.
 */
public final class CheckpointCommit implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long checkpointId;
  private final ArrayList<PendingCommit> commits;

  private CheckpointCommit(long checkpointId, List<PendingCommit> commits) {
    this.checkpointId = checkpointId;
    this.commits = new ArrayList<>(commits);
  }

  public static CheckpointCommit of(long checkpointId, List<PendingCommit> commits) {
    return new CheckpointCommit(checkpointId, commits);
  }

  public long checkpointId() {
    return checkpointId;
  }

  public List<PendingCommit> commits() {
    return List.copyOf(commits);
  }

  /** The epoch token of this checkpoint's commits. */
  public String epoch() {
    return "flink-cp-" + checkpointId;
  }
}
