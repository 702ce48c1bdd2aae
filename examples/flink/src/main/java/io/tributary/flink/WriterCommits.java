package io.tributary.flink;

import io.tributary.engines.PendingCommit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The table commits one writer subtask prepared for one checkpoint, in the order it prepared them. */
public final class WriterCommits implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArrayList<PendingCommit> commits;

  private WriterCommits(List<PendingCommit> commits) {
    this.commits = new ArrayList<>(commits);
  }

  public static WriterCommits of(List<PendingCommit> commits) {
    return new WriterCommits(commits);
  }

  public List<PendingCommit> commits() {
    return List.copyOf(commits);
  }
}
