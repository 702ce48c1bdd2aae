package io.tributary.core.testing;

import io.tributary.core.ChangeEvent;
import io.tributary.core.ColumnRename;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.SourceInfo;
import io.tributary.core.SourcePosition;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds change events for tests, shaped like what the Debezium decoders produce: one topic per table
 * ({@code server.db.table}), source blocks naming database and table, increasing positions.
 */
public final class Events {
  private final String database;
  private final String table;
  private final String topic;
  private final List<String> keyColumns;
  private int partition;
  private long nextOffset;

  private Events(String database, String table, List<String> keyColumns) {
    this.database = database;
    this.table = table;
    this.topic = "server." + database + "." + table;
    this.keyColumns = keyColumns;
  }

  /** Events of {@code database.table} whose key is {@code keyColumns} (none: a table without a key). */
  public static Events of(String database, String table, String... keyColumns) {
    return new Events(database, table, Arrays.asList(keyColumns));
  }

  public Events partition(int value) {
    this.partition = value;
    return this;
  }

  public Events offset(long value) {
    this.nextOffset = value;
    return this;
  }

  public String topic() {
    return topic;
  }

  public long nextOffset() {
    return nextOffset;
  }

  public static Row row(StructType schema, Object... values) {
    return Row.of(schema, values);
  }

  public ChangeEvent insert(Row after) {
    return event(Operation.INSERT, null, after);
  }

  public ChangeEvent read(Row after) {
    return event(Operation.READ, null, after);
  }

  public ChangeEvent update(Row before, Row after) {
    return event(Operation.UPDATE, before, after);
  }

  public ChangeEvent delete(Row before) {
    return event(Operation.DELETE, before, null);
  }

  public ChangeEvent truncate() {
    long offset = nextOffset++;
    return ChangeEvent.builder(Operation.TRUNCATE).source(source(offset)).origin(Origin.of(topic, partition, offset)).build();
  }

  /**
   * A DDL event on the schema-change topic renaming columns of this table, at the source position between
   * the last change made so far and the next one.
   */
  public SchemaChangeEvent rename(String schemaTopic, long offset, String from, String to) {
    SourceInfo source = new SourceInfo("mysql", database, null, table, 1_700_000_000_000L + nextOffset, false,
        SourcePosition.of("ddl before " + nextOffset, 1, nextOffset - 1, 1), Map.of());
    return new SchemaChangeEvent(SchemaChangeEvent.Kind.ALTER, database, null, table,
        "ALTER TABLE " + table + " RENAME COLUMN " + from + " TO " + to, null, keyColumns,
        List.of(ColumnRename.of(from, to)), source, Origin.of(schemaTopic, 0, offset));
  }

  private ChangeEvent event(Operation op, Row before, Row after) {
    long offset = nextOffset++;
    Row image = after != null ? after : before;
    return ChangeEvent.builder(op)
        .key(keyOf(image))
        .before(before)
        .after(after)
        .rowSchema(image.schema())
        .source(source(offset))
        .origin(Origin.of(topic, partition, offset))
        .build();
  }

  private SourceInfo source(long offset) {
    return new SourceInfo("mysql", database, null, table, 1_700_000_000_000L + offset, false,
        SourcePosition.of("pos " + offset, 1, offset), Map.of());
  }

  private Row keyOf(Row image) {
    if (keyColumns.isEmpty()) {
      return null;
    }
    Field[] fields = new Field[keyColumns.size()];
    Object[] values = new Object[keyColumns.size()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = image.schema().field(keyColumns.get(i));
      values[i] = image.get(keyColumns.get(i));
    }
    return Row.of(StructType.of(fields), values);
  }
}
