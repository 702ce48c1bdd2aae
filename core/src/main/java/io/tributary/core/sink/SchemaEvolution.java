package io.tributary.core.sink;

import io.tributary.core.Origin;
import io.tributary.core.schema.SchemaChangePlan;
import java.util.Objects;

/**
 * A plan to apply to a table, with the record that caused it, so that sinks can keep an evolution history
 * (which change, from which topic/offset, when).
 */
public record SchemaEvolution(SchemaChangePlan plan, Origin cause, long timestampMillis) {
  public SchemaEvolution {
    Objects.requireNonNull(plan, "plan");
  }
}
