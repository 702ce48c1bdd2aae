package io.tributary.core.pipeline;

import io.tributary.core.ChangeEvent;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.TableId;
import java.util.Optional;

/**
 * Decides which table a change goes to. {@link DefaultTableRouter} covers the usual needs (source database
 * and table, topic-name fallback, regex rename, prefix/suffix); implement this for anything else.
 */
public interface TableRouter {

  /** The destination of a row change. */
  TableId route(ChangeEvent event);

  /** The destination of a DDL event, or empty when it concerns no table. */
  Optional<TableId> route(SchemaChangeEvent event);
}
