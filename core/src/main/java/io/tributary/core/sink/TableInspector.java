package io.tributary.core.sink;

import io.tributary.core.Row;
import io.tributary.core.TableId;
import java.util.List;

/**
 * Read access to the tables a sink writes, in core terms, for tools (the CLI's {@code show} and
 * {@code schema}), tests and audits. Both built-in sinks implement it.
 */
public interface TableInspector {

  /** The table's current rows in canonical core values over {@link TableSink#describe} 's schema. */
  List<Row> read(TableId table);

  /** The schema evolutions Tributary applied to the table, oldest first. */
  List<SchemaHistoryEntry> schemaHistory(TableId table);
}
