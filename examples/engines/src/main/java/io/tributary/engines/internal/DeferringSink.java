package io.tributary.engines.internal;

import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.StreamPartition;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.engines.AwaitedCommit;
import io.tributary.engines.PendingCommit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link TableSink} that writes and evolves through the real sink but keeps each commit and truncate as a
 * {@link PendingCommit} instead of making it, so that an {@link io.tributary.core.pipeline.IngestPipeline}
 * can run unchanged inside an engine task whose results a separate committer makes visible.
 *
 * <p>With {@code onePendingWritePerTable} (Paimon), a table's data commits of one epoch are merged into one,
 * written again from all their changes by a single writer: two uncommitted Paimon writes of one bucket would
 * restore the same sequence numbers from the last snapshot (so an older value could win the merge), and rows
 * written before an added NOT NULL column would miss the sink's backfill of its default. Column renames are
 * applied to the kept changes so that rows written before a rename keep their values. Costs: the changes of
 * an epoch are held in memory and a table's rows are written again at each of its commits in the epoch.
 */
public final class DeferringSink implements TableSink {
  private final TableSink delegate;
  private final boolean onePendingWritePerTable;
  private final List<PendingCommit> pending = new ArrayList<>();
  private final Map<TableId, Integer> openCommit = new HashMap<>();
  private final Map<TableId, List<RowChange>> openChanges = new HashMap<>();
  private final Map<WriteResult, List<RowChange>> written = new IdentityHashMap<>();
  private final Map<TableId, Map<StreamPartition, Long>> handedOut = new HashMap<>();
  private final String sinkId;
  private final long commitWaitMillis;

  /**
   * @param sinkId the sink id commits are recorded under
   * @param commitWaitMillis with {@code onePendingWritePerTable}, how long a new write of a table waits for the
   *     table's previously handed-out commit to become visible (the engine commits it asynchronously)
   */
  public DeferringSink(TableSink delegate, boolean onePendingWritePerTable, String sinkId, long commitWaitMillis) {
    this.delegate = delegate;
    this.onePendingWritePerTable = onePendingWritePerTable;
    this.sinkId = sinkId;
    this.commitWaitMillis = commitWaitMillis;
  }

  /** The commits handed out by {@link #drain} that this sink has not yet seen in their tables. */
  public List<AwaitedCommit> awaited() {
    List<AwaitedCommit> out = new ArrayList<>();
    handedOut.forEach((table, offsets) -> out.add(AwaitedCommit.of(table, offsets)));
    return out;
  }

  /**
   * Makes the next write of each table wait for the given commits, handed out by a previous instance (the
   * engine restored them and commits them again): a write started before them would reuse their sequence
   * numbers.
   */
  public void await(Collection<AwaitedCommit> commits) {
    if (onePendingWritePerTable) {
      for (AwaitedCommit c : commits) {
        handedOut.merge(c.table(), c.nextOffsets(), DeferringSink::max);
      }
    }
  }

  /** The commits deferred since the last call, in the order the pipeline made them. */
  public List<PendingCommit> drain() {
    List<PendingCommit> out = List.copyOf(pending);
    if (onePendingWritePerTable) {
      for (PendingCommit p : out) {
        handedOut.merge(p.table(), p.nextOffsets(), DeferringSink::max);
      }
    }
    pending.clear();
    openCommit.clear();
    openChanges.clear();
    written.clear();
    return out;
  }

  @Override
  public StructType storageSchema(StructType sourceSchema) {
    return delegate.storageSchema(sourceSchema);
  }

  @Override
  public Optional<TableDescriptor> describe(TableId table) {
    return delegate.describe(table);
  }

  @Override
  public TableDescriptor create(TableId table, StructType schema, List<String> keyColumns) {
    return delegate.create(table, schema, keyColumns);
  }

  @Override
  public TableDescriptor evolve(TableId table, SchemaEvolution evolution) {
    if (onePendingWritePerTable) {
      awaitHandedOut(table); // the sink's backfill of added defaults only reaches committed rows
    }
    TableDescriptor evolved = delegate.evolve(table, evolution);
    List<RowChange> kept = openChanges.get(table);
    if (kept != null) {
      for (SchemaChange change : evolution.plan().changes()) {
        if (change instanceof SchemaChange.RenameColumn rename && rename.path().size() == 1) {
          kept.replaceAll(c -> renamed(c, rename.path().get(0), rename.newName()));
        }
      }
    }
    return evolved;
  }

  private static RowChange renamed(RowChange change, String from, String to) {
    return new RowChange(change.kind(), renamed(change.key(), from, to), renamed(change.row(), from, to),
        change.origin());
  }

  private static Row renamed(Row row, String from, String to) {
    if (row == null || !row.hasField(from) || row.hasField(to)) {
      return row;
    }
    List<Field> fields = new ArrayList<>();
    Object[] values = new Object[row.size()];
    for (int i = 0; i < row.size(); i++) {
      Field f = row.schema().fields().get(i);
      fields.add(f.name().equals(from) ? f.withName(to) : f);
      values[i] = row.get(i);
    }
    return Row.wrap(StructType.of(fields), values);
  }

  @Override
  public TableWriter newWriter(TableId table) {
    if (onePendingWritePerTable) {
      awaitHandedOut(table);
    }
    TableWriter writer = delegate.newWriter(table);
    if (!onePendingWritePerTable) {
      return writer;
    }
    List<RowChange> changes = new ArrayList<>();
    return new TableWriter() {
      @Override
      public void write(RowChange change) {
        writer.write(change);
        changes.add(change);
      }

      @Override
      public WriteResult complete() {
        WriteResult result = writer.complete();
        written.put(result, changes);
        return result;
      }

      @Override
      public void abort() {
        writer.abort();
      }
    };
  }

  @Override
  public void commit(TableId table, WriteResult result, CommitRequest request) {
    List<RowChange> changes = written.remove(result);
    Integer open = openCommit.get(table);
    if (!onePendingWritePerTable || changes == null || open == null) {
      pending.add(PendingCommit.data(table, result, request.token(), request.nextOffsets(), request.watermarks()));
      if (onePendingWritePerTable && changes != null) {
        openCommit.put(table, pending.size() - 1);
        openChanges.put(table, new ArrayList<>(changes));
      }
      return;
    }
    List<RowChange> all = openChanges.get(table);
    all.addAll(changes);
    TableWriter writer = delegate.newWriter(table);
    WriteResult merged;
    try {
      all.forEach(writer::write);
      merged = writer.complete();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
    PendingCommit previous = pending.get(open);
    pending.set(open, PendingCommit.data(table, merged, request.token(),
        max(previous.nextOffsets(), request.nextOffsets()), max(previous.watermarks(), request.watermarks())));
  }

  /**
   * Waits until the table holds the commit this task handed out last: a new Paimon write restores its sequence
   * numbers from the latest snapshot, so it must not start before the previous write is in it.
   */
  private void awaitHandedOut(TableId table) {
    Map<StreamPartition, Long> expected = handedOut.get(table);
    if (expected == null) {
      return;
    }
    long deadline = System.currentTimeMillis() + commitWaitMillis;
    while (true) {
      Map<StreamPartition, Long> committed = delegate.lastCommitted(table, sinkId).nextOffsets();
      boolean covered = expected.entrySet().stream()
          .allMatch(e -> committed.getOrDefault(e.getKey(), -1L) >= e.getValue());
      if (covered) {
        handedOut.remove(table);
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new io.tributary.core.RetryableException("table " + table + ": the previous commit of this task ("
            + expected + ") is not visible after " + commitWaitMillis + " ms; a new write would reuse its"
            + " sequence numbers. Restarting resumes from the last checkpoint.", null);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.tributary.core.RetryableException("interrupted while waiting for a commit of " + table, e);
      }
    }
  }

  private static Map<StreamPartition, Long> max(Map<StreamPartition, Long> a, Map<StreamPartition, Long> b) {
    Map<StreamPartition, Long> out = new HashMap<>(a);
    b.forEach((p, o) -> out.merge(p, o, Math::max));
    return out;
  }

  @Override
  public void truncate(TableId table, CommitRequest request) {
    pending.add(PendingCommit.truncate(table, request.token(), request.nextOffsets(), request.watermarks()));
    // rows after the truncate must not be merged into a write committed before it
    openCommit.remove(table);
    openChanges.remove(table);
  }

  @Override
  public CommittedState lastCommitted(TableId table, String sinkId) {
    return delegate.lastCommitted(table, sinkId);
  }

  @Override
  public List<TableId> listTables() {
    return delegate.listTables();
  }

  /** The real sink is owned by whoever created it. */
  @Override
  public void close() {}
}
