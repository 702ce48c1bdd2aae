package io.tributary.core.pipeline;

import io.tributary.core.ChangeEvent;
import io.tributary.core.FatalException;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.ColumnRename;
import io.tributary.core.Row;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.schema.EvolutionPolicy;
import io.tributary.core.schema.RenameDetection;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.schema.SchemaComparator;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.StaleWriteException;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest pipeline shared by every way of running Tributary (Kafka runner, file replay, engines): route each
 * decoded change to its table, buffer and collapse it, evolve the table schema through the
 * {@link EvolutionPolicy}, write the changes and commit them through the {@link TableSink} together with the
 * consumed offsets, so that a restarted pipeline skips what a table already holds.
 *
 * <p>Not thread-safe: one thread feeds and flushes it. With {@code tributary.commit.in-background} (the
 * default) a batch is written and committed on the pipeline's commit thread while that thread goes on; so
 * the {@link PipelineListener}, the {@link DeadLetterHandler} and the sink are also called from the commit
 * thread and must be thread-safe. The caller owns the sink.
 */
public final class IngestPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);

  private final TableSink sink;
  private final String sinkId;
  private final TableRouter router;
  private final EvolutionPolicy policy;
  private final SchemaComparator comparator;
  private final DeadLetterHandler deadLetters;
  private final PipelineListener listener;
  private final LongSupplier clock;
  private final ErrorTolerance tolerance;
  private final long commitIntervalMs;
  private final int commitMaxRecords;
  private final long commitMaxBytes;
  private final long bufferMaxBytes;
  private final int commitRetries;
  private final long retryBackoffMs;

  private final Map<TableId, TableBuffer> buffers = new LinkedHashMap<>();
  private final Map<TableId, TableState> tables = new HashMap<>();
  private final Map<StreamPartition, Long> consumedNext = new HashMap<>();
  private long bufferedBytes;
  private final boolean commitsInBackground;
  /** The commit thread, started with the first background commit. */
  private ExecutorService committer;
  /** The batch being committed, or whose commit failed; only the caller's thread sets it. */
  private volatile Batch inFlight;

  /**
   * What the pipeline knows about one table: its descriptor and its committed offsets for this sink id. The
   * commit thread updates both while the caller's thread reads them.
   */
  private static final class TableState {
    volatile Optional<TableDescriptor> descriptor;
    final Map<StreamPartition, Long> committed = new ConcurrentHashMap<>();
  }

  private IngestPipeline(Builder b) {
    this.sink = Objects.requireNonNull(b.sink, "sink");
    Settings settings = b.settings;
    PipelineConfig.validate(settings);
    this.sinkId = b.sinkId != null ? b.sinkId : settings.get(PipelineConfig.SINK_ID);
    this.router = b.router != null ? b.router : DefaultTableRouter.from(settings);
    this.policy = b.policy != null ? b.policy : EvolutionPolicy.from(settings);
    this.comparator = policy.comparator();
    this.listener = b.listener != null ? b.listener : PipelineListener.none();
    this.clock = b.clock != null ? b.clock : System::currentTimeMillis;
    this.tolerance = settings.get(PipelineConfig.ERRORS_TOLERANCE);
    if (tolerance == ErrorTolerance.ALL && b.deadLetters == null) {
      throw new IllegalArgumentException(
          PipelineConfig.ERRORS_TOLERANCE.name() + "=all needs a dead-letter destination");
    }
    this.deadLetters = b.deadLetters;
    this.commitIntervalMs = settings.get(PipelineConfig.COMMIT_INTERVAL_MS);
    this.commitMaxRecords = settings.get(PipelineConfig.COMMIT_MAX_RECORDS);
    this.commitMaxBytes = settings.get(PipelineConfig.COMMIT_MAX_BYTES);
    this.bufferMaxBytes = settings.get(PipelineConfig.BUFFER_MAX_BYTES);
    this.commitRetries = settings.get(PipelineConfig.COMMIT_RETRIES);
    this.retryBackoffMs = settings.get(PipelineConfig.RETRY_BACKOFF_MS);
    this.commitsInBackground = settings.get(PipelineConfig.COMMIT_IN_BACKGROUND);
  }

  public static Builder builder() {
    return new Builder();
  }

  public String sinkId() {
    return sinkId;
  }

  public ErrorTolerance errorTolerance() {
    return tolerance;
  }

  // ---------------------------------------------------------------- input

  /** Accepts one decoded row change (or truncate). {@code raw} is kept for dead-lettering; it may be null. */
  public void accept(ChangeEvent event, RawRecord raw) {
    Origin origin = event.origin();
    TableId table;
    try {
      table = router.route(event);
    } catch (RecordException e) {
      markConsumed(origin);
      reject(e, raw);
      return;
    }
    markConsumed(origin);
    TableState state = state(table);
    if (isCommitted(state, origin)) {
      listener.onSkipped(table);
      return;
    }
    Row key;
    try {
      key = event.operation() == Operation.TRUNCATE ? null : keyOf(event, state, table);
    } catch (RecordException e) {
      deadLetterOrFail(new DeadLetter(raw, origin, table, e.getMessage(), e));
      return;
    }
    TableBuffer buffer = buffers.computeIfAbsent(table, this::newBuffer);
    long before = buffer.sizeInBytes();
    buffer.add(event, key, raw, clock.getAsLong());
    bufferedBytes += buffer.sizeInBytes() - before;
    listener.onEvent(table);
    if (buffer.recordCount() >= commitMaxRecords || buffer.sizeInBytes() >= commitMaxBytes) {
      startFlush(table);
    }
  }

  /**
   * Accepts a DDL event. Renames it proves are applied in order with the table's rows (unless rename
   * detection is off); everything else in it is informational, because data events carry the schema.
   * Bootstrap and DROP statements never drop anything.
   */
  public void acceptSchemaChange(SchemaChangeEvent event, RawRecord raw) {
    markConsumed(event.origin());
    if (event.kind() == SchemaChangeEvent.Kind.DROP) {
      LOG.info("Ignoring DROP at the source for {}.{} ({}): tables are never dropped by the pipeline",
          event.namespace(), event.table(), event.origin());
    }
    if (event.renames().isEmpty() || policy.renameDetection() == RenameDetection.OFF) {
      return;
    }
    Optional<TableId> table = router.route(event);
    if (table.isEmpty()) {
      return;
    }
    TableState state = state(table.get());
    if (isCommitted(state, event.origin())) {
      listener.onSkipped(table.get());
      return;
    }
    buffers.computeIfAbsent(table.get(), this::newBuffer).addRenames(event, clock.getAsLong());
  }

  /** Notes a record that carries no change (a tombstone, a heartbeat), so that offsets move past it. */
  public void acceptNoChange(Origin origin) {
    markConsumed(origin);
  }

  /**
   * A record that could not be decoded: dead-letter it, or throw when errors are not tolerated.
   *
   * @throws RecordException the given error, when {@code tributary.errors.tolerance=none}
   */
  public void reject(RecordException error, RawRecord raw) {
    Origin origin = error.origin() != null ? error.origin() : raw == null ? null : raw.origin();
    if (origin == null) {
      throw error;
    }
    markConsumed(origin);
    deadLetterOrFail(new DeadLetter(raw, origin, error.table(), error.getMessage(), error));
  }

  /**
   * Without a dead-letter destination a record that cannot be applied stops the pipeline, named by its origin:
   * its bytes are never needed again, and not holding them spares memory and the garbage collector's copying.
   */
  private TableBuffer newBuffer(TableId table) {
    return new TableBuffer(table, tolerance == ErrorTolerance.ALL
        ? RetainedRaw.Keeper.sharingHeads() : RetainedRaw.Keeper.sizesOnly());
  }

  private void markConsumed(Origin origin) {
    if (origin != null) {
      consumedNext.merge(origin.streamPartition(), origin.offset() + 1, Math::max);
    }
  }

  private boolean isCommitted(TableState state, Origin origin) {
    if (origin == null) {
      return false;
    }
    Long next = state.committed.get(origin.streamPartition());
    return next != null && origin.offset() < next;
  }

  /** The key in the table's key columns: the Debezium key, or the key columns read from the row image. */
  private Row keyOf(ChangeEvent event, TableState state, TableId table) {
    Optional<TableDescriptor> desc = state.descriptor;
    if (desc.isEmpty()) {
      return event.key();
    }
    List<String> keyColumns = desc.get().keyColumns();
    if (keyColumns.isEmpty()) {
      return null;
    }
    Row key = event.key();
    if (key != null && hasFieldsNamed(key.schema(), keyColumns)) {
      return key;
    }
    Row image = event.image();
    if (image == null && key == null) {
      throw new RecordException("change has no key and no row image", event.origin(), table, null);
    }
    List<Field> fields = new ArrayList<>(keyColumns.size());
    Object[] values = new Object[keyColumns.size()];
    for (int i = 0; i < keyColumns.size(); i++) {
      String name = keyColumns.get(i);
      Row from = key != null && key.hasField(name) ? key : image;
      if (from == null || !from.hasField(name)) {
        throw new RecordException(
            "change lacks key column '" + name + "' of the table's key " + keyColumns, event.origin(), table, null);
      }
      fields.add(from.schema().field(name));
      values[i] = from.get(name);
    }
    return Row.wrap(StructType.of(fields), values);
  }

  /** Whether {@code schema}'s fields are exactly {@code names}, in order; called per change, so it does not allocate. */
  private static boolean hasFieldsNamed(StructType schema, List<String> names) {
    if (schema.size() != names.size()) {
      return false;
    }
    for (int i = 0; i < names.size(); i++) {
      if (!schema.field(i).name().equals(names.get(i))) {
        return false;
      }
    }
    return true;
  }

  private TableState state(TableId table) {
    TableState state = tables.get(table);
    if (state == null) {
      state = new TableState();
      state.descriptor = sink.describe(table);
      if (state.descriptor.isPresent()) {
        state.committed.putAll(sink.lastCommitted(table, sinkId).nextOffsets());
      }
      tables.put(table, state);
    }
    return state;
  }

  // ---------------------------------------------------------------- flushing

  /**
   * Commits every table whose buffer is old, large or full, and the largest ones while memory is over its
   * bound. In the background mode this returns once the last of them is being committed; a failure of an
   * earlier background commit is thrown here.
   */
  public void flushDue() {
    if (inFlight != null && inFlight.done.isDone()) {
      awaitCommits();
    }
    long now = clock.getAsLong();
    for (TableBuffer buffer : new ArrayList<>(buffers.values())) {
      if (!buffer.isEmpty()
          && (now - buffer.firstBufferedAtMillis() >= commitIntervalMs
              || buffer.recordCount() >= commitMaxRecords
              || buffer.sizeInBytes() >= commitMaxBytes)) {
        startFlush(buffer.table());
      }
    }
    while (bufferedBytes() > bufferMaxBytes) {
      if (inFlight != null) {
        // moving bytes from the buffers to the commit thread frees nothing: wait until they are committed
        awaitCommits();
        continue;
      }
      TableBuffer largest = buffers.values().stream()
          .filter(b -> !b.isEmpty())
          .max((a, b) -> Long.compare(a.sizeInBytes(), b.sizeInBytes()))
          .orElse(null);
      if (largest == null) {
        bufferedBytes = 0;
        break;
      }
      startFlush(largest.table());
    }
  }

  /** Commits every table and waits until all is committed. */
  public void flushAll() {
    startFlushAll();
    awaitCommits();
  }

  /**
   * Commits every table's buffer; in the background mode this returns once the last of them is being
   * committed, as {@link #flushDue()} does.
   */
  public void startFlushAll() {
    for (TableId table : new ArrayList<>(buffers.keySet())) {
      startFlush(table);
    }
  }

  /** Whether the buffers and the batch being committed hold more than {@code tributary.buffer.max-bytes}. */
  public boolean isOverMemoryLimit() {
    return bufferedBytes() > bufferMaxBytes;
  }

  /** The bytes held: buffered records and the batch being committed. */
  public long bufferedBytes() {
    Batch batch = inFlight;
    return bufferedBytes + (batch == null ? 0 : batch.bytes);
  }

  /** Writes and commits one table's buffer, segment by segment, and waits until it is committed. */
  public void flush(TableId table) {
    startFlush(table);
    awaitCommits();
  }

  /**
   * Waits until the batch being committed on the commit thread is committed. A failed commit is thrown here,
   * and again by every later flush: what follows it in the log must not be committed past it.
   *
   * @throws RetryableException when interrupted while waiting
   */
  public void awaitCommits() {
    Batch batch = inFlight;
    if (batch == null) {
      return;
    }
    try {
      batch.done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("Interrupted while waiting for the commit of " + batch.table, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new FatalException("Commit of " + batch.table + " failed: " + cause, cause);
    }
    inFlight = null;
  }

  /** Takes a table's segments out of its buffer and commits them, on the commit thread if there is one. */
  private void startFlush(TableId table) {
    TableBuffer buffer = buffers.get(table);
    if (buffer == null || buffer.isEmpty()) {
      return;
    }
    // one batch at a time: a batch's watermarks count on every earlier batch being committed
    awaitCommits();
    long bytes = buffer.sizeInBytes();
    List<ColumnRename> pendingRenames = new ArrayList<>();
    buffer.pendingRenames().forEach(event -> pendingRenames.addAll(event.renames()));
    List<Segment> segments = buffer.takeSegments();
    bufferedBytes = Math.max(0, bufferedBytes - bytes);
    Batch batch = new Batch(table, state(table), segments, pendingRenames, watermarks(), bytes);
    inFlight = batch;
    if (commitsInBackground) {
      if (committer == null) {
        committer = Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "tributary-commit-" + sinkId);
          t.setDaemon(true);
          return t;
        });
      }
      committer.execute(batch.done);
    } else {
      batch.done.run();
      awaitCommits();
    }
  }

  /**
   * A table's segments taken from its buffer, applied and committed in order. It keeps what its commit
   * requests need from the caller's state when it was taken, so the commit thread reads nothing else of it.
   */
  private final class Batch {
    final TableId table;
    final TableState state;
    final List<Segment> segments;
    /** Renames of DDL that follows every change of the batch in the source log. */
    final List<ColumnRename> pendingRenames;
    /** Per partition, the watermark over everything consumed but not in this batch when it was taken. */
    final Map<StreamPartition, Long> floor;
    final long bytes;
    final FutureTask<Void> done = new FutureTask<>(this::commit, null);
    /** Segments [0, applied) are committed or needed no commit. */
    volatile int applied;

    Batch(TableId table, TableState state, List<Segment> segments, List<ColumnRename> pendingRenames,
        Map<StreamPartition, Long> floor, long bytes) {
      this.table = table;
      this.state = state;
      this.segments = segments;
      this.pendingRenames = pendingRenames;
      this.floor = floor;
      this.bytes = bytes;
    }

    /** The watermarks of a commit of the segments before {@code from}. */
    Map<StreamPartition, Long> watermarks(int from) {
      return below(new HashMap<>(floor), from);
    }

    /** Lowers {@code marks} (in place) to the first offset of segments {@code from} on, per partition. */
    Map<StreamPartition, Long> below(Map<StreamPartition, Long> marks, int from) {
      marks.replaceAll((p, w) -> {
        long first = Segment.firstOffset(segments, from, p);
        return first >= 0 && first < w ? first : w;
      });
      return marks;
    }

    /** The renames after segment {@code index - 1} in the log: those of later segments, then the pending ones. */
    List<ColumnRename> renamesAfter(int index) {
      List<ColumnRename> out = new ArrayList<>();
      for (Segment s : segments.subList(index, segments.size())) {
        if (s instanceof Segment.Renames renames) {
          out.addAll(renames.renames());
        }
      }
      out.addAll(pendingRenames);
      return out;
    }

    private void commit() {
      Map<StreamPartition, Long> pending = new HashMap<>();
      long maxSourceTs = 0;
      for (int i = 0; i < segments.size(); i++) {
        Segment segment = segments.get(i);
        segment.forEachNextOffset((p, o) -> pending.merge(p, o, Math::max));
        maxSourceTs = Math.max(maxSourceTs, segment.maxSourceTimestamp());
        boolean last = i == segments.size() - 1;
        boolean committed;
        if (segment instanceof Segment.Data data) {
          writeAndCommit(this, data, pending, i + 1, maxSourceTs);
          committed = true;
        } else if (segment instanceof Segment.Truncate truncate) {
          committed = truncate(this, truncate, pending, i + 1, maxSourceTs);
        } else {
          applyRenames(table, state, (Segment.Renames) segment);
          committed = false;
        }
        if (!committed && last && state.descriptor.isPresent()) {
          commitNothing(this, pending, i + 1, maxSourceTs);
          committed = true;
        }
        if (committed || last) {
          applied = i + 1;
          pending.clear();
          maxSourceTs = 0;
        }
      }
    }
  }

  private void writeAndCommit(
      Batch batch, Segment.Data data, Map<StreamPartition, Long> pending, int committedSegments, long maxSourceTs) {
    TableId table = batch.table;
    TableState state = batch.state;
    List<ColumnRename> later = batch.renamesAfter(committedSegments);
    long start = clock.getAsLong();
    Origin firstOrigin = data.changes().iterator().next().change().origin();
    TableDescriptor desc = ensureTable(table, state, data, firstOrigin);
    Map<String, String> renamed = renamesAlreadyApplied(desc.schema(), data.schema(), later);
    if (!renamed.isEmpty()) {
      LOG.info("{}: rows from {} precede renames {} that the table already has; writing them under the new names",
          table, firstOrigin, renamed);
    }
    StructType incoming = sink.storageSchema(renamed(data.schema(), renamed));
    SchemaChangePlan plan = comparator.compare(desc.schema(), incoming);
    if (!plan.isEmpty()) {
      EvolutionPolicy.Decision decision = policy.decide(plan);
      if (decision.action() == EvolutionPolicy.Action.FAIL) {
        throw new FatalException("Table " + table + ": " + decision.describeRejected() + " for the record at "
            + firstOrigin + ". Change the table by hand, or set tributary.schema.on-"
            + kindKey(decision.rejected()) + " to dead-letter or ignore.");
      }
      if (decision.action() == EvolutionPolicy.Action.DEAD_LETTER) {
        for (BufferedChange change : data.changes()) {
          deadLetterOrFail(new DeadLetter(change.rawRecord(), change.change().origin(), table,
              decision.describeRejected(), null));
        }
        commitResult(batch, sink.newWriter(table).complete(), pending, committedSegments, maxSourceTs, start,
            CommitStats.Kind.DATA);
        return;
      }
      if (!decision.toApply().isEmpty()) {
        desc = sink.evolve(table, new SchemaEvolution(decision.toApply(), firstOrigin, clock.getAsLong()));
        state.descriptor = Optional.of(desc);
        LOG.info("Evolved {}: {} (caused by {})", table, decision.toApply(), firstOrigin);
        listener.onSchemaEvolved(table, decision.toApply());
      }
    }
    Set<BufferedChange> rejected = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int attempt = 0; ; attempt++) {
      WriteResult result = write(table, data, rejected, renamed);
      try {
        commitResult(batch, result, pending, committedSegments, maxSourceTs, start, CommitStats.Kind.DATA);
        return;
      } catch (StaleWriteException e) {
        if (attempt >= commitRetries) {
          throw new RetryableException("Commit to " + table + " kept conflicting with concurrent writers after "
              + (attempt + 1) + " rewrites: " + e.getMessage() + ". Nothing was lost; restart to try again.", e);
        }
        LOG.warn("Rewriting the batch of {}: {}", table, e.getMessage());
      }
    }
  }

  /**
   * The renames, proven by DDL later in the buffer, whose old column the segment's rows still have while the
   * table already has only the new one: the table was renamed before a restart made the rows before the DDL
   * be read again, and those rows' values belong in the renamed column.
   */
  private static Map<String, String> renamesAlreadyApplied(StructType table, StructType rows, List<ColumnRename> later) {
    Map<String, String> out = new HashMap<>();
    for (ColumnRename r : later) {
      if (rows.indexOf(r.from()) >= 0 && rows.indexOf(r.to()) < 0
          && table.indexOf(r.to()) >= 0 && table.indexOf(r.from()) < 0 && !out.containsValue(r.to())) {
        out.putIfAbsent(r.from(), r.to());
      }
    }
    return out;
  }

  private static StructType renamed(StructType schema, Map<String, String> renames) {
    if (renames.isEmpty()) {
      return schema;
    }
    List<Field> fields = new ArrayList<>();
    for (Field f : schema.fields()) {
      fields.add(renames.containsKey(f.name()) ? f.withName(renames.get(f.name())) : f);
    }
    return StructType.of(fields);
  }

  private static Row renamed(Row row, Map<String, String> renames) {
    if (row == null || renames.isEmpty()) {
      return row;
    }
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return Row.wrap(renamed(row.schema(), renames), values);
  }

  /** Writes a segment's changes; a change that cannot be written is dead-lettered once and then left out. */
  private WriteResult write(TableId table, Segment.Data data, Set<BufferedChange> rejected,
      Map<String, String> renames) {
    TableWriter writer = sink.newWriter(table);
    try {
      for (BufferedChange change : data.changes()) {
        if (!rejected.isEmpty() && rejected.contains(change)) {
          // asked only once a record was rejected: an identity hash for every row of every batch is not free
          continue;
        }
        try {
          RowChange c = change.change();
          writer.write(renames.isEmpty() ? c
              : new RowChange(c.kind(), renamed(c.key(), renames), renamed(c.row(), renames), c.origin()));
        } catch (RecordException e) {
          rejected.add(change);
          deadLetterOrFail(new DeadLetter(change.rawRecord(), change.change().origin(), table, e.getMessage(), e));
        }
      }
      return writer.complete();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    }
  }

  private static String kindKey(List<SchemaChange> rejected) {
    return switch (rejected.get(0).kind()) {
      case ADD_COLUMN -> "add-column";
      case WIDEN_TYPE -> "widen-type";
      case MAKE_OPTIONAL -> "make-optional";
      case RENAME_COLUMN -> "rename";
      case INCOMPATIBLE -> "incompatible";
    };
  }

  private TableDescriptor ensureTable(TableId table, TableState state, Segment.Data data, Origin cause) {
    if (state.descriptor.isPresent()) {
      return state.descriptor.get();
    }
    TableDescriptor created = sink.create(table, sink.storageSchema(data.schema()), data.keyColumns());
    state.descriptor = Optional.of(created);
    LOG.info("Created table {} with key {} from the schema of the record at {}", table, created.keyColumns(), cause);
    listener.onTableCreated(table);
    return created;
  }

  private boolean truncate(
      Batch batch, Segment.Truncate truncate, Map<StreamPartition, Long> pending, int committedSegments,
      long maxSourceTs) {
    TableId table = batch.table;
    TableState state = batch.state;
    if (state.descriptor.isEmpty()) {
      LOG.info("Truncate of {} at {} before the table exists: nothing to delete", table, truncate.origin());
      return false;
    }
    long start = clock.getAsLong();
    CommitRequest request = request(batch, pending, committedSegments);
    withRetries(table, () -> sink.truncate(table, request));
    afterCommit(table, state, pending, new CommitStats(table, CommitStats.Kind.TRUNCATE, 0, 0, pending,
        clock.getAsLong() - start, maxSourceTs));
    return true;
  }

  private void applyRenames(TableId table, TableState state, Segment.Renames renames) {
    if (state.descriptor.isEmpty()) {
      return;
    }
    StructType current = state.descriptor.get().schema();
    List<SchemaChange> changes = new ArrayList<>();
    for (var rename : renames.renames()) {
      if (current.indexOf(rename.from()) >= 0 && current.indexOf(rename.to()) < 0) {
        changes.add(new SchemaChange.RenameColumn(List.of(rename.from()), rename.to(),
            SchemaChange.RenameColumn.Evidence.DDL));
      }
    }
    if (changes.isEmpty()) {
      return;
    }
    EvolutionPolicy.Decision decision = policy.decide(SchemaChangePlan.of(changes));
    if (decision.action() == EvolutionPolicy.Action.FAIL) {
      throw new FatalException("Table " + table + ": " + decision.describeRejected() + " for the DDL at "
          + renames.origin() + ". Set tributary.schema.on-rename to apply or ignore.");
    }
    if (!decision.toApply().isEmpty()) {
      TableDescriptor desc = sink.evolve(table,
          new SchemaEvolution(decision.toApply(), renames.origin(), clock.getAsLong()));
      state.descriptor = Optional.of(desc);
      LOG.info("Renamed columns of {}: {} (DDL at {})", table, decision.toApply(), renames.origin());
      listener.onSchemaEvolved(table, decision.toApply());
    }
  }

  private void commitNothing(
      Batch batch, Map<StreamPartition, Long> pending, int committedSegments, long maxSourceTs) {
    long start = clock.getAsLong();
    commitResult(batch, sink.newWriter(batch.table).complete(), pending, committedSegments, maxSourceTs, start,
        CommitStats.Kind.DATA);
  }

  private void commitResult(Batch batch, WriteResult result, Map<StreamPartition, Long> pending,
      int committedSegments, long maxSourceTs, long start, CommitStats.Kind kind) {
    TableId table = batch.table;
    CommitRequest request = request(batch, pending, committedSegments);
    withRetries(table, () -> sink.commit(table, result, request));
    afterCommit(table, batch.state, pending, new CommitStats(table, kind, result.rowCount(), result.deleteCount(),
        pending, clock.getAsLong() - start, maxSourceTs));
  }

  private void afterCommit(TableId table, TableState state, Map<StreamPartition, Long> pending, CommitStats stats) {
    pending.forEach((p, o) -> state.committed.merge(p, o, Math::max));
    LOG.info("Committed {}: {} rows, {} deletes{}, offsets {} in {} ms", table, stats.rows(), stats.deletes(),
        stats.kind() == CommitStats.Kind.TRUNCATE ? " (truncate)" : "", new TreeMap<>(pending),
        stats.durationMillis());
    listener.onCommitted(stats);
  }

  private CommitRequest request(Batch batch, Map<StreamPartition, Long> pending, int committedSegments) {
    return new CommitRequest(sinkId, token(batch.table, pending), pending, batch.watermarks(committedSegments));
  }

  /**
   * A token derived from the table and the offsets it commits: a commit retried after a lost response is
   * recognised as already done.
   */
  private static String token(TableId table, Map<StreamPartition, Long> offsets) {
    StringBuilder sb = new StringBuilder(table.toString());
    new TreeMap<>(offsets).forEach((p, o) -> sb.append('|').append(p).append('=').append(o));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return "offsets-" + HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }

  /**
   * Per partition, the offset below which every record consumed by this pipeline is committed in its table
   * or dead-lettered, not counting a batch being committed.
   */
  private Map<StreamPartition, Long> watermarks() {
    Map<StreamPartition, Long> result = new HashMap<>();
    for (Map.Entry<StreamPartition, Long> e : consumedNext.entrySet()) {
      long w = e.getValue();
      for (TableBuffer b : buffers.values()) {
        long first = b.firstOffset(e.getKey());
        if (first >= 0 && first < w) {
          w = first;
        }
      }
      result.put(e.getKey(), w);
    }
    return result;
  }

  /**
   * The watermarks now, below what a batch being committed (or whose commit failed) still holds: a consumer
   * may commit these as its group offsets, or seek to them to read again what is not committed.
   */
  public Map<StreamPartition, Long> safeOffsets() {
    Map<StreamPartition, Long> result = watermarks();
    Batch batch = inFlight;
    return batch == null ? result : batch.below(result, batch.applied);
  }

  private void withRetries(TableId table, Runnable commit) {
    long backoff = retryBackoffMs;
    for (int attempt = 0; ; attempt++) {
      try {
        commit.run();
        return;
      } catch (StaleWriteException e) {
        throw e;
      } catch (RetryableException e) {
        if (attempt >= commitRetries) {
          throw new RetryableException("Commit to " + table + " still failing after " + (attempt + 1)
              + " attempts: " + e.getMessage() + ". Nothing was lost; restart to try again.", e);
        }
        LOG.warn("Commit to {} failed ({}), retrying in {} ms", table, e.getMessage(), backoff);
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new RetryableException("Interrupted while retrying a commit to " + table, ie);
        }
        backoff = Math.min(backoff * 2, 10_000L);
      }
    }
  }

  private void deadLetterOrFail(DeadLetter letter) {
    if (tolerance == ErrorTolerance.NONE) {
      if (letter.cause() instanceof RecordException re) {
        throw re;
      }
      throw new RecordException(letter.reason(), letter.origin(), letter.table(), letter.cause());
    }
    LOG.warn("Dead-lettering the record at {}{}: {}", letter.origin(),
        letter.table() == null ? "" : " for table " + letter.table(), letter.reason());
    deadLetters.handle(letter);
    listener.onDeadLetter(letter);
  }

  // ---------------------------------------------------------------- offsets for consumers

  /**
   * Where a consumer should resume each partition: the highest watermark any table recorded for this sink id
   * (every record below it is in its table). Partitions no table knows are absent.
   */
  public Map<StreamPartition, Long> resumeOffsets(Collection<StreamPartition> partitions) {
    Map<StreamPartition, Long> result = new HashMap<>();
    for (TableId table : sink.listTables()) {
      CommittedState committed = sink.lastCommitted(table, sinkId);
      for (StreamPartition p : partitions) {
        Long w = committed.watermarks().get(p);
        if (w != null) {
          result.merge(p, w, Math::max);
        }
      }
    }
    return result;
  }

  /**
   * Forgets what is cached about the tables' committed offsets, so that they are read again: call after a
   * partition assignment, since another instance may have committed meanwhile.
   */
  public void refreshCommittedState() {
    for (Map.Entry<TableId, TableState> e : new ArrayList<>(tables.entrySet())) {
      TableBuffer buffer = buffers.get(e.getKey());
      if (buffer == null || buffer.isEmpty()) {
        tables.remove(e.getKey());
      }
    }
  }

  /**
   * Drops everything buffered without committing it, as after a crash: those records are read again from
   * the committed offsets.
   */
  public void discardBuffers() {
    settleInFlight();
    buffers.clear();
    bufferedBytes = 0;
    tables.clear();
    // what was consumed but not committed will be read again: watermarks must not run ahead of it
    consumedNext.clear();
  }

  /**
   * Waits for a batch being committed to succeed or fail, without throwing its failure: a commit must never
   * run behind a caller that reads its records again.
   */
  private void settleInFlight() {
    Batch batch = inFlight;
    if (batch == null) {
      return;
    }
    boolean interrupted = false;
    while (true) {
      try {
        batch.done.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        LOG.debug("Discarding after the failed commit of {}", batch.table, e.getCause());
        break;
      }
    }
    inFlight = null;
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes without committing: buffered records are read again by the next run. Call {@link #flushAll()} first. */
  @Override
  public void close() {
    discardBuffers();
    if (committer != null) {
      committer.shutdown();
    }
  }

  /** Builds an {@link IngestPipeline}; only the sink is required. */
  public static final class Builder {
    private TableSink sink;
    private String sinkId;
    private TableRouter router;
    private EvolutionPolicy policy;
    private DeadLetterHandler deadLetters;
    private PipelineListener listener;
    private LongSupplier clock;
    private Settings settings = Settings.empty();

    private Builder() {}

    public Builder sink(TableSink value) { this.sink = value; return this; }
    /** Overrides {@code tributary.sink.id}. */
    public Builder sinkId(String value) { this.sinkId = value; return this; }
    /** Overrides the {@link DefaultTableRouter} configured by {@code tributary.route.*}. */
    public Builder router(TableRouter value) { this.router = value; return this; }
    /** Overrides the policy configured by {@code tributary.schema.*}. */
    public Builder policy(EvolutionPolicy value) { this.policy = value; return this; }
    public Builder deadLetters(DeadLetterHandler value) { this.deadLetters = value; return this; }
    public Builder listener(PipelineListener value) { this.listener = value; return this; }
    /** The wall clock used for commit intervals; tests pass a fake one. */
    public Builder clock(LongSupplier value) { this.clock = value; return this; }
    public Builder settings(Settings value) { this.settings = Objects.requireNonNull(value); return this; }

    public IngestPipeline build() {
      return new IngestPipeline(this);
    }
  }
}
