package io.tributary.core.sink;

import io.tributary.core.StreamPartition;
import java.util.Map;

/**
 * What a table holds for one sink id: the merged {@link CommitRequest#nextOffsets()} and
 * {@link CommitRequest#watermarks()} of all its commits (highest per partition) and the last token.
 */
public record CommittedState(
    Map<StreamPartition, Long> nextOffsets, Map<StreamPartition, Long> watermarks, String lastToken) {

  private static final CommittedState NONE = new CommittedState(Map.of(), Map.of(), null);

  public CommittedState {
    nextOffsets = Map.copyOf(nextOffsets);
    watermarks = Map.copyOf(watermarks);
  }

  public static CommittedState none() {
    return NONE;
  }

  /** The next offset to consume for {@code partition}, or -1 when this table never committed from it. */
  public long nextOffset(StreamPartition partition) {
    return nextOffsets.getOrDefault(partition, -1L);
  }

  public boolean isEmpty() {
    return nextOffsets.isEmpty() && lastToken == null;
  }
}
