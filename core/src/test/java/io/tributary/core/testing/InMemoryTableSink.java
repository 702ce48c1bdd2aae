package io.tributary.core.testing;

import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TableSink} that keeps tables in memory, for testing the pipeline and runners without a table
 * format. Commits are atomic and record offsets like a real sink; failures can be injected. Thread-safe.
 */
public final class InMemoryTableSink implements TableSink {
  private volatile CountDownLatch gate;
  private volatile String lastCommitThread;
  private final AtomicInteger waitingCommits = new AtomicInteger();

  /** One table: schema, key, rows, and the commit log. */
  public static final class Table {
    StructType schema;
    final List<String> keyColumns;
    final Map<Row, Row> rowsByKey = new LinkedHashMap<>();
    final List<Row> keylessRows = new ArrayList<>();
    final List<CommitRequest> commits = new ArrayList<>();
    final List<SchemaEvolution> evolutions = new ArrayList<>();

    Table(StructType schema, List<String> keyColumns) {
      this.schema = schema;
      this.keyColumns = List.copyOf(keyColumns);
    }
  }

  private record Result(List<RowChange> changes, long rowCount, long deleteCount) implements WriteResult {}

  private final Map<TableId, Table> tables = new LinkedHashMap<>();
  private final AtomicInteger retryableFailures = new AtomicInteger();
  private final AtomicInteger staleFailures = new AtomicInteger();
  private final AtomicInteger writersOpened = new AtomicInteger();
  private volatile RuntimeException failAfterCommit;

  @Override
  public StructType storageSchema(StructType sourceSchema) {
    return sourceSchema;
  }

  @Override
  public synchronized Optional<TableDescriptor> describe(TableId table) {
    Table t = tables.get(table);
    return t == null ? Optional.empty() : Optional.of(TableDescriptor.of(table, t.schema, t.keyColumns));
  }

  @Override
  public synchronized TableDescriptor create(TableId table, StructType schema, List<String> keyColumns) {
    Table t = tables.computeIfAbsent(table, id -> new Table(schema, keyColumns));
    return TableDescriptor.of(table, t.schema, t.keyColumns);
  }

  @Override
  public synchronized TableDescriptor evolve(TableId table, SchemaEvolution evolution) {
    Table t = require(table);
    StructType before = t.schema;
    StructType after = evolution.plan().applyTo(before);
    Map<String, String> renames = new HashMap<>();
    for (SchemaChange c : evolution.plan().changes()) {
      if (c instanceof SchemaChange.RenameColumn r && r.path().size() == 1) {
        renames.put(r.newName(), r.path().get(0));
      }
    }
    t.rowsByKey.replaceAll((k, row) -> migrate(row, after, renames));
    t.keylessRows.replaceAll(row -> migrate(row, after, renames));
    t.schema = after;
    t.evolutions.add(evolution);
    return TableDescriptor.of(table, t.schema, t.keyColumns);
  }

  /** Existing rows read added columns' defaults and renamed columns' old values. */
  private static Row migrate(Row row, StructType schema, Map<String, String> renames) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      String oldName = renames.getOrDefault(f.name(), f.name());
      values[i] = row.hasField(oldName) ? widen(row.get(oldName), f.type()) : f.defaultValue();
    }
    return Row.wrap(schema, values);
  }

  private static Object widen(Object value, DataType type) {
    if (value instanceof Integer i && type instanceof Types.LongType) {
      return i.longValue();
    }
    if (value instanceof Float f && type instanceof Types.DoubleType) {
      return f.doubleValue();
    }
    return value;
  }

  @Override
  public TableWriter newWriter(TableId table) {
    writersOpened.incrementAndGet();
    StructType schema;
    synchronized (this) {
      schema = require(table).schema;
    }
    return new TableWriter() {
      private final List<RowChange> changes = new ArrayList<>();
      private long rows;
      private long deletes;

      @Override
      public void write(RowChange change) {
        Row row = change.row() == null ? null : project(change, schema, table);
        changes.add(new RowChange(change.kind(), change.key(), row, change.origin()));
        if (change.isDelete()) {
          deletes++;
        } else {
          rows++;
        }
      }

      @Override
      public WriteResult complete() {
        return new Result(List.copyOf(changes), rows, deletes);
      }

      @Override
      public void abort() {
        changes.clear();
      }
    };
  }

  private static Row project(RowChange change, StructType schema, TableId table) {
    Row row = change.row();
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      Object v = row.hasField(f.name()) ? widen(row.get(f.name()), f.type()) : f.defaultValue();
      if (v != null && v != Unavailable.VALUE && !f.type().isNested()
          && !f.type().javaClass().isInstance(v)) {
        throw new RecordException("column " + f.name() + " of type " + f.type() + " cannot hold "
            + v.getClass().getSimpleName() + " value " + v, change.origin(), table, null);
      }
      if (v == null && f.isRequired() && !change.isDelete()) {
        throw new RecordException("required column " + f.name() + " is null", change.origin(), table, null);
      }
      values[i] = v;
    }
    return Row.wrap(schema, values);
  }

  @Override
  public void commit(TableId table, WriteResult result, CommitRequest request) {
    CountDownLatch held = gate;
    if (held != null) {
      waitingCommits.incrementAndGet();
      try {
        held.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RetryableException("interrupted while a commit was held");
      } finally {
        waitingCommits.decrementAndGet();
      }
    }
    lastCommitThread = Thread.currentThread().getName();
    commitNow(table, result, request);
  }

  private synchronized void commitNow(TableId table, WriteResult result, CommitRequest request) {
    if (staleFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new io.tributary.core.sink.StaleWriteException("injected stale read on " + table, null);
    }
    if (retryableFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new RetryableException("injected commit conflict on " + table);
    }
    Table t = require(table);
    if (request.token() != null && t.commits.stream()
        .anyMatch(c -> c.sinkId().equals(request.sinkId()) && request.token().equals(c.token()))) {
      return;
    }
    for (RowChange change : ((Result) result).changes()) {
      apply(t, change);
    }
    t.commits.add(request);
    RuntimeException after = failAfterCommit;
    if (after != null) {
      failAfterCommit = null;
      throw after;
    }
  }

  private static void apply(Table t, RowChange change) {
    if (t.keyColumns.isEmpty()) {
      if (change.isDelete()) {
        t.keylessRows.removeIf(r -> r.equals(alignTo(change.row(), r.schema())));
      } else {
        t.keylessRows.add(change.row());
      }
      return;
    }
    Row key = keyOf(change, t);
    if (change.isDelete()) {
      t.rowsByKey.remove(key);
      return;
    }
    Row row = change.row();
    Row current = t.rowsByKey.get(key);
    for (int i = 0; i < row.size(); i++) {
      if (Unavailable.is(row.get(i))) {
        row = row.with(i, current == null ? null : current.get(row.schema().field(i).name()));
      }
    }
    t.rowsByKey.put(key, row);
  }

  private static Row alignTo(Row row, StructType schema) {
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      values[i] = row.get(schema.field(i).name());
    }
    return Row.wrap(schema, values);
  }

  private static Row keyOf(RowChange change, Table t) {
    Object[] values = new Object[t.keyColumns.size()];
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      String name = t.keyColumns.get(i);
      Row from = change.key() != null && change.key().hasField(name) ? change.key() : change.row();
      values[i] = widen(from.get(name), t.schema.field(name).type());
      fields.add(t.schema.field(name));
    }
    return Row.wrap(StructType.of(fields), values);
  }

  @Override
  public synchronized void truncate(TableId table, CommitRequest request) {
    Table t = require(table);
    t.rowsByKey.clear();
    t.keylessRows.clear();
    t.commits.add(request);
  }

  @Override
  public synchronized CommittedState lastCommitted(TableId table, String sinkId) {
    Table t = tables.get(table);
    if (t == null) {
      return CommittedState.none();
    }
    Map<StreamPartition, Long> offsets = new HashMap<>();
    Map<StreamPartition, Long> watermarks = new HashMap<>();
    String token = null;
    for (CommitRequest c : t.commits) {
      if (c.sinkId().equals(sinkId)) {
        c.nextOffsets().forEach((p, o) -> offsets.merge(p, o, Math::max));
        c.watermarks().forEach((p, o) -> watermarks.merge(p, o, Math::max));
        token = c.token();
      }
    }
    return new CommittedState(offsets, watermarks, token);
  }

  @Override
  public synchronized List<TableId> listTables() {
    return List.copyOf(tables.keySet());
  }

  @Override
  public void close() {}

  // ------------------------------------------------------------ test access

  /** The table's rows in key order of first insertion (keyed) or insertion order (key-less). */
  public synchronized List<Row> rows(TableId table) {
    Table t = require(table);
    return t.keyColumns.isEmpty() ? List.copyOf(t.keylessRows) : List.copyOf(t.rowsByKey.values());
  }

  public synchronized StructType schema(TableId table) {
    return require(table).schema;
  }

  public synchronized List<CommitRequest> commits(TableId table) {
    return List.copyOf(require(table).commits);
  }

  public synchronized List<SchemaEvolution> evolutions(TableId table) {
    return List.copyOf(require(table).evolutions);
  }

  /** The next {@code count} commits fail with a {@link RetryableException} before changing anything. */
  public void failNextCommits(int count) {
    retryableFailures.set(count);
  }

  /** The next {@code count} commits fail with a {@link io.tributary.core.sink.StaleWriteException}. */
  public void failNextCommitsAsStale(int count) {
    staleFailures.set(count);
  }

  /** How many writers were opened, to see batches written again. */
  public int writersOpened() {
    return writersOpened.get();
  }

  /**
   * Commits wait, holding no lock, until the returned latch is counted down, as commits to a slow catalog
   * would.
   */
  public CountDownLatch holdCommits() {
    gate = new CountDownLatch(1);
    return gate;
  }

  /** How many commits wait for the latch of {@link #holdCommits()}. */
  public int waitingCommits() {
    return waitingCommits.get();
  }

  /** The name of the thread that made the last commit. */
  public String lastCommitThread() {
    return lastCommitThread;
  }

  /** The next commit succeeds and then throws {@code failure}, as a crash right after the commit would. */
  public void failAfterNextCommit(RuntimeException failure) {
    failAfterCommit = failure;
  }

  private Table require(TableId table) {
    Table t = tables.get(table);
    if (t == null) {
      throw new IllegalStateException("no table " + table);
    }
    return t;
  }
}
