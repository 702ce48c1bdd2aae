package io.tributary.core.sink;

import io.tributary.core.TableId;
import io.tributary.core.type.StructType;
import java.util.List;
import java.util.Objects;

/**
 * What the pipeline needs to know about an existing table: its schema in core types and its key columns
 * (empty for a table without a primary key, whose rows are identified by all their columns).
 */
public record TableDescriptor(TableId id, StructType schema, List<String> keyColumns) {
  public TableDescriptor {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(schema, "schema");
    keyColumns = keyColumns == null ? List.of() : List.copyOf(keyColumns);
  }

  public static TableDescriptor of(TableId id, StructType schema, List<String> keyColumns) {
    return new TableDescriptor(id, schema, keyColumns);
  }

  public boolean hasPrimaryKey() {
    return !keyColumns.isEmpty();
  }
}
