package io.tributary.cli;

import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.type.StructType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary show}: a table's current rows. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Print a table's current rows.")
final class ShowCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format { table, jsonl }

  @Spec CommandSpec spec;

  @Mixin TableOption table;

  @Option(names = "--format", description = "table or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "table")
  Format format;

  @Option(names = "--limit", paramLabel = "N", description = "Print at most N rows.")
  Integer limit;

  @Mixin SinkOptions sinkOptions;

  @Override
  public Integer call() {
    TableId id = table.id();
    PrintWriter out = spec.commandLine().getOut();
    try (SinkFactory.OpenSink open = sinkOptions.open()) {
      TableDescriptor desc = open.require(id);
      List<Row> rows = open.inspector().read(id);
      int n = limit == null ? rows.size() : Math.min(limit, rows.size());
      if (format == Format.jsonl) {
        for (int i = 0; i < n; i++) {
          out.println(RowJson.toJson(rows.get(i)));
        }
      } else {
        printTable(out, desc.schema(), rows.subList(0, n));
        out.printf("(%d of %d rows)%n", n, rows.size());
      }
      out.flush();
    }
    return 0;
  }

  private static void printTable(PrintWriter out, StructType schema, List<Row> rows) {
    int cols = schema.size();
    List<String[]> cells = new ArrayList<>();
    int[] widths = new int[cols];
    String[] header = schema.fieldNames().toArray(new String[0]);
    for (int c = 0; c < cols; c++) {
      widths[c] = header[c].length();
    }
    for (Row row : rows) {
      String[] line = new String[cols];
      for (int c = 0; c < cols; c++) {
        String text = RowJson.toText(schema.field(c).type(), row.get(c)).replace('\n', ' ');
        line[c] = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        widths[c] = Math.max(widths[c], line[c].length());
      }
      cells.add(line);
    }
    printLine(out, header, widths);
    String[] rule = new String[cols];
    for (int c = 0; c < cols; c++) {
      rule[c] = "-".repeat(widths[c]);
    }
    printLine(out, rule, widths);
    for (String[] line : cells) {
      printLine(out, line, widths);
    }
  }

  private static void printLine(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) {
        sb.append(" | ");
      }
      sb.append(cells[c]).append(" ".repeat(widths[c] - cells[c].length()));
    }
    out.println(sb.toString().stripTrailing());
  }
}
