package io.tributary.benchmarks.kafka;

import io.tributary.core.StreamPartition;
import io.tributary.core.pipeline.CommitStats;
import io.tributary.core.pipeline.PipelineListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Keeps every data commit of a pipeline with the wall-clock time it became visible, so that a benchmark can
 * wait until given offsets are in the table and tell, for each record, which commit made it visible.
 */
final class CommitTracker implements PipelineListener {
  /** One table commit: when it was done, how long it took, and the next offset of each partition it covered. */
  record Commit(long visibleAtMillis, long durationMillis, long rows, Map<StreamPartition, Long> nextOffsets) {}

  private final List<Commit> commits = new ArrayList<>();
  private final Map<StreamPartition, Long> committed = new HashMap<>();

  @Override
  public synchronized void onCommitted(CommitStats stats) {
    if (stats.kind() != CommitStats.Kind.DATA) {
      return;
    }
    commits.add(new Commit(System.currentTimeMillis(), stats.durationMillis(), stats.rows(), stats.nextOffsets()));
    stats.nextOffsets().forEach((p, o) -> committed.merge(p, o, Math::max));
    notifyAll();
  }

  /**
   * Waits until every partition's committed offset reached its target.
   *
   * @param failure the error that stopped the pipeline, if any: waiting ends with it
   * @return when the commit that reached the last target became visible
   */
  synchronized long awaitCommitted(Map<StreamPartition, Long> targets, Duration timeout,
      Supplier<Throwable> failure) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(targets)) {
      Throwable t = failure.get();
      if (t != null) {
        throw new IllegalStateException("The ingest runner failed: " + t, t);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException("Not every record was committed within " + timeout + ": committed "
            + committed + ", expected " + targets);
      }
      wait(Math.max(1, Math.min(500, left / 1_000_000)));
    }
    // more commits may have come before this thread woke up: find the first that reached the targets
    Map<StreamPartition, Long> upTo = new HashMap<>();
    for (Commit c : commits) {
      c.nextOffsets().forEach((p, o) -> upTo.merge(p, o, Math::max));
      if (reached(upTo, targets)) {
        return c.visibleAtMillis();
      }
    }
    throw new IllegalStateException("unreachable: the targets were reached");
  }

  private boolean reached(Map<StreamPartition, Long> targets) {
    return reached(committed, targets);
  }

  private static boolean reached(Map<StreamPartition, Long> offsets, Map<StreamPartition, Long> targets) {
    for (Map.Entry<StreamPartition, Long> t : targets.entrySet()) {
      if (offsets.getOrDefault(t.getKey(), 0L) < t.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The commits so far, oldest first. */
  synchronized List<Commit> commits() {
    return List.copyOf(commits);
  }
}
