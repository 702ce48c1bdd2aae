package io.tributary.core;

import io.tributary.core.type.StructType;
import java.util.List;
import java.util.Objects;

/**
 * A DDL event from the source's schema-change stream (MySQL/MariaDB {@code topic.prefix} topic): the DDL
 * text, the kind of change, the table's complete new column list when the source provides one, and any
 * column renames the DDL proves.
 */
public record SchemaChangeEvent(
    Kind kind,
    String database,
    String schema,
    String table,
    String ddl,
    StructType columns,
    List<String> primaryKey,
    List<ColumnRename> renames,
    SourceInfo source,
    Origin origin) {

  /** What the DDL did to the table. */
  public enum Kind {
    CREATE,
    ALTER,
    DROP,
    /**
     * Statements a connector records for its own schema history and that must not be applied: the
     * snapshot's {@code DROP TABLE IF EXISTS}, {@code DROP DATABASE IF EXISTS}, {@code SET}, {@code USE}.
     */
    BOOKKEEPING
  }

  public SchemaChangeEvent {
    Objects.requireNonNull(kind, "kind");
    primaryKey = primaryKey == null ? List.of() : List.copyOf(primaryKey);
    renames = renames == null ? List.of() : List.copyOf(renames);
  }

  /** The namespace of the table: the schema when given, else the database. */
  public String namespace() {
    return schema != null && !schema.isEmpty() ? schema : database;
  }

  public boolean hasTable() {
    return table != null && !table.isEmpty();
  }
}
