package io.tributary.core.schema;

/**
 * How column renames are recognised ({@code tributary.schema.rename-detection}). Debezium data events do not
 * mark renames: the old column disappears and the new one appears at the same position.
 */
public enum RenameDetection {
  /** Apply renames proven by DDL events (MySQL/MariaDB schema-change topic). The default. */
  DDL,
  /**
   * Also infer a rename when exactly one column vanished and exactly one appeared at the same position with
   * the same type. Needed for PostgreSQL, which emits no DDL events; wrong if a column was really dropped and
   * another of the same type added in its place.
   */
  INFERRED,
  /** Never rename: a renamed column becomes a new column and the old one is kept, null from then on. */
  OFF
}
