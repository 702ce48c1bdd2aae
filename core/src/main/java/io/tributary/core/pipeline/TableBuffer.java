package io.tributary.core.pipeline;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.SourcePosition;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.sink.RowChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes of one table waiting to be written. Within a run of one row schema, changes are collapsed per
 * key (the last change by offset, or by source position across partitions, wins); a primary-key change is the
 * delete of the old key and the insert of the new one. A truncate, a DDL rename and a new row schema each
 * start a new segment, so that they are applied in order with the rows around them. Tables without a key keep
 * every change in arrival order (an update is the delete of its before image and the insert of its after).
 */
public final class TableBuffer {
  private final TableId table;
  private final List<Segment> segments = new ArrayList<>();
  /** DDL renames that come later in the source log than every change buffered so far, oldest first. */
  private final List<SchemaChangeEvent> pendingRenames = new ArrayList<>();
  private final RetainedRaw.Keeper rawKeeper;
  private SourcePosition lastPosition;
  /** Whether changes without a source position arrived (unwrapped records): then arrival order decides. */
  private boolean unpositionedChanges;
  private long firstBufferedAtMillis = -1;
  private long bytes;
  private int records;

  /** A buffer that keeps each change's record, to be dead-lettered as it was read. */
  public TableBuffer(TableId table) {
    this(table, RetainedRaw.Keeper.sharingHeads());
  }

  TableBuffer(TableId table, RetainedRaw.Keeper rawKeeper) {
    this.table = table;
    this.rawKeeper = rawKeeper;
  }

  public TableId table() {
    return table;
  }

  /**
   * Buffers a row change or truncate. {@code key} is the row's key in the table's key columns, or null for a
   * table without a key.
   */
  public void add(ChangeEvent event, Row key, RawRecord raw, long nowMillis) {
    SourcePosition position = event.source() == null ? null : event.source().position();
    if (position == null) {
      unpositionedChanges = true;
      while (!pendingRenames.isEmpty()) {
        appendRenames(pendingRenames.remove(0), nowMillis);
      }
    } else {
      releaseRenamesBefore(position, nowMillis);
      lastPosition = position;
    }
    touch(nowMillis);
    long sourceTs = event.source() == null ? 0 : event.source().timestampMillis();
    if (event.operation() == Operation.TRUNCATE) {
      Segment.Truncate truncate = new Segment.Truncate(event.origin(), raw, sourceTs);
      truncate.notePosition(position);
      segments.add(truncate);
      records++;
      return;
    }
    Segment.Data data = currentData(event, key);
    data.notePosition(position);
    RetainedRaw kept = raw == null ? null : rawKeeper.keep(raw);
    long before = data.sizeInBytes();
    Origin origin = event.origin();
    switch (event.operation()) {
      case DELETE -> data.add(new BufferedChange(RowChange.delete(key, event.before(), origin), position, kept, sourceTs));
      case UPDATE -> {
        if (key == null && event.before() != null) {
          data.add(new BufferedChange(RowChange.delete(null, event.before(), origin), position, kept, sourceTs));
        }
        data.add(new BufferedChange(RowChange.upsert(key, event.after(), origin), position, kept, sourceTs));
      }
      default -> data.add(new BufferedChange(RowChange.upsert(key, event.after(), origin), position, kept, sourceTs));
    }
    bytes += data.sizeInBytes() - before;
    records++;
  }

  /**
   * Buffers column renames proven by a DDL event, as a barrier between the rows before and after it in the
   * source log. The DDL topic and the table's topic are read independently, so a DDL that is ahead of the
   * table's changes waits until the first change that follows it in the log arrives, and a DDL that arrives
   * after buffered changes that follow it in the log goes in front of their segment (a rename changes the row
   * schema, so those changes start a segment of their own).
   */
  public void addRenames(SchemaChangeEvent event, long nowMillis) {
    SourcePosition position = event.source() == null ? null : event.source().position();
    if (position == null || unpositionedChanges) {
      appendRenames(event, nowMillis);
    } else if (lastPosition != null && lastPosition.compareTo(position) > 0) {
      insertRenames(event, position, nowMillis);
    } else {
      pendingRenames.add(event);
    }
  }

  /** Puts renames before the buffered segments that start later in the source log than the DDL. */
  private void insertRenames(SchemaChangeEvent event, SourcePosition position, long nowMillis) {
    int at = segments.size();
    while (at > 0) {
      SourcePosition first = segments.get(at - 1).firstPosition();
      if (first != null && first.compareTo(position) <= 0) {
        break;
      }
      at--;
    }
    touch(nowMillis);
    long sourceTs = event.source() == null ? 0 : event.source().timestampMillis();
    Segment.Renames renames = new Segment.Renames(event.renames(), event.origin(), sourceTs);
    renames.notePosition(position);
    segments.add(at, renames);
    records++;
  }

  private void releaseRenamesBefore(SourcePosition position, long nowMillis) {
    while (position != null && !pendingRenames.isEmpty()
        && position.compareTo(pendingRenames.get(0).source().position()) > 0) {
      appendRenames(pendingRenames.remove(0), nowMillis);
    }
  }

  private void appendRenames(SchemaChangeEvent event, long nowMillis) {
    touch(nowMillis);
    long sourceTs = event.source() == null ? 0 : event.source().timestampMillis();
    Segment.Renames renames = new Segment.Renames(event.renames(), event.origin(), sourceTs);
    renames.notePosition(event.source() == null ? null : event.source().position());
    segments.add(renames);
    records++;
  }

  private Segment.Data currentData(ChangeEvent event, Row key) {
    Segment last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
    if (last instanceof Segment.Data d && d.schema().equals(event.rowSchema())
        && d.isKeyed() == (key != null)) {
      return d;
    }
    List<String> keyColumns = key == null ? List.of() : key.schema().fieldNames();
    Segment.Data d = new Segment.Data(event.rowSchema(), keyColumns);
    segments.add(d);
    return d;
  }

  private void touch(long nowMillis) {
    if (firstBufferedAtMillis < 0) {
      firstBufferedAtMillis = nowMillis;
    }
  }

  /** DDL events with renames that are ahead of every buffered change in the source log, oldest first. */
  List<SchemaChangeEvent> pendingRenames() {
    return pendingRenames;
  }

  List<Segment> segments() {
    return segments;
  }

  /**
   * Takes every buffered segment out of the buffer, to be written and committed; renames still ahead of every
   * buffered change stay, and so does what orders the changes that come next.
   */
  List<Segment> takeSegments() {
    List<Segment> taken = new ArrayList<>(segments);
    segments.clear();
    firstBufferedAtMillis = -1;
    bytes = 0;
    records = 0;
    return taken;
  }

  public boolean isEmpty() {
    return segments.isEmpty();
  }

  /** Records accepted since the last flush (before collapsing). */
  public int recordCount() {
    return records;
  }

  /** Approximate bytes held. */
  public long sizeInBytes() {
    return bytes;
  }

  /** When the oldest buffered record arrived, or -1 when empty. */
  public long firstBufferedAtMillis() {
    return firstBufferedAtMillis;
  }

  /** The first buffered offset of {@code partition}, pending renames included, or -1. */
  long firstOffset(StreamPartition partition) {
    long min = Segment.firstOffset(segments, 0, partition);
    for (SchemaChangeEvent pending : pendingRenames) {
      Origin o = pending.origin();
      if (o != null && o.streamPartition().equals(partition) && (min < 0 || o.offset() < min)) {
        min = o.offset();
      }
    }
    return min;
  }
}
