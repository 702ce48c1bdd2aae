package io.tributary.paimon;

import io.tributary.core.Origin;
import java.util.List;

/**
 * One applied schema evolution of a Paimon table, as recorded in its table options: the changes, the record
 * that caused them (null when unknown), when, and the Paimon schema id it produced.
 */
public record SchemaHistoryEntry(long schemaId, List<String> changes, Origin cause, long timestampMillis) {
  public SchemaHistoryEntry {
    changes = List.copyOf(changes);
  }
}
