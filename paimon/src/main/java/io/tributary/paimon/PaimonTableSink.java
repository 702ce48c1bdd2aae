package io.tributary.paimon;

import io.tributary.core.FatalException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.DictionaryChoice;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.SchemaHistoryEntry;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.paimon.internal.CommitProperties;
import io.tributary.paimon.internal.PaimonTableWriter;
import io.tributary.paimon.internal.ParquetEncodings;
import io.tributary.paimon.internal.PaimonWriteResult;
import io.tributary.paimon.internal.SchemaEvolver;
import io.tributary.paimon.internal.TableModel;
import io.tributary.paimon.internal.TableReads;
import io.tributary.paimon.internal.TypeMapping;
import io.tributary.paimon.internal.WriterPool;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.paimon.Snapshot;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogFactory;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.manifest.ManifestCommittable;
import org.apache.paimon.options.Options;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.Table;
import org.apache.paimon.table.sink.TableCommitImpl;
import org.apache.paimon.types.DataTypes;
import org.apache.paimon.utils.SnapshotManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TableSink} that writes Apache Paimon primary-key tables through any Paimon catalog (filesystem by
 * default; JDBC, Hive and REST options pass through unchanged). Commits record the consumed offsets in the
 * Paimon snapshot's properties, atomically with the data. See the module README for types and design.
 */
public final class PaimonTableSink implements TableSink, TableInspector {
  private static final Logger LOG = LoggerFactory.getLogger(PaimonTableSink.class);

  /**
   * Catalog options set unless given. Manifest files are immutable, so caching every one of them (not only
   * those under Paimon's 1 MB default) spares commits and writer restores re-reading them from storage.
   */
  static final Map<String, String> DEFAULT_CATALOG_OPTIONS =
      Map.of("cache-enabled", "true", "cache.manifest.small-file-threshold", "16 mb");

  private final Catalog catalog;
  private final boolean ownsCatalog;
  private final PaimonSinkConfig config;
  private final AtomicLong writeIdentifier = new AtomicLong();
  private final WriterPool writers = new WriterPool();
  private final Map<TableId, DictionaryChoice> dictionaries = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Seen> seenStates = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<TableId, Committer> committers = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A table's commit object, kept between batches: creating one per commit (from a freshly loaded table) set
   * up its manifest writers every time, which the write benchmarks measured at most of the commit's CPU time.
   * It is only reused for the same commit user and table schema.
   */
  private record Committer(String user, long schemaId, TableCommitImpl commit) {}

  private PaimonTableSink(Catalog catalog, boolean ownsCatalog, PaimonSinkConfig config) {
    this.catalog = catalog;
    this.ownsCatalog = ownsCatalog;
    this.config = config;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Paimon catalog this sink uses. */
  public Catalog catalog() {
    return catalog;
  }

  @Override
  public StructType storageSchema(StructType sourceSchema) {
    return TypeMapping.storageSchema(sourceSchema);
  }

  @Override
  public Optional<TableDescriptor> describe(TableId table) {
    return model(table).map(m -> TableDescriptor.of(table, m.schema(), m.keyColumns()));
  }

  @Override
  public TableDescriptor create(TableId table, StructType schema, List<String> keyColumns) {
    Optional<TableDescriptor> existing = describe(table);
    if (existing.isPresent()) {
      return existing.get();
    }
    StructType storage = storageSchema(schema);
    Schema.Builder builder = Schema.newBuilder();
    Map<String, String> options = new HashMap<>(config.tableOptions());
    options.putIfAbsent("bucket", Integer.toString(config.bucket()));
    // lets an added NOT NULL DEFAULT column become NOT NULL once its default is written into old rows
    options.putIfAbsent(SchemaEvolver.NULL_TO_NOT_NULL_DISABLED, "false");
    for (Field f : storage.fields()) {
      builder.column(f.name(), TypeMapping.toPaimon(f.type(), f.isOptional()), f.doc());
      SchemaEvolver.defaultOptions(f, f.name(), options);
    }
    List<String> primaryKey = new ArrayList<>(keyColumns);
    if (keyColumns.isEmpty()) {
      builder.column(TableModel.ROW_KEY_COLUMN, DataTypes.STRING().notNull(),
          "Tributary row key: hash of the row's values, for tables without a primary key");
      primaryKey.add(TableModel.ROW_KEY_COLUMN);
    }
    for (String k : keyColumns) {
      if (storage.indexOf(k) < 0) {
        throw new FatalException("key column " + k + " of " + table + " is not in its schema " + schema);
      }
    }
    builder.primaryKey(primaryKey);
    List<String> partitions = config.partitionKeys();
    if (!partitions.isEmpty()) {
      if (primaryKey.containsAll(partitions)) {
        builder.partitionKeys(partitions);
      } else {
        LOG.warn("not partitioning {} by {}: Paimon needs partition columns in the primary key {}",
            table, partitions, primaryKey);
      }
    }
    builder.options(options);
    try {
      try {
        catalog.createDatabase(table.namespace(), true);
      } catch (Catalog.DatabaseAlreadyExistException e) {
        // created concurrently
      }
      catalog.createTable(identifier(table), builder.build(), true);
    } catch (Catalog.DatabaseNotExistException | Catalog.TableAlreadyExistException e) {
      throw new RetryableException("cannot create Paimon table " + table + ": " + e.getMessage(), e);
    }
    LOG.info("created Paimon table {} with key {} and {} buckets", table, keyColumns, options.get("bucket"));
    return describe(table).orElseThrow(() -> new RetryableException("table " + table + " vanished after create"));
  }

  @Override
  public TableDescriptor evolve(TableId table, SchemaEvolution evolution) {
    model(table).orElseThrow(() -> new FatalException("cannot evolve missing table " + table));
    writers.invalidate(table);
    dropCommitter(table);
    SchemaEvolver.apply(catalog, identifier(table),
        () -> model(table).orElseThrow(() -> new FatalException("Paimon table " + table + " vanished")), evolution);
    SchemaEvolver.backfill(catalog, identifier(table), table, model(table).orElseThrow());
    return describe(table).orElseThrow();
  }

  /** The evolutions applied to a table by this library, oldest first. */
  public List<SchemaHistoryEntry> schemaHistory(TableId table) {
    return model(table).map(m -> SchemaEvolver.history(m.table().options())).orElse(List.of());
  }

  @Override
  public TableWriter newWriter(TableId table) {
    TableModel model = model(table).orElseThrow(() -> new FatalException("cannot write missing table " + table));
    if (model.table().options().containsKey(TableModel.BACKFILL_PENDING)) {
      SchemaEvolver.backfill(catalog, identifier(table), table, model); // an evolution was interrupted before its defaults were written
      model = model(table).orElseThrow();
    }
    DictionaryChoice dictionary = DictionaryChoice.dictionariesEverywhere();
    Map<String, String> writeOptions = Map.of();
    if (config.samplesDictionaries()) {
      dictionary = dictionaries.computeIfAbsent(table, t -> DictionaryChoice.sampled());
      writeOptions = ParquetEncodings.withoutDictionary(model, dictionary.plainColumns());
    }
    WriterPool.Entry entry = writers.acquire(table, model, config.commitUserPrefix(), writeOptions);
    return new PaimonTableWriter(table, model, config.writerReuse() ? writers : null, entry,
        writeIdentifier.incrementAndGet(), dictionary.newSample());
  }

  @Override
  public void commit(TableId table, WriteResult result, CommitRequest request) {
    if (!(result instanceof PaimonWriteResult paimon)) {
      throw new IllegalArgumentException("not a Paimon write result: " + result);
    }
    if (!paimon.tableId().equals(table)) {
      throw new IllegalArgumentException("write result of " + paimon.tableId() + " committed to " + table);
    }
    FileStoreTable t = load(table);
    if (commitInternal(table, t, request, new ArrayList<>(paimon.messages()), false)) {
      writers.committed(table, paimon.writerSession(), paimon.sequence(), t, commitUser(request.sinkId()));
    }
  }

  @Override
  public void truncate(TableId table, CommitRequest request) {
    writers.invalidate(table);
    dropCommitter(table);
    commitInternal(table, load(table), request, new ArrayList<>(), true);
  }

  /** Commits unless the request was committed before; returns whether its write may be reused (it committed whole). */
  private boolean commitInternal(
      TableId table, FileStoreTable t, CommitRequest request, List<org.apache.paimon.table.sink.CommitMessage> messages,
      boolean overwrite) {
    CommittedState state = lastCommitted(t, request.sinkId());
    if (request.token() != null && request.token().equals(state.lastToken())) {
      LOG.info("skipping commit to {}: token {} of sink {} is already committed", table, request.token(),
          request.sinkId());
      return false;
    }
    if (CommitProperties.covered(state, request)) {
      LOG.info("skipping commit to {}: offsets {} of sink {} are already committed", table,
          request.nextOffsets(), request.sinkId());
      return false;
    }
    String user = commitUser(request.sinkId());
    long identifier = nextIdentifier(t.snapshotManager(), user, request.token());
    ManifestCommittable committable = new ManifestCommittable(
        identifier, null, messages, CommitProperties.merged(state, request));
    if (overwrite) {
      try (TableCommitImpl commit = t.newCommit(user).ignoreEmptyCommit(false)) {
        commit.withOverwrite(Map.of()).commitMultiple(List.of(committable), false);
      } catch (RuntimeException e) {
        throw new RetryableException("cannot commit to Paimon table " + table + " (sink " + request.sinkId()
            + ", token " + request.token() + "): " + e.getMessage(), e);
      } catch (Exception e) {
        throw new RetryableException("cannot close the Paimon commit of " + table + ": " + e.getMessage(), e);
      }
    } else {
      Committer committer = committer(table, t, user);
      try {
        synchronized (committer) {
          committer.commit().filterAndCommitMultiple(List.of(committable));
        }
      } catch (RuntimeException e) {
        // a commit object in an unknown state is not reused
        dropCommitter(table);
        if (request.token() != null && request.token().equals(lastCommitted(load(table), request.sinkId()).lastToken())) {
          // Paimon commits the new files and their compaction as two snapshots; the first (with our token) is
          // in, only the compaction conflicted (another write compacted the same files first): the data is
          // committed, the compaction's output is left unreferenced. The write saw files that are gone, so it is
          // not reused (false).
          LOG.warn("commit to {} (token {}) is in, but its compaction was not: {}", table, request.token(),
              String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
          return false;
        }
        throw new RetryableException("cannot commit to Paimon table " + table + " (sink " + request.sinkId()
            + ", token " + request.token() + "): " + e.getMessage(), e);
      }
    }
    LOG.debug("committed {} to {} as {} #{}", overwrite ? "truncate" : messages.size() + " messages", table,
        user, identifier);
    return true;
  }

  private Committer committer(TableId table, FileStoreTable t, String user) {
    long schemaId = t.schema().id();
    Committer cached = committers.get(table);
    if (cached != null && cached.user().equals(user) && cached.schemaId() == schemaId) {
      return cached;
    }
    Committer fresh = new Committer(user, schemaId, t.newCommit(user).ignoreEmptyCommit(false));
    Committer previous = committers.put(table, fresh);
    if (previous != null) {
      closeQuietly(previous);
    }
    return fresh;
  }

  private void dropCommitter(TableId table) {
    Committer c = committers.remove(table);
    if (c != null) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Committer c) {
    try {
      c.commit().close();
    } catch (Exception e) {
      LOG.debug("closing a Paimon commit", e);
    }
  }

  /**
   * The Paimon commit identifier: a numeric token (Flink checkpoint id, Spark batch id) is used as is when it
   * is above the last one of this commit user, so that Paimon's own filter recognises a replayed result;
   * otherwise the next number.
   */
  private static long nextIdentifier(SnapshotManager snapshots, String user, String token) {
    long last = snapshots.latestSnapshotOfUser(user).map(Snapshot::commitIdentifier).orElse(0L);
    if (token != null) {
      try {
        long numeric = Long.parseLong(token);
        if (numeric > last) {
          return numeric;
        }
      } catch (NumberFormatException e) {
        // not numeric: fall through
      }
    }
    return last + 1;
  }

  private String commitUser(String sinkId) {
    return config.commitUserPrefix() + "-" + sinkId;
  }

  @Override
  public CommittedState lastCommitted(TableId table, String sinkId) {
    Optional<TableModel> model = model(table);
    return model.isEmpty() ? CommittedState.none() : lastCommitted(model.get().table(), sinkId);
  }

  /**
   * Walks the snapshots back from the latest to the first one holding this sink's properties. What was found
   * is remembered with its snapshot id, so that the next walk stops there instead of at the earliest snapshot.
   */
  private CommittedState lastCommitted(FileStoreTable t, String sinkId) {
    SnapshotManager snapshots = t.snapshotManager();
    Long latest = snapshots.latestSnapshotId();
    Long earliest = snapshots.earliestSnapshotId();
    if (latest == null) {
      return CommittedState.none();
    }
    String cacheKey = t.uuid() + "\n" + sinkId;
    Seen seen = seenStates.get(cacheKey);
    long first = earliest == null ? 1 : earliest;
    CommittedState found = null;
    long foundAt = latest;
    for (long id = latest; id >= first; id--) {
      if (seen != null && id == seen.snapshotId()) {
        found = seen.state();
        break;
      }
      Snapshot s;
      try {
        s = snapshots.tryGetSnapshot(id);
      } catch (FileNotFoundException e) {
        break; // expired concurrently
      }
      if (CommitProperties.has(s.properties(), sinkId)) {
        found = CommitProperties.parse(s.properties(), sinkId);
        break;
      }
    }
    if (found == null) {
      found = CommittedState.none();
    }
    seenStates.put(cacheKey, new Seen(foundAt, found));
    return found;
  }

  /** The committed state of a sink as of a snapshot (not necessarily the one that recorded it). */
  private record Seen(long snapshotId, CommittedState state) {}

  @Override
  public List<TableId> listTables() {
    List<TableId> out = new ArrayList<>();
    try {
      for (String db : catalog.listDatabases()) {
        for (String name : catalog.listTables(db)) {
          out.add(TableId.of(db, name));
        }
      }
    } catch (Catalog.DatabaseNotExistException e) {
      throw new RetryableException("database vanished while listing Paimon tables: " + e.getMessage(), e);
    }
    return out;
  }

  /** The current rows of a table, in core canonical values over {@link #describe}'s schema. */
  public List<Row> read(TableId table) {
    TableModel model = model(table).orElseThrow(() -> new FatalException("no Paimon table " + table));
    return TableReads.read(model, null).stream().map(TableReads.ReadRow::row).toList();
  }

  @Override
  public void close() {
    writers.close();
    for (TableId table : committers.keySet()) {
      dropCommitter(table);
    }
    if (ownsCatalog) {
      try {
        catalog.close();
      } catch (Exception e) {
        LOG.warn("closing the Paimon catalog", e);
      }
    }
  }

  private Optional<TableModel> model(TableId table) {
    try {
      Table t = catalog.getTable(identifier(table));
      if (!(t instanceof FileStoreTable fs)) {
        throw new FatalException("Paimon table " + table + " is a " + t.getClass().getSimpleName()
            + ", not a file store table");
      }
      return Optional.of(TableModel.of(fs));
    } catch (Catalog.TableNotExistException e) {
      return Optional.empty();
    }
  }

  private FileStoreTable load(TableId table) {
    return model(table).orElseThrow(() -> new FatalException("no Paimon table " + table)).table();
  }

  static Identifier identifier(TableId table) {
    return Identifier.create(table.namespace(), table.name());
  }

  /** Builds a {@link PaimonTableSink} over a catalog, catalog options or a local warehouse directory. */
  public static final class Builder {
    private Catalog catalog;
    private Map<String, String> catalogOptions;
    private Settings settings = Settings.empty();

    private Builder() {}

    /** Uses this catalog; the caller keeps ownership and closes it. */
    public Builder catalog(Catalog existing) {
      this.catalog = Objects.requireNonNull(existing, "catalog");
      return this;
    }

    /** Creates a catalog from Paimon's own options ({@code metastore}, {@code warehouse}, {@code uri}, ...). */
    public Builder catalogOptions(Map<String, String> options) {
      this.catalogOptions = Map.copyOf(options);
      return this;
    }

    /** An embedded filesystem catalog whose warehouse is this directory. */
    public Builder localWarehouse(Path dir) {
      this.catalogOptions = Map.of("metastore", "filesystem", "warehouse", dir.toAbsolutePath().toUri().toString());
      return this;
    }

    /** {@code tributary.paimon.*} settings, see {@link PaimonSinkConfig}. */
    public Builder settings(Settings value) {
      this.settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    public PaimonTableSink build() {
      PaimonSinkConfig config = PaimonSinkConfig.from(settings);
      if (catalog != null) {
        return new PaimonTableSink(catalog, false, config);
      }
      if (catalogOptions == null) {
        throw new IllegalStateException("set a catalog, catalog options or a local warehouse");
      }
      Map<String, String> options = new HashMap<>(DEFAULT_CATALOG_OPTIONS);
      options.putAll(catalogOptions);
      return new PaimonTableSink(
          CatalogFactory.createCatalog(CatalogContext.create(Options.fromMap(options))), true, config);
    }
  }
}
