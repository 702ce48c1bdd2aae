package io.tributary.flink;

import io.tributary.engines.AwaitedCommit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpointed state of one writer subtask: the table commits it handed out and has not yet seen in the
 * tables. A restored writer waits for them before it writes those tables again (Paimon).
 */
public final class WriterState implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ArrayList<AwaitedCommit> awaited;

  private WriterState(List<AwaitedCommit> awaited) {
    this.awaited = new ArrayList<>(awaited);
  }

  public static WriterState of(List<AwaitedCommit> awaited) {
    return new WriterState(awaited);
  }

  public List<AwaitedCommit> awaited() {
    return List.copyOf(awaited);
  }
}
