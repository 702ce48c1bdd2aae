package io.tributary.benchmarks.read;

import io.tributary.benchmarks.report.Harness;
import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.benchmarks.report.Measurement;
import io.tributary.benchmarks.report.ResultsFile;
import io.tributary.benchmarks.write.EventChunks;
import io.tributary.benchmarks.write.Format;
import io.tributary.benchmarks.write.Replay;
import io.tributary.benchmarks.write.WriteBenchmarks;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.iceberg.IcebergTableSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.util.PropertyUtil;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What equality deletes cost readers: the time of a full scan with Iceberg generics of a table Tributary wrote
 * with {@code --commits} upsert commits, against a scan of the same rows compacted into fresh data files
 * without deletes. Iceberg's rewrite actions need Spark or Flink, so the compacted copy is made the plain
 * way: every row read once and written into a new table with the same schema and properties.
 */
@Command(name = "read-benchmark", mixinStandardHelpOptions = true,
    description = "Full-scan time of an Iceberg table with equality deletes vs the same rows compacted.")
public final class ReadBenchmark implements Callable<Integer> {
  @Option(names = "--events", defaultValue = "200000", description = "update-50 events written (default ${DEFAULT-VALUE}).")
  long events;

  @Option(names = "--commits", defaultValue = "100", description = "Commits they are written in (default ${DEFAULT-VALUE}).")
  int commits;

  @Option(names = "--scans", defaultValue = "5", description = "Scans of each table; the median is reported (default ${DEFAULT-VALUE}).")
  int scans;

  @Option(names = "--out", defaultValue = "benchmark-results", description = "Results directory (default ${DEFAULT-VALUE}).")
  Path out;

  public static void main(String[] args) {
    Harness.run(new ReadBenchmark(), args);
  }

  @Override
  public Integer call() throws IOException {
    ResultsFile results = ResultsFile.forSuite("read");
    Path dir = Files.createTempDirectory("tributary-read-bench");
    int commitEvery = (int) Math.ceil((double) events / commits);
    try (IcebergTableSink sink = (IcebergTableSink) Format.ICEBERG.sink(dir, Replay.settings(commitEvery))) {
      try (Replay replay = new Replay(sink, Replay.settings(commitEvery), PipelineListener.none())) {
        EventChunks chunks = EventChunks.of(Workload.UPDATE_50);
        for (long done = 0; done < events; done += commitEvery) {
          chunks.next((int) Math.min(commitEvery, events - done)).forEach(replay::feed);
        }
        // nothing is timed while writing; finish() returns once every commit is visible, so the scans below
        // see the whole table even when the pipeline commits in the background
        replay.finish();
      }
      Table upserted = sink.loadTable(Replay.TABLE);
      Map<String, String> summary = upserted.currentSnapshot().summary();
      results.add("events", events, "events");
      results.add("commits", commits, "commits");
      results.add("upserted.data-files", Long.parseLong(summary.get("total-data-files")), "files");
      results.add("upserted.delete-files", Long.parseLong(summary.get("total-delete-files")), "files");
      results.add("upserted.equality-deletes", Long.parseLong(summary.get("total-equality-deletes")), "rows");

      long start = System.nanoTime();
      Table compacted = compactedCopy(sink, upserted);
      results.add("compaction", (System.nanoTime() - start) / 1e6, "ms");

      long[] rowsAndNanos = scan(upserted);
      long[] compactedRowsAndNanos = scan(compacted);
      if (rowsAndNanos[0] != compactedRowsAndNanos[0]) {
        throw new IllegalStateException("the compacted copy has " + compactedRowsAndNanos[0] + " rows, not "
            + rowsAndNanos[0]);
      }
      results.add("rows", rowsAndNanos[0], "rows");
      Measurement withDeletes = results.add("scan.with-equality-deletes", rowsAndNanos[1] / 1e6, "ms");
      Measurement fresh = results.add("scan.compacted", compactedRowsAndNanos[1] / 1e6, "ms");
      results.addRatio("scan.with-equality-deletes/compacted", withDeletes, fresh);
    } finally {
      WriteBenchmarks.deleteTree(dir);
    }
    results.writeTo(out.resolve("read.json"));
    return 0;
  }

  /** Rows read and the median nanoseconds of {@link #scans} full scans. */
  private long[] scan(Table table) throws IOException {
    long[] nanos = new long[scans];
    long rows = 0;
    for (int i = 0; i < scans; i++) {
      long start = System.nanoTime();
      rows = 0;
      try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
        for (Record ignored : records) {
          rows++;
        }
      }
      nanos[i] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return new long[] {rows, nanos[scans / 2]};
  }

  /** Every live row of {@code table} written once into a new table with the same schema and properties. */
  private static Table compactedCopy(IcebergTableSink sink, Table table) throws IOException {
    Schema schema = table.schema();
    Table copy = sink.catalog().createTable(TableIdentifier.of("inventory", "customers_compacted"), schema,
        table.spec(), table.properties());
    long targetSize = PropertyUtil.propertyAsLong(copy.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    GenericFileWriterFactory factory = new GenericFileWriterFactory.Builder(copy)
        .dataSchema(schema).dataFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files = OutputFileFactory.builderFor(copy, 1, 1).format(FileFormat.PARQUET).build();
    UnpartitionedWriter<Record> writer =
        new UnpartitionedWriter<>(copy.spec(), FileFormat.PARQUET, factory, files, copy.io(), targetSize);
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record read : records) {
        // a scan that applies position deletes adds _pos to its records: copy the table's columns only
        GenericRecord row = GenericRecord.create(schema);
        for (int i = 0; i < schema.columns().size(); i++) {
          row.set(i, read.get(i, Object.class));
        }
        writer.write(row);
      }
    } catch (IOException | RuntimeException e) {
      writer.abort();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
    AppendFiles append = copy.newAppend();
    for (DataFile f : writer.complete().dataFiles()) {
      append.appendFile(f);
    }
    append.commit();
    return copy;
  }
}
