package io.tributary.paimon.glue;

import io.tributary.paimon.glue.internal.HiveTypeNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.paimon.CoreOptions;
import org.apache.paimon.catalog.AbstractCatalog;
import org.apache.paimon.catalog.CatalogContext;
import org.apache.paimon.catalog.CatalogLoader;
import org.apache.paimon.catalog.Database;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.catalog.PropertyChange;
import org.apache.paimon.fs.FileIO;
import org.apache.paimon.fs.Path;
import org.apache.paimon.iceberg.IcebergOptions;
import org.apache.paimon.options.Options;
import org.apache.paimon.schema.Schema;
import org.apache.paimon.schema.SchemaChange;
import org.apache.paimon.schema.SchemaManager;
import org.apache.paimon.schema.TableSchema;
import org.apache.paimon.utils.Pair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.AlreadyExistsException;
import software.amazon.awssdk.services.glue.model.ConcurrentModificationException;
import software.amazon.awssdk.services.glue.model.DatabaseInput;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetDatabasesResponse;
import software.amazon.awssdk.services.glue.model.GetTablesResponse;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * A Paimon catalog whose databases and tables are registered in the AWS Glue Data Catalog: a Glue table marked
 * {@code table_type=PAIMON} holds the Paimon table's location, and its columns mirror the Paimon schema for
 * people and engines browsing Glue, while Paimon's own schema, snapshot and data files on the warehouse file system
 * stay the source of truth (as with Paimon's Hive catalog). Created by {@link GlueCatalogFactory} for
 * {@code metastore=glue}.
 */
public class GlueCatalog extends AbstractCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(GlueCatalog.class);

  /** Glue table parameter naming the table format. */
  public static final String TABLE_TYPE_PROP = "table_type";
  /** {@link #TABLE_TYPE_PROP} value of Paimon tables. */
  public static final String PAIMON_TABLE_TYPE = "PAIMON";
  /** {@link #TABLE_TYPE_PROP} value of the Iceberg tables mirroring Paimon tables with Iceberg metadata. */
  public static final String ICEBERG_TABLE_TYPE = "ICEBERG";
  /** Glue table parameter of Iceberg tables: the current metadata file. */
  public static final String METADATA_LOCATION_PROP = "metadata_location";
  /** Glue table parameter of Iceberg tables: the metadata file before the current one. */
  public static final String PREVIOUS_METADATA_LOCATION_PROP = "previous_metadata_location";

  // the classes of Paimon's Hive connector, so that Hive and Spark's Hive support read the table through Paimon
  private static final String INPUT_FORMAT = "org.apache.paimon.hive.mapred.PaimonInputFormat";
  private static final String OUTPUT_FORMAT = "org.apache.paimon.hive.mapred.PaimonOutputFormat";
  private static final String SERDE = "org.apache.paimon.hive.PaimonSerDe";
  private static final String STORAGE_HANDLER = "org.apache.paimon.hive.PaimonStorageHandler";
  private static final int UPDATE_ATTEMPTS = 5;

  private final GlueClient glue;
  private final String warehouse;
  private final String catalogId;
  private final boolean skipArchive;
  private final String icebergSuffix;

  /** A catalog over the given Glue client, which it closes on {@link #close()}. */
  public GlueCatalog(FileIO fileIO, String warehouse, CatalogContext context, GlueClient glue) {
    super(fileIO, context);
    this.glue = glue;
    this.warehouse = warehouse;
    Options options = context.options();
    this.catalogId = options.get(GlueCatalogOptions.GLUE_CATALOG_ID);
    this.skipArchive = options.get(GlueCatalogOptions.GLUE_SKIP_ARCHIVE);
    this.icebergSuffix = options.get(GlueCatalogOptions.ICEBERG_TABLE_SUFFIX);
  }

  @Override
  public String warehouse() {
    return warehouse;
  }

  @Override
  public CatalogLoader catalogLoader() {
    return new GlueCatalogLoader(context);
  }

  @Override
  public boolean caseSensitive() {
    // Glue stores database and table names in lower case
    return false;
  }

  @Override
  protected FileIO fileIO(Path path) {
    try {
      return FileIO.get(path, context);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------- databases

  @Override
  public List<String> listDatabases() {
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      GetDatabasesResponse page = glue.getDatabases(r -> r.catalogId(catalogId).nextToken(next));
      page.databaseList().forEach(d -> names.add(d.name()));
      token = page.nextToken();
    } while (token != null);
    return names;
  }

  @Override
  protected Database getDatabaseImpl(String name) throws DatabaseNotExistException {
    software.amazon.awssdk.services.glue.model.Database database;
    try {
      database = glue.getDatabase(r -> r.catalogId(catalogId).name(name)).database();
    } catch (EntityNotFoundException e) {
      throw new DatabaseNotExistException(name, e);
    }
    Map<String, String> options = new HashMap<>(database.parameters());
    if (database.locationUri() != null) {
      options.put(DB_LOCATION_PROP, database.locationUri());
    }
    return Database.of(name, options, database.description());
  }

  @Override
  protected void createDatabaseImpl(String name, Map<String, String> properties) {
    Map<String, String> parameters = new HashMap<>(properties);
    String comment = parameters.remove(COMMENT_PROP);
    String location = parameters.remove(DB_LOCATION_PROP);
    Path path = location == null ? newDatabasePath(name) : new Path(location);
    try {
      fileIO(path).checkOrMkdirs(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory " + path + " of database " + name, e);
    }
    glue.createDatabase(r -> r.catalogId(catalogId).databaseInput(DatabaseInput.builder()
        .name(name).description(comment).locationUri(path.toString()).parameters(parameters).build()));
    LOG.info("created Glue database {} at {}", name, path);
  }

  /**
   * Drops a database; Glue would delete every table in it, so a database still holding tables of other formats
   * (which this catalog neither lists nor drops with {@code cascade}) is refused as not empty.
   */
  @Override
  public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
      throws DatabaseNotExistException, DatabaseNotEmptyException {
    List<String> foreign = new ArrayList<>();
    try {
      String token = null;
      do {
        String next = token;
        GetTablesResponse page = glue.getTables(r -> r.catalogId(catalogId).databaseName(name).nextToken(next));
        page.tableList().stream().filter(t -> !isPaimonTable(t)).forEach(t -> foreign.add(t.name()));
        token = page.nextToken();
      } while (token != null);
    } catch (EntityNotFoundException e) {
      if (ignoreIfNotExists) {
        return;
      }
      throw new DatabaseNotExistException(name, e);
    }
    if (!foreign.isEmpty()) {
      LOG.warn("not dropping Glue database {}: it holds tables of other formats {}", name, foreign);
      throw new DatabaseNotEmptyException(name);
    }
    super.dropDatabase(name, ignoreIfNotExists, cascade);
  }

  @Override
  protected void dropDatabaseImpl(String name) {
    Path path = databasePath(name);
    glue.deleteDatabase(r -> r.catalogId(catalogId).name(name));
    if (path.toString().startsWith(warehouse)) {
      // a database directory of this warehouse is the catalog's; one placed elsewhere belongs to its owner
      fileIO(path).deleteDirectoryQuietly(path);
    }
  }

  @Override
  protected void alterDatabaseImpl(String name, List<PropertyChange> changes) throws DatabaseNotExistException {
    software.amazon.awssdk.services.glue.model.Database database;
    try {
      database = glue.getDatabase(r -> r.catalogId(catalogId).name(name)).database();
    } catch (EntityNotFoundException e) {
      throw new DatabaseNotExistException(name, e);
    }
    Pair<Map<String, String>, Set<String>> setAndRemove = PropertyChange.getSetPropertiesToRemoveKeys(changes);
    Map<String, String> parameters = new HashMap<>(database.parameters());
    String description = database.description();
    for (Map.Entry<String, String> set : setAndRemove.getLeft().entrySet()) {
      if (COMMENT_PROP.equals(set.getKey())) {
        description = set.getValue();
      } else {
        parameters.put(set.getKey(), set.getValue());
      }
    }
    for (String removed : setAndRemove.getRight()) {
      if (COMMENT_PROP.equals(removed)) {
        description = null;
      }
      parameters.remove(removed);
    }
    DatabaseInput input = DatabaseInput.builder().name(name).description(description)
        .locationUri(database.locationUri()).parameters(parameters).build();
    glue.updateDatabase(r -> r.catalogId(catalogId).name(name).databaseInput(input));
  }

  private Path databasePath(String name) {
    try {
      String location = glue.getDatabase(r -> r.catalogId(catalogId).name(name)).database().locationUri();
      return location == null ? newDatabasePath(name) : new Path(location);
    } catch (EntityNotFoundException e) {
      return newDatabasePath(name);
    }
  }

  // ---------------------------------------------------------------------------------------------- tables

  @Override
  protected List<String> listTablesImpl(String databaseName) {
    List<String> names = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      GetTablesResponse page = glue.getTables(r -> r.catalogId(catalogId).databaseName(databaseName).nextToken(next));
      page.tableList().stream().filter(GlueCatalog::isPaimonTable).forEach(t -> names.add(t.name()));
      token = page.nextToken();
    } while (token != null);
    return names;
  }

  @Override
  public Path getTableLocation(Identifier identifier) {
    Optional<Table> table = glueTable(identifier.getDatabaseName(), identifier.getTableName());
    if (table.isPresent() && table.get().storageDescriptor() != null
        && table.get().storageDescriptor().location() != null) {
      return new Path(table.get().storageDescriptor().location());
    }
    return new Path(databasePath(identifier.getDatabaseName()), identifier.getTableName());
  }

  @Override
  protected TableSchema loadTableSchema(Identifier identifier) throws TableNotExistException {
    Table table = glueTable(identifier.getDatabaseName(), identifier.getTableName())
        .filter(GlueCatalog::isPaimonTable)
        .orElseThrow(() -> new TableNotExistException(identifier));
    Path location = new Path(table.storageDescriptor().location());
    return tableSchemaInFileSystem(location, identifier.getBranchNameOrDefault())
        .orElseThrow(() -> new TableNotExistException(identifier));
  }

  @Override
  protected void createTableImpl(Identifier identifier, Schema schema) {
    Path location = getTableLocation(identifier);
    Schema withCallback = withIcebergCallback(schema);
    TableSchema tableSchema;
    try {
      tableSchema = new SchemaManager(fileIO(location), location).createTable(withCallback);
    } catch (Exception e) {
      throw new RuntimeException("cannot write the schema of " + identifier.getFullName() + " at " + location, e);
    }
    try {
      glue.createTable(r -> r.catalogId(catalogId).databaseName(identifier.getDatabaseName())
          .tableInput(paimonTableInput(identifier.getTableName(), location, tableSchema)));
    } catch (RuntimeException e) {
      // the Glue table is what makes the table exist; without it the schema files are garbage
      fileIO(location).deleteDirectoryQuietly(location);
      throw new RuntimeException("cannot register " + identifier.getFullName() + " in Glue", e);
    }
    LOG.info("created Paimon table {} at {} in Glue", identifier.getFullName(), location);
  }

  @Override
  protected void dropTableImpl(Identifier identifier, List<Path> externalPaths) {
    Path location = getTableLocation(identifier);
    Map<String, String> options = tableSchemaInFileSystem(location, identifier.getBranchNameOrDefault())
        .map(TableSchema::options).orElse(Map.of());
    glue.deleteTable(r -> r.catalogId(catalogId).databaseName(identifier.getDatabaseName())
        .name(identifier.getTableName()));
    deleteIcebergTable(icebergTableName(identifier, options));
    FileIO io = fileIO(location);
    io.deleteDirectoryQuietly(location);
    for (Path external : externalPaths) {
      io.deleteDirectoryQuietly(external);
    }
  }

  /** Deletes the Glue Iceberg table mirroring a Paimon table, if there is one and it is an Iceberg table. */
  private void deleteIcebergTable(Identifier iceberg) {
    Optional<Table> table = glueTable(iceberg.getDatabaseName(), iceberg.getTableName());
    if (table.isPresent() && ICEBERG_TABLE_TYPE.equalsIgnoreCase(table.get().parameters().get(TABLE_TYPE_PROP))) {
      try {
        glue.deleteTable(r -> r.catalogId(catalogId).databaseName(iceberg.getDatabaseName())
            .name(iceberg.getTableName()));
      } catch (EntityNotFoundException e) {
        // dropped concurrently
      }
    }
  }

  @Override
  protected void renameTableImpl(Identifier from, Identifier to) {
    // Glue cannot rename: register the same location under the new name, then remove the old entry
    Table table = glueTable(from.getDatabaseName(), from.getTableName())
        .orElseThrow(() -> new IllegalStateException("Glue table " + from.getFullName() + " vanished"));
    TableInput input = inputOf(table).toBuilder().name(to.getTableName()).build();
    glue.createTable(r -> r.catalogId(catalogId).databaseName(to.getDatabaseName()).tableInput(input));
    glue.deleteTable(r -> r.catalogId(catalogId).databaseName(from.getDatabaseName()).name(from.getTableName()));
    // the Iceberg table of the old name would go stale; the next commit registers one under the new name
    Path location = new Path(table.storageDescriptor().location());
    Map<String, String> options = tableSchemaInFileSystem(location, from.getBranchNameOrDefault())
        .map(TableSchema::options).orElse(Map.of());
    deleteIcebergTable(icebergTableName(from, options));
  }

  @Override
  protected void alterTableImpl(Identifier identifier, List<SchemaChange> changes)
      throws TableNotExistException, ColumnAlreadyExistException, ColumnNotExistException {
    Path location = getTableLocation(identifier);
    SchemaManager schemas = new SchemaManager(fileIO(location), location, identifier.getBranchNameOrDefault());
    TableSchema schema = schemas.commitChanges(changes);
    if (needsIcebergCallback(schema.options())) {
      schema = schemas.commitChanges(List.of(SchemaChange.setOption(CoreOptions.COMMIT_CALLBACKS.key(),
          callbacksWithIceberg(schema.options().get(CoreOptions.COMMIT_CALLBACKS.key())))));
    }
    mirrorColumns(identifier, location, schema);
  }

  /** Rewrites the Glue table's columns from the schema, retrying when another writer updated the table between. */
  private void mirrorColumns(Identifier identifier, Path location, TableSchema schema) throws TableNotExistException {
    for (int attempt = 1; ; attempt++) {
      Table table = glueTable(identifier.getDatabaseName(), identifier.getTableName())
          .orElseThrow(() -> new TableNotExistException(identifier));
      TableInput input = paimonTableInput(identifier.getTableName(), location, schema).toBuilder()
          .description(table.description()).build();
      try {
        glue.updateTable(r -> r.catalogId(catalogId).databaseName(identifier.getDatabaseName())
            .tableInput(input).versionId(table.versionId()).skipArchive(skipArchive));
        return;
      } catch (ConcurrentModificationException e) {
        if (attempt >= UPDATE_ATTEMPTS) {
          throw e;
        }
        LOG.debug("Glue table {} changed concurrently, mirroring its columns again", identifier.getFullName());
      }
    }
  }

  private TableInput paimonTableInput(String name, Path location, TableSchema schema) {
    Set<String> partitionKeys = new HashSet<>(schema.partitionKeys());
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put(TABLE_TYPE_PROP, PAIMON_TABLE_TYPE);
    parameters.put("storage_handler", STORAGE_HANDLER);
    parameters.put("EXTERNAL", "TRUE");
    List<software.amazon.awssdk.services.glue.model.Column> partitionColumns = new ArrayList<>();
    schema.fields().stream().filter(f -> partitionKeys.contains(f.name()))
        .forEach(f -> partitionColumns.add(HiveTypeNames.column(f)));
    return TableInput.builder()
        .name(name)
        .description(schema.comment())
        .tableType("EXTERNAL_TABLE")
        .parameters(parameters)
        .partitionKeys(partitionColumns)
        .storageDescriptor(StorageDescriptor.builder()
            .location(location.toString())
            .columns(HiveTypeNames.columns(schema.fields(), partitionKeys))
            .inputFormat(INPUT_FORMAT)
            .outputFormat(OUTPUT_FORMAT)
            .serdeInfo(SerDeInfo.builder().serializationLibrary(SERDE).build())
            .build())
        .build();
  }

  // ---------------------------------------------------------------------------------------------- Iceberg

  private static boolean icebergEnabled(Map<String, String> options) {
    return Options.fromMap(options).get(IcebergOptions.METADATA_ICEBERG_STORAGE)
        != IcebergOptions.StorageType.DISABLED;
  }

  private static boolean needsIcebergCallback(Map<String, String> options) {
    String callbacks = options.get(CoreOptions.COMMIT_CALLBACKS.key());
    return icebergEnabled(options)
        && (callbacks == null || !List.of(callbacks.split(",")).contains(GlueIcebergCommitCallback.class.getName()));
  }

  private static String callbacksWithIceberg(String callbacks) {
    String ours = GlueIcebergCommitCallback.class.getName();
    return callbacks == null || callbacks.isBlank() ? ours : callbacks + "," + ours;
  }

  /** Adds the callback that registers Iceberg metadata in Glue to a table that writes Iceberg metadata. */
  private static Schema withIcebergCallback(Schema schema) {
    if (!needsIcebergCallback(schema.options())) {
      return schema;
    }
    Map<String, String> options = new HashMap<>(schema.options());
    options.put(CoreOptions.COMMIT_CALLBACKS.key(), callbacksWithIceberg(options.get(CoreOptions.COMMIT_CALLBACKS.key())));
    return new Schema(schema.fields(), schema.partitionKeys(), schema.primaryKeys(), options, schema.comment());
  }

  /**
   * The Glue identifier of the Iceberg table mirroring a Paimon table: Paimon's {@code metadata.iceberg.database}
   * and {@code metadata.iceberg.table} options when set, else the same database and the name with
   * {@code glue.iceberg-table-suffix}.
   */
  Identifier icebergTableName(Identifier paimon, Map<String, String> tableOptions) {
    Options options = Options.fromMap(tableOptions);
    String database = options.get(IcebergOptions.METASTORE_DATABASE);
    String table = options.get(IcebergOptions.METASTORE_TABLE);
    return Identifier.create(database == null ? paimon.getDatabaseName() : database,
        table == null ? paimon.getTableName() + icebergSuffix : table);
  }

  /**
   * Points the Glue Iceberg table of a Paimon table at a new metadata file, creating the Glue table on the first
   * call. The update is conditional on the Glue table's version, and a metadata file older than the current one
   * (a late callback of an earlier commit) never replaces it.
   */
  void commitIcebergMetadata(Identifier paimon, Map<String, String> tableOptions, Path tableLocation,
      List<org.apache.paimon.types.DataField> fields, Path metadata, long version) {
    Identifier iceberg = icebergTableName(paimon, tableOptions);
    for (int attempt = 1; ; attempt++) {
      Optional<Table> existing = glueTable(iceberg.getDatabaseName(), iceberg.getTableName());
      try {
        if (existing.isEmpty()) {
          glue.createTable(r -> r.catalogId(catalogId).databaseName(iceberg.getDatabaseName())
              .tableInput(icebergTableInput(iceberg.getTableName(), tableLocation, fields, metadata, null)));
          LOG.info("registered Iceberg metadata {} of Paimon table {} as Glue table {}", metadata,
              paimon.getFullName(), iceberg.getFullName());
          return;
        }
        Table table = existing.get();
        Map<String, String> parameters = table.parameters();
        if (!ICEBERG_TABLE_TYPE.equalsIgnoreCase(parameters.get(TABLE_TYPE_PROP))) {
          throw new IllegalStateException("Glue table " + iceberg.getFullName() + " is not an Iceberg table ("
              + TABLE_TYPE_PROP + "=" + parameters.get(TABLE_TYPE_PROP) + "); not registering the Iceberg metadata of "
              + paimon.getFullName() + " there");
        }
        String current = parameters.get(METADATA_LOCATION_PROP);
        if (current != null && metadataVersion(current) >= version) {
          return;
        }
        glue.updateTable(r -> r.catalogId(catalogId).databaseName(iceberg.getDatabaseName())
            .tableInput(icebergTableInput(iceberg.getTableName(), tableLocation, fields, metadata, current))
            .versionId(table.versionId()).skipArchive(skipArchive));
        LOG.debug("Glue table {} now at Iceberg metadata {}", iceberg.getFullName(), metadata);
        return;
      } catch (ConcurrentModificationException | AlreadyExistsException e) {
        if (attempt >= UPDATE_ATTEMPTS) {
          throw new IllegalStateException("cannot register Iceberg metadata " + metadata + " of "
              + paimon.getFullName() + " in Glue after " + attempt + " attempts", e);
        }
      }
    }
  }

  /** The version number of a Paimon-written Iceberg metadata file ({@code v<snapshot-id>.metadata.json}). */
  static long metadataVersion(String location) {
    String name = location.substring(location.lastIndexOf('/') + 1);
    if (name.startsWith("v") && name.endsWith(".metadata.json")) {
      try {
        return Long.parseLong(name.substring(1, name.length() - ".metadata.json".length()));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  private static TableInput icebergTableInput(String name, Path location, List<org.apache.paimon.types.DataField> fields,
      Path metadata, String previous) {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put(TABLE_TYPE_PROP, ICEBERG_TABLE_TYPE);
    parameters.put(METADATA_LOCATION_PROP, metadata.toString());
    if (previous != null) {
      parameters.put(PREVIOUS_METADATA_LOCATION_PROP, previous);
    }
    parameters.put("EXTERNAL", "TRUE");
    return TableInput.builder()
        .name(name)
        .tableType("EXTERNAL_TABLE")
        .parameters(parameters)
        .storageDescriptor(StorageDescriptor.builder()
            .location(location.toString())
            .columns(HiveTypeNames.columns(fields, Set.of()))
            .build())
        .build();
  }

  // ---------------------------------------------------------------------------------------------- Glue access

  private Optional<Table> glueTable(String database, String name) {
    try {
      return Optional.of(glue.getTable(r -> r.catalogId(catalogId).databaseName(database).name(name)).table());
    } catch (EntityNotFoundException e) {
      return Optional.empty();
    }
  }

  private static boolean isPaimonTable(Table table) {
    return table.parameters() != null && PAIMON_TABLE_TYPE.equalsIgnoreCase(table.parameters().get(TABLE_TYPE_PROP));
  }

  private static TableInput inputOf(Table table) {
    return TableInput.builder()
        .name(table.name())
        .description(table.description())
        .owner(table.owner())
        .tableType(table.tableType())
        .parameters(table.parameters())
        .partitionKeys(table.partitionKeys())
        .storageDescriptor(table.storageDescriptor())
        .build();
  }

  @Override
  public void close() throws Exception {
    glue.close();
  }
}
