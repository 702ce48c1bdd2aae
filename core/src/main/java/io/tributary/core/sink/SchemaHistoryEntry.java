package io.tributary.core.sink;

import io.tributary.core.Origin;
import java.util.List;

/**
 * One schema evolution a sink applied to a table, as recorded in the table's own metadata: the format's
 * schema id it produced, when, the record that caused it (null when unknown) and the changes as text.
 */
public record SchemaHistoryEntry(long schemaId, long timestampMillis, Origin cause, List<String> changes) {
  public SchemaHistoryEntry {
    changes = List.copyOf(changes);
  }
}
