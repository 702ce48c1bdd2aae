package io.tributary.paimon.internal;

import io.tributary.core.TableId;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.paimon.Snapshot;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Paimon {@link StreamTableWrite} per table between batches, so that a new batch does not restore
 * every bucket's file list (a manifest read per bucket) and compaction state is carried over. A write is only
 * handed out again when its last result was committed by this sink and no other commit happened since: the
 * table's latest snapshot must be the one that commit produced and the schema unchanged. Anything else (a
 * result never committed, a skipped duplicate, a truncate, a backfill, another writer) discards it.
 */
public final class WriterPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriterPool.class);

  private final Map<TableId, Entry> entries = new ConcurrentHashMap<>();

  /** A pooled write, its session id and the state of its last result. */
  public static final class Entry {
    private final String session = UUID.randomUUID().toString();
    private final StreamTableWrite write;
    private final long schemaId;
    private final Map<String, String> writeOptions;
    private long lastIssued = -1;
    private Long committedSnapshot;

    Entry(StreamTableWrite write, long schemaId, Map<String, String> writeOptions) {
      this.write = write;
      this.schemaId = schemaId;
      this.writeOptions = writeOptions;
    }

    public StreamTableWrite write() {
      return write;
    }

    public String session() {
      return session;
    }
  }

  /**
   * A write for the table with the given options on top of the table's own (dynamic options, not stored in the
   * table): the pooled one when it is safe to continue with and has the same options, otherwise a new one.
   */
  public Entry acquire(TableId table, TableModel model, String commitUser, Map<String, String> writeOptions) {
    Entry pooled = entries.remove(table);
    if (pooled != null) {
      Long latest = model.table().snapshotManager().latestSnapshotId();
      synchronized (pooled) {
        if (pooled.schemaId == model.schemaId() && pooled.writeOptions.equals(writeOptions)
            && pooled.committedSnapshot != null
            && pooled.committedSnapshot.equals(latest)) {
          pooled.committedSnapshot = null;
          return pooled;
        }
      }
      LOG.debug("not reusing the Paimon write of {}: the table or the write options changed since its last commit",
          table);
      close(pooled);
    }
    FileStoreTable writing = writeOptions.isEmpty() ? model.table() : model.table().copy(writeOptions);
    return new Entry(writing.newStreamWriteBuilder().withCommitUser(commitUser).newWrite(), model.schemaId(),
        Map.copyOf(writeOptions));
  }

  /** Returns a write after {@code complete()} produced result {@code sequence}; it waits for that commit. */
  public void release(TableId table, Entry entry, long sequence) {
    synchronized (entry) {
      entry.lastIssued = sequence;
      entry.committedSnapshot = null;
    }
    Entry previous = entries.put(table, entry);
    if (previous != null && previous != entry) {
      close(previous);
    }
  }

  /** Records that result {@code sequence} of write session {@code session} is now committed. */
  public void committed(TableId table, String session, long sequence, FileStoreTable t, String commitUser) {
    Entry entry = entries.get(table);
    if (entry == null || !entry.session.equals(session)) {
      return;
    }
    Optional<Snapshot> ours = t.snapshotManager().latestSnapshotOfUser(commitUser);
    synchronized (entry) {
      if (entry.lastIssued == sequence && ours.isPresent()) {
        entry.committedSnapshot = ours.get().id();
      }
    }
  }

  /** Drops the pooled write of a table, e.g. before a truncate or schema change. */
  public void invalidate(TableId table) {
    Entry entry = entries.remove(table);
    if (entry != null) {
      close(entry);
    }
  }

  public static void close(Entry entry) {
    try {
      entry.write.close();
    } catch (Exception e) {
      LOG.debug("closing a pooled Paimon write", e);
    }
  }

  @Override
  public void close() {
    for (TableId table : entries.keySet()) {
      invalidate(table);
    }
  }
}
