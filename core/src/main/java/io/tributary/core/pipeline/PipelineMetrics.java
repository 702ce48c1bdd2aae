package io.tributary.core.pipeline;

import io.tributary.core.TableId;
import io.tributary.core.schema.SchemaChangePlan;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link PipelineListener} that counts per table: events in, rows written, deletes, schema changes
 * applied, dead letters, commits and their latency. Thread-safe to read while the pipeline runs.
 */
public final class PipelineMetrics implements PipelineListener {
  /** The counters of one table. */
  public static final class TableCounters {
    private final LongAdder events = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final LongAdder deletes = new LongAdder();
    private final LongAdder schemaChanges = new LongAdder();
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder truncates = new LongAdder();
    private final LongAdder commitMillis = new LongAdder();
    private volatile boolean created;
    private volatile long lastCommitMillis;

    public long events() { return events.sum(); }
    public long skipped() { return skipped.sum(); }
    public long rows() { return rows.sum(); }
    public long deletes() { return deletes.sum(); }
    public long schemaChanges() { return schemaChanges.sum(); }
    public long deadLetters() { return deadLetters.sum(); }
    public long commits() { return commits.sum(); }
    public long truncates() { return truncates.sum(); }
    public long totalCommitMillis() { return commitMillis.sum(); }
    public boolean created() { return created; }
    /** Wall-clock time of the last commit, or 0. */
    public long lastCommitMillis() { return lastCommitMillis; }
  }

  private final Map<TableId, TableCounters> tables = new ConcurrentHashMap<>();
  private final LongAdder unroutedDeadLetters = new LongAdder();

  private TableCounters counters(TableId table) {
    return tables.computeIfAbsent(table, t -> new TableCounters());
  }

  @Override public void onEvent(TableId table) { counters(table).events.increment(); }
  @Override public void onSkipped(TableId table) { counters(table).skipped.increment(); }
  @Override public void onTableCreated(TableId table) { counters(table).created = true; }

  @Override
  public void onSchemaEvolved(TableId table, SchemaChangePlan plan) {
    counters(table).schemaChanges.add(plan.changes().size());
  }

  @Override
  public void onCommitted(CommitStats stats) {
    TableCounters c = counters(stats.table());
    c.commits.increment();
    if (stats.kind() == CommitStats.Kind.TRUNCATE) {
      c.truncates.increment();
    }
    c.rows.add(stats.rows());
    c.deletes.add(stats.deletes());
    c.commitMillis.add(stats.durationMillis());
    c.lastCommitMillis = System.currentTimeMillis();
  }

  @Override
  public void onDeadLetter(DeadLetter letter) {
    if (letter.table() == null) {
      unroutedDeadLetters.increment();
    } else {
      counters(letter.table()).deadLetters.increment();
    }
  }

  /** The counters by table, sorted by table name. */
  public Map<TableId, TableCounters> tables() {
    Map<TableId, TableCounters> sorted = new TreeMap<>();
    sorted.putAll(tables);
    return sorted;
  }

  public TableCounters table(TableId table) {
    return counters(table);
  }

  /** Dead letters of every table plus those that failed before routing. */
  public long totalDeadLetters() {
    long sum = unroutedDeadLetters.sum();
    for (TableCounters c : tables.values()) {
      sum += c.deadLetters();
    }
    return sum;
  }

  public long totalEvents() {
    return tables.values().stream().mapToLong(TableCounters::events).sum();
  }
}
