package io.tributary.cli;

import io.tributary.core.TableId;
import io.tributary.core.sink.SchemaHistoryEntry;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.type.Field;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary schema}: a table's schema and the evolutions Tributary applied. */
@Command(name = "schema", mixinStandardHelpOptions = true,
    description = "Print a table's schema and its evolution history (which change, caused by which record, when).")
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin TableOption table;

  @Mixin SinkOptions sinkOptions;

  @Override
  public Integer call() {
    TableId id = table.id();
    PrintWriter out = spec.commandLine().getOut();
    try (SinkFactory.OpenSink open = sinkOptions.open()) {
      TableDescriptor desc = open.require(id);
      out.printf("Table %s (%s)%n", id, open.format());
      out.printf("Key: %s%n", desc.keyColumns().isEmpty() ? "none (rows are matched by all columns)" : desc.keyColumns());
      for (Field f : desc.schema().fields()) {
        out.printf("  %-24s %-28s %s%s%n", f.name(), f.type(), f.isOptional() ? "null" : "not null",
            f.hasDefault() ? " default " + f.defaultValue() : "");
      }
      List<SchemaHistoryEntry> history = open.inspector().schemaHistory(id);
      out.printf("Evolution history (%d):%n", history.size());
      for (SchemaHistoryEntry e : history) {
        out.printf("  %s  schema %d  caused by %s%n", Instant.ofEpochMilli(e.timestampMillis()), e.schemaId(),
            e.cause() == null ? "unknown record" : e.cause());
        for (String change : e.changes()) {
          out.printf("      %s%n", change);
        }
      }
      out.flush();
    }
    return 0;
  }
}
