package io.tributary.iceberg;

import io.tributary.core.FatalException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.DictionaryChoice;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.SchemaHistoryEntry;
import io.tributary.core.sink.StaleWriteException;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.StructType;
import io.tributary.iceberg.io.LocalFileIO;
import io.tributary.iceberg.internal.CallerRunsExecutor;
import io.tributary.iceberg.internal.IcebergTableWriter;
import io.tributary.iceberg.internal.PartitionSpecParser;
import io.tributary.iceberg.internal.RecordConverter;
import io.tributary.iceberg.internal.SchemaEvolver;
import io.tributary.iceberg.internal.SnapshotMetadata;
import io.tributary.iceberg.internal.TypeMapping;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types.NestedField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TableSink} that writes Apache Iceberg tables through any Iceberg {@link Catalog} (AWS Glue, JDBC,
 * REST, Hadoop...): tables with identifier fields from the source key, schema evolution with v3 column
 * defaults, upserts and deletes as equality deletes, and commits that record the consumed offsets in the
 * snapshot summary. See {@code iceberg/README.md} for the type mapping and the summary properties.
 *
 * <pre>{@code
 * IcebergTableSink sink = IcebergTableSink.builder()
 *     .catalogProperties(Map.of("catalog-impl", "org.apache.iceberg.aws.glue.GlueCatalog",
 *         "warehouse", "s3://bucket/warehouse"))
 *     .settings(settings)
 *     .build();
 * }</pre>
 */
public final class IcebergTableSink implements TableSink, TableInspector {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergTableSink.class);
  /** Catalog name used when none is given. */
  public static final String DEFAULT_CATALOG_NAME = "tributary";
  /** Prefix of Iceberg catalog properties inside {@link Settings} ({@code tributary.iceberg.catalog.warehouse}). */
  public static final String CATALOG_PREFIX = IcebergSinkConfig.PREFIX + "catalog.";

  private final Catalog catalog;
  private final boolean ownsCatalog;
  private final IcebergSinkConfig config;
  private final TypeMapping mapping;
  private final SchemaEvolver evolver;
  private final Map<TableId, DictionaryChoice> dictionaries = new ConcurrentHashMap<>();
  /**
   * The tables each writing thread writes, loaded once and refreshed before each batch and commit: a refresh asks
   * the catalog for the current metadata location and reads the metadata file only when it changed, where a load
   * reads it every time. Per thread, because a {@link Table} is not meant to be refreshed and committed from
   * several threads at once, and pipelines sharing this sink commit on threads of their own.
   */
  private final ThreadLocal<Map<TableId, Table>> writing = ThreadLocal.withInitial(HashMap::new);

  private IcebergTableSink(Catalog catalog, boolean ownsCatalog, IcebergSinkConfig config) {
    this.catalog = catalog;
    this.ownsCatalog = ownsCatalog;
    this.config = config;
    this.mapping = new TypeMapping(config);
    this.evolver = new SchemaEvolver(mapping);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The catalog this sink writes through. */
  public Catalog catalog() {
    return catalog;
  }

  public IcebergSinkConfig config() {
    return config;
  }

  @Override
  public StructType storageSchema(StructType sourceSchema) {
    return mapping.storageSchema(sourceSchema);
  }

  @Override
  public Optional<TableDescriptor> describe(TableId table) {
    return loadIfExists(table).map(t -> descriptor(table, t));
  }

  private static TableDescriptor descriptor(TableId id, Table table) {
    Schema schema = table.schema();
    List<String> keys = new ArrayList<>();
    for (NestedField f : schema.columns()) {
      if (schema.identifierFieldIds().contains(f.fieldId())) {
        keys.add(f.name());
      }
    }
    return TableDescriptor.of(id, TypeMapping.toCore(schema), keys);
  }

  @Override
  public TableDescriptor create(TableId table, StructType schema, List<String> keyColumns) {
    Optional<Table> existing = loadIfExists(table);
    if (existing.isPresent()) {
      return descriptor(table, existing.get());
    }
    for (String key : keyColumns) {
      if (schema.field(key) == null) {
        throw new FatalException("table " + table + ": key column " + key + " is not among " + schema.fieldNames());
      }
    }
    Schema icebergSchema = mapping.toIcebergSchema(storageSchema(schema), new LinkedHashSet<>(keyColumns));
    PartitionSpec spec = PartitionSpecParser.parse(icebergSchema, config.partitionSpec());
    Map<String, String> properties = new HashMap<>(config.tableProperties());
    properties.put(TableProperties.FORMAT_VERSION, Integer.toString(config.formatVersion()));
    properties.putIfAbsent(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    createNamespaceIfMissing(table);
    try {
      Table created = catalog.buildTable(identifier(table), icebergSchema)
          .withPartitionSpec(spec)
          .withProperties(properties)
          .create();
      LOG.info("created Iceberg table {} (format v{}, key {}, partitioned by {})", table,
          config.formatVersion(), keyColumns, spec);
      return descriptor(table, created);
    } catch (RuntimeException e) {
      // another writer created it first: catalogs report that as AlreadyExistsException, or (JDBC over some
      // databases) as the SQL constraint violation, so look rather than trust the exception type
      return loadIfExists(table).map(t -> descriptor(table, t)).orElseThrow(() -> e);
    }
  }

  private void createNamespaceIfMissing(TableId table) {
    if (catalog instanceof SupportsNamespaces namespaces) {
      Namespace ns = namespace(table);
      if (!namespaces.namespaceExists(ns)) {
        try {
          namespaces.createNamespace(ns);
        } catch (RuntimeException e) {
          // created concurrently (see create): only a namespace that is still missing is an error
          if (!namespaces.namespaceExists(ns)) {
            throw e;
          }
        }
      }
    }
  }

  @Override
  public TableDescriptor evolve(TableId table, SchemaEvolution evolution) {
    int attempts = config.commitRetries() + 1;
    RuntimeException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      Table t = load(table);
      Transaction tx = evolver.stage(table, t, evolution);
      if (tx == null) {
        return descriptor(table, t);
      }
      try {
        tx.commitTransaction();
        return descriptor(table, load(table));
      } catch (CommitFailedException | CommitStateUnknownException | IllegalArgumentException
          | ValidationException e) {
        // a concurrent writer may have applied the same changes: the next round skips what the table has
        last = e;
        Table current = load(table);
        if (evolver.stage(table, current, evolution) == null) {
          return descriptor(table, current);
        }
        if (!(e instanceof CommitFailedException) && !(e instanceof CommitStateUnknownException)) {
          throw new FatalException("table " + table + ": cannot apply " + evolution.plan()
              + (evolution.cause() != null ? " (caused by " + evolution.cause() + ")" : "") + ": "
              + e.getMessage(), e);
        }
        LOG.info("table {}: schema commit lost a race (attempt {}), retrying: {}", table, attempt + 1,
            e.getMessage());
      }
    }
    throw new RetryableException("table " + table + ": schema update kept conflicting with concurrent commits",
        last);
  }

  @Override
  public TableWriter newWriter(TableId table) {
    DictionaryChoice dictionary = config.samplesDictionaries()
        ? dictionaries.computeIfAbsent(table, t -> DictionaryChoice.sampled())
        : DictionaryChoice.dictionariesEverywhere();
    return new IcebergTableWriter(table, refreshed(table), mapping, dictionary);
  }

  @Override
  public void commit(TableId table, WriteResult result, CommitRequest request) {
    if (!(result instanceof IcebergWriteResult files)) {
      throw new IllegalArgumentException("table " + table + ": not an Iceberg write result: " + result);
    }
    commitWithRetries(table, request, t -> {
      if (files.dataFiles().isEmpty() && files.deleteFiles().isEmpty()) {
        // nothing to write, but the offsets must advance: an empty append records them
        AppendFiles append = t.newAppend();
        return append;
      }
      RowDelta delta = t.newRowDelta();
      for (DataFile f : files.dataFiles()) {
        delta.addRows(f);
      }
      for (DeleteFile f : files.deleteFiles()) {
        delta.addDeletes(f);
      }
      if (files.conflictFilter() != null && files.readSnapshotId() != null) {
        // the batch used current values of these keys: a concurrent change of them invalidates it
        delta.validateFromSnapshot(files.readSnapshotId())
            .conflictDetectionFilter(files.conflictFilter())
            .validateNoConflictingDataFiles()
            .validateNoConflictingDeleteFiles();
      }
      return delta;
    }, "commit of " + files);
  }

  @Override
  public void truncate(TableId table, CommitRequest request) {
    commitWithRetries(table, request, t -> {
      // deleting by an always-true filter drops every data file and every delete file
      DeleteFiles delete = t.newDelete().deleteFromRowFilter(Expressions.alwaysTrue());
      return delete;
    }, "truncate");
  }

  private interface UpdateFactory {
    SnapshotUpdate<?> create(Table table);
  }

  private void commitWithRetries(TableId id, CommitRequest request, UpdateFactory factory, String what) {
    int attempts = config.commitRetries() + 1;
    RuntimeException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      Table table = refreshed(id);
      if (SnapshotMetadata.isCommitted(table, request.sinkId(), request.token())) {
        LOG.info("table {}: token {} of sink {} is already committed, skipping {}", id, request.token(),
            request.sinkId(), what);
        return;
      }
      SnapshotUpdate<?> update = factory.create(table);
      if (config.manifestWork() == IcebergSinkConfig.ManifestWork.COMMIT_THREAD) {
        update.scanManifestsWith(CallerRunsExecutor.INSTANCE);
        update.writeManifestsWith(CallerRunsExecutor.INSTANCE, 1);
      }
      SnapshotMetadata.record(update, table, request);
      try {
        update.commit();
        LOG.debug("table {}: committed {} with offsets {}", id, what, request.nextOffsets());
        return;
      } catch (CommitFailedException | CommitStateUnknownException e) {
        // Glue's ConcurrentModificationException also arrives as CommitFailedException
        last = e;
        LOG.info("table {}: {} failed (attempt {} of {}), refreshing: {}", id, what, attempt + 1, attempts,
            e.getMessage());
      } catch (ValidationException e) {
        throw new StaleWriteException("table " + id + ": a concurrent commit changed rows this batch read"
            + " (TOAST values or partitions of deleted keys); write the batch again: " + e.getMessage(), e);
      }
    }
    throw new RetryableException("table " + id + ": " + what + " kept conflicting with concurrent commits"
        + " after " + attempts + " attempts; retry later", last);
  }

  @Override
  public CommittedState lastCommitted(TableId table, String sinkId) {
    return loadIfExists(table)
        .map(t -> SnapshotMetadata.committedState(t, sinkId))
        .orElse(CommittedState.none());
  }

  @Override
  public List<TableId> listTables() {
    List<TableId> tables = new ArrayList<>();
    if (catalog instanceof SupportsNamespaces namespaces) {
      collect(namespaces, Namespace.empty(), tables);
    }
    return tables;
  }

  private void collect(SupportsNamespaces namespaces, Namespace parent, List<TableId> out) {
    for (Namespace ns : namespaces.listNamespaces(parent)) {
      for (TableIdentifier t : catalog.listTables(ns)) {
        out.add(TableId.of(String.join(".", t.namespace().levels()), t.name()));
      }
      collect(namespaces, ns, out);
    }
  }

  /** The evolution history Tributary recorded in the table's properties, oldest first; empty when none. */
  public List<SchemaHistoryEntry> schemaHistory(TableId table) {
    return loadIfExists(table).map(t -> SchemaEvolver.history(t.properties())).orElse(List.of());
  }

  /**
   * Every row of the table's current snapshot as core rows in canonical values of the
   * {@link #describe described} schema, for tools and tests that compare with ground truth.
   */
  public List<Row> read(TableId table) {
    Table t = load(table);
    StructType schema = TypeMapping.toCore(t.schema());
    List<Row> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(t).build()) {
      for (Record r : records) {
        rows.add(RecordConverter.toRow(r, schema));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading table " + table + " failed", e);
    }
    return rows;
  }

  /** The Iceberg table, for callers that need Iceberg's own API. */
  public Table loadTable(TableId table) {
    return load(table);
  }

  /** The calling thread's table object for writing, with the catalog's current metadata. */
  private Table refreshed(TableId id) {
    Map<TableId, Table> tables = writing.get();
    Table kept = tables.get(id);
    if (kept != null) {
      try {
        kept.refresh();
        return kept;
      } catch (NoSuchTableException e) {
        tables.remove(id);
        throw new FatalException("Iceberg table " + id + " does not exist", e);
      } catch (RuntimeException e) {
        // a refresh that failed half-way, or a table dropped and created again under its name (Iceberg refuses to
        // refresh to metadata of another table UUID): start again from a load, whose failure is the caller's
        tables.remove(id);
        LOG.info("table {}: refreshing failed ({}), loading it again", id, e.toString());
      }
    }
    Table loaded = load(id);
    tables.put(id, loaded);
    return loaded;
  }

  private Table load(TableId table) {
    try {
      return catalog.loadTable(identifier(table));
    } catch (NoSuchTableException e) {
      throw new FatalException("Iceberg table " + table + " does not exist", e);
    }
  }

  private Optional<Table> loadIfExists(TableId table) {
    try {
      return Optional.of(catalog.loadTable(identifier(table)));
    } catch (NoSuchTableException e) {
      return Optional.empty();
    }
  }

  private static Namespace namespace(TableId table) {
    return Namespace.of(table.namespace().split("\\."));
  }

  private static TableIdentifier identifier(TableId table) {
    return TableIdentifier.of(namespace(table), table.name());
  }

  @Override
  public void close() {
    if (ownsCatalog && catalog instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.warn("closing Iceberg catalog {} failed", catalog.name(), e);
      }
    }
  }

  /** Local warehouse catalog properties, for tools that open the same catalog with Iceberg directly. */
  public static Map<String, String> localWarehouseProperties(Path dir) {
    Path abs = dir.toAbsolutePath();
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.CATALOG_IMPL, "org.apache.iceberg.jdbc.JdbcCatalog");
    props.put(CatalogProperties.URI, "jdbc:sqlite:" + abs.resolve("catalog.db"));
    props.put("jdbc.schema-version", "V1");
    props.put(CatalogProperties.WAREHOUSE_LOCATION, abs.toUri().toString());
    props.put(CatalogProperties.FILE_IO_IMPL, LocalFileIO.class.getName());
    return props;
  }

  /**
   * Builds an {@link IcebergTableSink} over a given catalog, a catalog built from Iceberg catalog properties,
   * or an embedded local warehouse (a SQLite JDBC catalog and local files).
   */
  public static final class Builder {
    private Catalog catalog;
    private Map<String, String> catalogProperties;
    private Path localWarehouse;
    private String catalogName = DEFAULT_CATALOG_NAME;
    private Settings settings = Settings.empty();
    private Object hadoopConf;

    private Builder() {}

    /** Writes through this catalog; the sink does not close it. */
    public Builder catalog(Catalog value) {
      this.catalog = Objects.requireNonNull(value, "catalog");
      return this;
    }

    /**
     * Builds the catalog with {@link CatalogUtil#buildIcebergCatalog} from Iceberg's own catalog properties
     * ({@code catalog-impl} or {@code type}, {@code warehouse}, {@code uri}, {@code glue.*}, {@code s3.*},
     * {@code client.region}...).
     */
    public Builder catalogProperties(Map<String, String> properties) {
      this.catalogProperties = Map.copyOf(properties);
      return this;
    }

    /**
     * The embedded default: a JDBC catalog in {@code dir/catalog.db} (SQLite) with table files under
     * {@code dir}, written through Hadoop's local file system.
     */
    public Builder localWarehouse(Path dir) {
      this.localWarehouse = Objects.requireNonNull(dir, "dir");
      return this;
    }

    public Builder catalogName(String name) {
      this.catalogName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The {@code tributary.iceberg.*} settings ({@link IcebergSinkConfig}); when no catalog is given
     * otherwise, {@code tributary.iceberg.catalog.*} entries are the catalog properties.
     */
    public Builder settings(Settings value) {
      this.settings = Objects.requireNonNull(value, "settings");
      return this;
    }

    /** A Hadoop {@code Configuration} for catalogs and file IO that use one; a default one otherwise. */
    public Builder hadoopConf(Object conf) {
      this.hadoopConf = conf;
      return this;
    }

    public IcebergTableSink build() {
      IcebergSinkConfig config = IcebergSinkConfig.from(settings);
      int sources = (catalog != null ? 1 : 0) + (catalogProperties != null ? 1 : 0)
          + (localWarehouse != null ? 1 : 0);
      if (sources > 1) {
        throw new IllegalStateException("give only one of catalog, catalogProperties and localWarehouse");
      }
      if (catalog != null) {
        return new IcebergTableSink(catalog, false, config);
      }
      Map<String, String> props;
      if (catalogProperties != null) {
        props = catalogProperties;
      } else if (localWarehouse != null) {
        try {
          java.nio.file.Files.createDirectories(localWarehouse);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot create warehouse directory " + localWarehouse, e);
        }
        props = localWarehouseProperties(localWarehouse);
      } else {
        props = settings.withPrefix(CATALOG_PREFIX);
        if (props.isEmpty()) {
          throw new IllegalStateException("no Iceberg catalog: give catalog(), catalogProperties(),"
              + " localWarehouse() or " + CATALOG_PREFIX + "* settings");
        }
      }
      Object conf = hadoopConf != null ? hadoopConf : new Configuration();
      Catalog built = CatalogUtil.buildIcebergCatalog(catalogName, props, conf);
      return new IcebergTableSink(built, true, config);
    }
  }
}
