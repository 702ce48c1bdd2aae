package io.tributary.paimon.internal;

import io.tributary.core.StreamPartition;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Encodes a sink's committed state as Paimon snapshot properties: {@code tributary.<sinkId>.next-offsets},
 * {@code .watermarks} (both {@code topic-partition=offset,...}) and {@code .token}.
 */
public final class CommitProperties {
  private CommitProperties() {}

  static String key(String sinkId, String name) {
    return "tributary." + sinkId + "." + name;
  }

  public static boolean has(Map<String, String> properties, String sinkId) {
    return properties != null && properties.containsKey(key(sinkId, "next-offsets"));
  }

  public static CommittedState parse(Map<String, String> properties, String sinkId) {
    return new CommittedState(
        offsets(properties.get(key(sinkId, "next-offsets"))),
        offsets(properties.get(key(sinkId, "watermarks"))),
        properties.get(key(sinkId, "token")));
  }

  /** The properties of a commit: the previous state merged with the request (highest offset wins). */
  public static Map<String, String> merged(CommittedState previous, CommitRequest request) {
    Map<String, String> out = new HashMap<>();
    out.put(key(request.sinkId(), "next-offsets"), format(max(previous.nextOffsets(), request.nextOffsets())));
    out.put(key(request.sinkId(), "watermarks"), format(max(previous.watermarks(), request.watermarks())));
    if (request.token() != null) {
      out.put(key(request.sinkId(), "token"), request.token());
    }
    return out;
  }

  /** Whether every offset of the request is already covered, i.e. the request was committed before. */
  public static boolean covered(CommittedState state, CommitRequest request) {
    if (request.nextOffsets().isEmpty()) {
      return false;
    }
    for (Map.Entry<StreamPartition, Long> e : request.nextOffsets().entrySet()) {
      if (state.nextOffset(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Map<StreamPartition, Long> max(Map<StreamPartition, Long> a, Map<StreamPartition, Long> b) {
    Map<StreamPartition, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, v, Math::max));
    return out;
  }

  private static String format(Map<StreamPartition, Long> offsets) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<StreamPartition, Long> e : offsets.entrySet()) {
      if (sb.length() > 0) {
        sb.append(',');
      }
      sb.append(e.getKey()).append('=').append(e.getValue());
    }
    return sb.toString();
  }

  private static Map<StreamPartition, Long> offsets(String text) {
    Map<StreamPartition, Long> out = new HashMap<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    for (String part : text.split(",")) {
      int eq = part.lastIndexOf('=');
      out.put(StreamPartition.parse(part.substring(0, eq)), Long.parseLong(part.substring(eq + 1)));
    }
    return out;
  }
}
