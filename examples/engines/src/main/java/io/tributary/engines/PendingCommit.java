package io.tributary.engines;

import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.sink.WriteResult;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One table commit that a writer task prepared but did not make: the written files, the offsets they cover
 * and the pipeline's idempotency token, shipped (Java-serialized) to the single committer of a Flink job or a
 * Spark driver, which makes them visible with {@link StagedCommitter}.
 */
public final class PendingCommit implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What the commit does to the table. */
  public enum Kind {
    /** Adds the result's data and delete files. */
    DATA,
    /** Deletes every row (a source TRUNCATE); carries no files. */
    TRUNCATE
  }

  private final String namespace;
  private final String name;
  private final Kind kind;
  private final WriteResult result;
  private final String token;
  private final HashMap<String, Long> nextOffsets;
  private final HashMap<String, Long> watermarks;

  private PendingCommit(TableId table, Kind kind, WriteResult result, String token,
      Map<StreamPartition, Long> nextOffsets, Map<StreamPartition, Long> watermarks) {
    this.namespace = table.namespace();
    this.name = table.name();
    this.kind = Objects.requireNonNull(kind, "kind");
    this.result = result;
    this.token = Objects.requireNonNull(token, "token");
    this.nextOffsets = encode(nextOffsets);
    this.watermarks = encode(watermarks);
  }

  /** A data commit of {@code result}. */
  public static PendingCommit data(TableId table, WriteResult result, String token,
      Map<StreamPartition, Long> nextOffsets, Map<StreamPartition, Long> watermarks) {
    return new PendingCommit(table, Kind.DATA, Objects.requireNonNull(result, "result"), token, nextOffsets,
        watermarks);
  }

  /** A truncate of the whole table. */
  public static PendingCommit truncate(TableId table, String token, Map<StreamPartition, Long> nextOffsets,
      Map<StreamPartition, Long> watermarks) {
    return new PendingCommit(table, Kind.TRUNCATE, null, token, nextOffsets, watermarks);
  }

  public TableId table() {
    return TableId.of(namespace, name);
  }

  public Kind kind() {
    return kind;
  }

  /** The files to add; null for a truncate. */
  public WriteResult result() {
    return result;
  }

  /** The token the writer's pipeline derived from the table and the offsets. */
  public String token() {
    return token;
  }

  public Map<StreamPartition, Long> nextOffsets() {
    return decode(nextOffsets);
  }

  public Map<StreamPartition, Long> watermarks() {
    return decode(watermarks);
  }

  // StreamPartition is a record without Serializable: keep "partition@topic" text, which a topic cannot break
  private static HashMap<String, Long> encode(Map<StreamPartition, Long> offsets) {
    HashMap<String, Long> out = new HashMap<>();
    if (offsets != null) {
      offsets.forEach((p, o) -> out.put(p.partition() + "@" + p.topic(), o));
    }
    return out;
  }

  private static Map<StreamPartition, Long> decode(Map<String, Long> offsets) {
    Map<StreamPartition, Long> out = new HashMap<>();
    offsets.forEach((k, o) -> {
      int at = k.indexOf('@');
      out.put(StreamPartition.of(k.substring(at + 1), Integer.parseInt(k.substring(0, at))), o);
    });
    return out;
  }

  @Override
  public String toString() {
    return kind + " " + namespace + "." + name + " " + nextOffsets + (result == null ? "" : " " + result);
  }
}
