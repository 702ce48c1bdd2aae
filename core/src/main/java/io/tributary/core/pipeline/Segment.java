package io.tributary.core.pipeline;

import io.tributary.core.ColumnRename;
import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.SourcePosition;
import io.tributary.core.StreamPartition;
import io.tributary.core.Unavailable;
import io.tributary.core.sink.RowChange;
import io.tributary.core.type.StructType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A run of a {@link TableBuffer} that is applied as one step: row changes of one row schema, a truncate, or
 * DDL renames. Segments are applied and committed in order, which keeps truncates and schema changes ordered
 * with the rows around them.
 */
abstract sealed class Segment permits Segment.Data, Segment.Truncate, Segment.Renames {
  /** Per partition, the first offset this segment holds and the offset after its last (unboxed: one per record). */
  private final Map<StreamPartition, long[]> offsets = new HashMap<>();
  private long maxSourceTimestamp;
  private SourcePosition firstPosition;

  /** Notes the source position of a record added to this segment; the first one is kept. */
  void notePosition(SourcePosition position) {
    if (firstPosition == null) {
      firstPosition = position;
    }
  }

  /** The source position of the first positioned record added, or null. */
  SourcePosition firstPosition() {
    return firstPosition;
  }

  void track(Origin origin, long sourceTimestampMillis) {
    if (origin != null) {
      long[] range = offsets.get(origin.streamPartition());
      if (range == null) {
        offsets.put(origin.streamPartition(), new long[] {origin.offset(), origin.offset() + 1});
      } else {
        range[1] = Math.max(range[1], origin.offset() + 1);
      }
    }
    maxSourceTimestamp = Math.max(maxSourceTimestamp, sourceTimestampMillis);
  }

  /** The first offset of {@code partition} in {@code segments} from index {@code from} on, or -1. */
  static long firstOffset(List<Segment> segments, int from, StreamPartition partition) {
    long min = -1;
    for (int i = from; i < segments.size(); i++) {
      long[] range = segments.get(i).offsets.get(partition);
      if (range != null && (min < 0 || range[0] < min)) {
        min = range[0];
      }
    }
    return min;
  }

  /** Calls {@code action} with each partition and the offset after the last record this segment holds of it. */
  void forEachNextOffset(BiConsumer<StreamPartition, Long> action) {
    offsets.forEach((p, range) -> action.accept(p, range[1]));
  }

  long maxSourceTimestamp() {
    return maxSourceTimestamp;
  }

  /** Row changes of one row schema, collapsed per key (last change wins) unless the table has no key. */
  static final class Data extends Segment {
    private final StructType schema;
    private final List<String> keyColumns;
    private final Map<Row, BufferedChange> byKey = new LinkedHashMap<>();
    private final List<BufferedChange> unkeyed = new ArrayList<>();
    private long bytes;
    private int records;

    Data(StructType schema, List<String> keyColumns) {
      this.schema = schema;
      this.keyColumns = keyColumns;
    }

    StructType schema() {
      return schema;
    }

    /** The key columns of the Debezium key of the segment's first keyed event; empty when unkeyed. */
    List<String> keyColumns() {
      return keyColumns;
    }

    boolean isKeyed() {
      return !keyColumns.isEmpty();
    }

    void add(BufferedChange change) {
      records++;
      track(change.change().origin(), change.sourceTimestampMillis());
      if (change.change().key() == null) {
        unkeyed.add(change);
        bytes += change.sizeInBytes();
        return;
      }
      Row key = change.change().key();
      BufferedChange previous = byKey.get(key);
      if (previous == null) {
        byKey.put(key, change);
        bytes += change.sizeInBytes();
        return;
      }
      if (arrivedOutOfOrder(previous, change)) {
        return;
      }
      byKey.put(key, fillUnavailable(previous, change));
      bytes += change.sizeInBytes() - previous.sizeInBytes();
    }

    /**
     * Changes of one key normally come from one partition in order. Across partitions (a key moved, two
     * topics feeding one table) the source position decides.
     */
    private static boolean arrivedOutOfOrder(BufferedChange previous, BufferedChange next) {
      Origin a = previous.change().origin();
      Origin b = next.change().origin();
      boolean samePartition = a != null && b != null && a.streamPartition().equals(b.streamPartition());
      return !samePartition
          && previous.position() != null
          && next.position() != null
          && next.position().compareTo(previous.position()) < 0;
    }

    /** An upsert that lacks TOAST values takes them from the upsert it replaces in the same batch. */
    private static BufferedChange fillUnavailable(BufferedChange previous, BufferedChange next) {
      RowChange n = next.change();
      RowChange p = previous.change();
      if (n.isDelete() || p.isDelete() || !n.row().hasUnavailableValues()) {
        return next;
      }
      Row row = n.row();
      for (int i = 0; i < row.size(); i++) {
        if (Unavailable.is(row.get(i))) {
          String name = row.schema().field(i).name();
          if (p.row().hasField(name)) {
            row = row.with(i, p.row().get(name));
          }
        }
      }
      return new BufferedChange(
          RowChange.upsert(n.key(), row, n.origin()), next.position(), next.raw(), next.sourceTimestampMillis());
    }

    /** The changes to write: the last one per key, then the unkeyed ones in arrival order. */
    Collection<BufferedChange> changes() {
      if (unkeyed.isEmpty()) {
        return byKey.values();
      }
      List<BufferedChange> all = new ArrayList<>(byKey.values());
      all.addAll(unkeyed);
      return all;
    }

    long sizeInBytes() {
      return bytes;
    }

    int recordCount() {
      return records;
    }
  }

  /** Removes every row; everything before it is committed first. */
  static final class Truncate extends Segment {
    private final RawRecord raw;
    private final Origin origin;

    Truncate(Origin origin, RawRecord raw, long sourceTimestampMillis) {
      this.origin = origin;
      this.raw = raw;
      track(origin, sourceTimestampMillis);
    }

    Origin origin() {
      return origin;
    }

    RawRecord raw() {
      return raw;
    }
  }

  /** Column renames proven by a DDL event. */
  static final class Renames extends Segment {
    private final List<ColumnRename> renames;
    private final Origin origin;

    Renames(List<ColumnRename> renames, Origin origin, long sourceTimestampMillis) {
      this.renames = List.copyOf(renames);
      this.origin = origin;
      track(origin, sourceTimestampMillis);
    }

    List<ColumnRename> renames() {
      return renames;
    }

    Origin origin() {
      return origin;
    }
  }
}
