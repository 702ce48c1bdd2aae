package io.tributary.cli;

import io.tributary.core.TableId;
import io.tributary.core.pipeline.PipelineMetrics;
import java.io.PrintWriter;
import java.util.Map;

/** Prints what a replay or run did, per table. */
final class Summary {
  private Summary() {}

  static void print(PrintWriter out, PipelineMetrics metrics, long records, double seconds,
      SinkFactory.OpenSink sink) {
    out.printf("Replayed %,d records in %.1f s (%,.0f records/s) into %s at %s%n",
        records, seconds, seconds > 0 ? records / seconds : 0.0, sink.format(), sink.location());
    out.printf("%-32s %8s %10s %9s %8s %9s %8s %7s%n",
        "table", "created", "events", "skipped", "rows", "deletes", "schema", "dead");
    for (Map.Entry<TableId, PipelineMetrics.TableCounters> e : metrics.tables().entrySet()) {
      PipelineMetrics.TableCounters c = e.getValue();
      out.printf("%-32s %8s %10d %9d %8d %9d %8d %7d%n", e.getKey(), c.created() ? "yes" : "no", c.events(),
          c.skipped(), c.rows(), c.deletes(), c.schemaChanges(), c.deadLetters());
    }
    out.printf("Tables created: %d, rows written: %d, deletes: %d, truncates: %d, schema changes applied: %d,"
            + " dead letters: %d%n",
        metrics.tables().values().stream().filter(PipelineMetrics.TableCounters::created).count(),
        metrics.tables().values().stream().mapToLong(PipelineMetrics.TableCounters::rows).sum(),
        metrics.tables().values().stream().mapToLong(PipelineMetrics.TableCounters::deletes).sum(),
        metrics.tables().values().stream().mapToLong(PipelineMetrics.TableCounters::truncates).sum(),
        metrics.tables().values().stream().mapToLong(PipelineMetrics.TableCounters::schemaChanges).sum(),
        metrics.totalDeadLetters());
    out.flush();
  }
}
