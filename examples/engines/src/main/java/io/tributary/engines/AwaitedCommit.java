package io.tributary.engines;

import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A table commit a writer task handed out and has not yet seen in the table: the table and the offsets the
 * commit records. An engine keeps these in its writer state, so that a restored writer does not write those
 * tables before the committer has committed the restored commits (Paimon; see {@link StagedWriter}).
 */
public final class AwaitedCommit implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String name;
  // "partition@topic" as in PendingCommit: StreamPartition is not Serializable
  private final HashMap<String, Long> nextOffsets = new HashMap<>();

  private AwaitedCommit(TableId table, Map<StreamPartition, Long> nextOffsets) {
    this.namespace = table.namespace();
    this.name = table.name();
    nextOffsets.forEach((p, o) -> this.nextOffsets.put(p.partition() + "@" + p.topic(), o));
  }

  public static AwaitedCommit of(TableId table, Map<StreamPartition, Long> nextOffsets) {
    return new AwaitedCommit(Objects.requireNonNull(table, "table"), Objects.requireNonNull(nextOffsets, "nextOffsets"));
  }

  public TableId table() {
    return TableId.of(namespace, name);
  }

  public Map<StreamPartition, Long> nextOffsets() {
    Map<StreamPartition, Long> out = new HashMap<>();
    nextOffsets.forEach((k, o) -> {
      int at = k.indexOf('@');
      out.put(StreamPartition.of(k.substring(at + 1), Integer.parseInt(k.substring(0, at))), o);
    });
    return out;
  }

  @Override
  public String toString() {
    return namespace + "." + name + " " + nextOffsets;
  }
}
