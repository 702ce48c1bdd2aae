package io.tributary.core;

import java.util.Map;
import java.util.Objects;

/**
 * Source metadata of a change: which connector saw it, in which database/schema/table, when, whether it
 * was read by a snapshot, and its position in the source log. {@code attributes} keeps the remaining
 * connector-specific fields (gtid, file, lsn, txId, ...) as text, in the order of the source block
 * ({@link SourceAttributes}, an immutable map).
 */
public record SourceInfo(
    String connector,
    String database,
    String schema,
    String table,
    long timestampMillis,
    boolean snapshot,
    SourcePosition position,
    Map<String, String> attributes) {

  public SourceInfo {
    attributes = SourceAttributes.copyOf(attributes == null ? Map.of() : attributes);
  }

  /** The namespace a source table belongs to: the schema when the source has one (PostgreSQL), else the database. */
  public String namespace() {
    return schema != null && !schema.isEmpty() ? schema : database;
  }

  public boolean hasTable() {
    return table != null && !table.isEmpty() && namespace() != null && !namespace().isEmpty();
  }

  /** A minimal source block for tests and for records that carry no source (only a table name). */
  public static SourceInfo ofTable(String database, String table) {
    Objects.requireNonNull(table, "table");
    return new SourceInfo(null, database, null, table, 0L, false, null, Map.of());
  }
}
