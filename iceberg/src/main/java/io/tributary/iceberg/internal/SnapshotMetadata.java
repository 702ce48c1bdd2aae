package io.tributary.iceberg.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.StreamPartition;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Reads and writes the snapshot summary properties that record, per sink id, the consumed offsets, the
 * watermarks and the idempotency token of each commit:
 *
 * <pre>
 *   tributary.&lt;sinkId&gt;.offsets    = {"topic-0": 124, "topic-1": 7}   (merged, next offset to consume)
 *   tributary.&lt;sinkId&gt;.watermarks = {"topic-0": 120}
 *   tributary.&lt;sinkId&gt;.token      = &lt;token&gt;
 * </pre>
 */
public final class SnapshotMetadata {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Long>> OFFSETS = new TypeReference<>() {};

  private SnapshotMetadata() {}

  public static String offsetsKey(String sinkId) {
    return "tributary." + sinkId + ".offsets";
  }

  public static String watermarksKey(String sinkId) {
    return "tributary." + sinkId + ".watermarks";
  }

  public static String tokenKey(String sinkId) {
    return "tributary." + sinkId + ".token";
  }

  /** Adds the request's state, merged with what the table already holds, to a snapshot update. */
  public static void record(SnapshotUpdate<?> update, Table table, CommitRequest request) {
    CommittedState previous = committedState(table, request.sinkId());
    update.set(offsetsKey(request.sinkId()), toJson(merge(previous.nextOffsets(), request.nextOffsets())));
    update.set(watermarksKey(request.sinkId()), toJson(merge(previous.watermarks(), request.watermarks())));
    if (request.token() != null) {
      update.set(tokenKey(request.sinkId()), request.token());
    }
  }

  /** Whether an ancestor of the current snapshot carries this token for this sink id. */
  public static boolean isCommitted(Table table, String sinkId, String token) {
    if (token == null || table.currentSnapshot() == null) {
      return false;
    }
    String key = tokenKey(sinkId);
    for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      if (token.equals(s.summary().get(key))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The state for a sink id merged over all ancestors of the current snapshot (highest offset per partition),
   * so that commits of concurrent instances and expired snapshots lose nothing.
   */
  public static CommittedState committedState(Table table, String sinkId) {
    if (table.currentSnapshot() == null) {
      return CommittedState.none();
    }
    String offsetsKey = offsetsKey(sinkId);
    String watermarksKey = watermarksKey(sinkId);
    String tokenKey = tokenKey(sinkId);
    Map<StreamPartition, Long> offsets = new HashMap<>();
    Map<StreamPartition, Long> watermarks = new HashMap<>();
    String lastToken = null;
    boolean found = false;
    for (Snapshot s : SnapshotUtil.ancestorsOf(table.currentSnapshot().snapshotId(), table::snapshot)) {
      Map<String, String> summary = s.summary();
      if (!summary.containsKey(offsetsKey) && !summary.containsKey(tokenKey)) {
        continue;
      }
      if (!found) {
        lastToken = summary.get(tokenKey);
        found = true;
      }
      offsets = merge(offsets, fromJson(summary.get(offsetsKey)));
      watermarks = merge(watermarks, fromJson(summary.get(watermarksKey)));
    }
    return found ? new CommittedState(offsets, watermarks, lastToken) : CommittedState.none();
  }

  static Map<StreamPartition, Long> merge(Map<StreamPartition, Long> a, Map<StreamPartition, Long> b) {
    Map<StreamPartition, Long> out = new HashMap<>(a);
    b.forEach((p, o) -> out.merge(p, o, Math::max));
    return out;
  }

  static String toJson(Map<StreamPartition, Long> offsets) {
    Map<String, Long> byName = new TreeMap<>();
    offsets.forEach((p, o) -> byName.put(p.toString(), o));
    try {
      return JSON.writeValueAsString(byName);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<StreamPartition, Long> fromJson(String text) {
    if (text == null || text.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, Long> byName = JSON.readValue(text, OFFSETS);
      Map<StreamPartition, Long> out = new HashMap<>();
      byName.forEach((p, o) -> out.put(StreamPartition.parse(p), o));
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable Tributary offsets in snapshot summary: " + text, e);
    }
  }
}
