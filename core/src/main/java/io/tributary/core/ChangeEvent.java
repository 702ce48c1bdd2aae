package io.tributary.core;

import io.tributary.core.type.StructType;
import java.util.Objects;

/**
 * One row-level change decoded from a Debezium record: the operation, the key, the row images before and
 * after, the schema of the rows, the source metadata and the origin (topic, partition, offset).
 *
 * <p>For a primary-key change Debezium emits a delete of the old key and an insert of the new one; their
 * {@link #newKey()} and {@link #oldKey()} expose the {@code __debezium.newkey}/{@code __debezium.oldkey}
 * headers. Tables without a primary key have a null {@link #key()}.
 */
public final class ChangeEvent {
  private final Operation operation;
  private final Row key;
  private final Row before;
  private final Row after;
  private final StructType rowSchema;
  private final SourceInfo source;
  private final Origin origin;
  private final Row oldKey;
  private final Row newKey;

  private ChangeEvent(Builder b) {
    this.operation = Objects.requireNonNull(b.operation, "operation");
    this.key = b.key;
    this.before = b.before;
    this.after = b.after;
    this.rowSchema = b.rowSchema;
    this.source = b.source;
    this.origin = b.origin;
    this.oldKey = b.oldKey;
    this.newKey = b.newKey;
    if (operation.producesRow() && after == null) {
      throw new IllegalArgumentException(operation + " event without an 'after' row at " + origin);
    }
    if (operation == Operation.DELETE && before == null && key == null) {
      throw new IllegalArgumentException("delete event with neither key nor 'before' row at " + origin);
    }
    if (operation != Operation.TRUNCATE && rowSchema == null) {
      throw new IllegalArgumentException(operation + " event without a row schema at " + origin);
    }
  }

  public static Builder builder(Operation operation) {
    return new Builder(operation);
  }

  public Operation operation() {
    return operation;
  }

  /** The primary key as Debezium sent it, or null for a table without a primary key. */
  public Row key() {
    return key;
  }

  /** The row before the change; null for inserts, snapshot reads, and updates of sources that do not send it. */
  public Row before() {
    return before;
  }

  /** The row after the change; null for deletes and truncates. */
  public Row after() {
    return after;
  }

  /** The schema of {@link #before()} and {@link #after()}; null only for truncates. */
  public StructType rowSchema() {
    return rowSchema;
  }

  public SourceInfo source() {
    return source;
  }

  public Origin origin() {
    return origin;
  }

  /** On the insert half of a primary-key change: the key the row had before. */
  public Row oldKey() {
    return oldKey;
  }

  /** On the delete half of a primary-key change: the key the row has now. */
  public Row newKey() {
    return newKey;
  }

  /** The row image that identifies the changed row: {@code after} for upserts, else {@code before}. */
  public Row image() {
    return after != null ? after : before;
  }

  @Override
  public String toString() {
    return "ChangeEvent{" + operation + ", key=" + key + ", " + origin + "}";
  }

  /** Builds a {@link ChangeEvent}; decoders use one per record. */
  public static final class Builder {
    private final Operation operation;
    private Row key;
    private Row before;
    private Row after;
    private StructType rowSchema;
    private SourceInfo source;
    private Origin origin;
    private Row oldKey;
    private Row newKey;

    private Builder(Operation operation) {
      this.operation = operation;
    }

    public Builder key(Row value) { this.key = value; return this; }
    public Builder before(Row value) { this.before = value; return this; }
    public Builder after(Row value) { this.after = value; return this; }
    public Builder rowSchema(StructType value) { this.rowSchema = value; return this; }
    public Builder source(SourceInfo value) { this.source = value; return this; }
    public Builder origin(Origin value) { this.origin = value; return this; }
    public Builder oldKey(Row value) { this.oldKey = value; return this; }
    public Builder newKey(Row value) { this.newKey = value; return this; }

    public ChangeEvent build() {
      return new ChangeEvent(this);
    }
  }
}
