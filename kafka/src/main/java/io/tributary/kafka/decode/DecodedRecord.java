package io.tributary.kafka.decode;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Origin;
import io.tributary.core.SchemaChangeEvent;
import java.util.List;
import java.util.Objects;

/**
 * What one Kafka record turned out to be: a row change, a schema change, a tombstone, or a record that
 * carries nothing to apply (heartbeat, transaction metadata). Every variant knows its {@link Origin}.
 */
public sealed interface DecodedRecord
    permits DecodedRecord.Change, DecodedRecord.SchemaChange, DecodedRecord.Tombstone, DecodedRecord.Skipped {

  /** Topic, partition and offset of the record. */
  Origin origin();

  /** A row-level change ({@code op} r, c, u, d or t). */
  record Change(ChangeEvent event) implements DecodedRecord {
    public Change {
      Objects.requireNonNull(event, "event");
    }

    @Override
    public Origin origin() {
      return event.origin();
    }
  }

  /**
   * A record of the schema-change topic. Debezium may describe several tables in one record
   * ({@code tableChanges} is a list), so this holds one {@link SchemaChangeEvent} per table change, in
   * record order; a statement without table changes ({@code SET}, {@code USE}, {@code CREATE DATABASE})
   * yields exactly one {@link SchemaChangeEvent.Kind#BOOKKEEPING} event without a table. Never empty.
   */
  record SchemaChange(List<SchemaChangeEvent> events, Origin origin) implements DecodedRecord {
    public SchemaChange {
      events = List.copyOf(events);
      if (events.isEmpty()) {
        throw new IllegalArgumentException("a schema change record holds at least one event");
      }
    }
  }

  /** A record with a null value: Debezium's tombstone after a delete, there for log compaction only. */
  record Tombstone(Origin origin) implements DecodedRecord {}

  /** A well-formed record that carries no change, such as a heartbeat or transaction metadata. */
  record Skipped(Origin origin, String reason) implements DecodedRecord {}
}
