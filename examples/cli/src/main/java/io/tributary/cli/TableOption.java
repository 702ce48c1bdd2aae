package io.tributary.cli;

import io.tributary.core.TableId;
import picocli.CommandLine.Option;

/** The {@code --table NAMESPACE.TABLE} option of the commands that look at one table. */
final class TableOption {
  @Option(names = "--table", required = true, paramLabel = "NAMESPACE.TABLE", description = "The table.")
  String table;

  TableId id() {
    return TableId.parse(table);
  }
}
