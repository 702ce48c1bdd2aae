package io.tributary.iceberg;

import io.tributary.core.Origin;
import java.util.List;

/**
 * One schema evolution applied by Tributary to an Iceberg table, as recorded in the table's properties
 * ({@code tributary.schema-history.<sequence>}), for a CLI or an audit.
 *
 * @param sequence 1 for the first evolution of the table, then increasing
 * @param schemaId the Iceberg schema id the evolution produced
 * @param timestampMillis when the evolution was applied (the {@link io.tributary.core.sink.SchemaEvolution}'s time)
 * @param cause the record that caused it, or null when unknown
 * @param changes the applied changes, as text ({@code add loyalty int not null default 0 after name})
 */
public record SchemaHistoryEntry(
    int sequence, int schemaId, long timestampMillis, Origin cause, List<String> changes) {
  public SchemaHistoryEntry {
    changes = List.copyOf(changes);
  }
}
