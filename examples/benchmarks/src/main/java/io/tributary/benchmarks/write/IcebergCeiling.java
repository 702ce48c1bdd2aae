package io.tributary.benchmarks.write;

import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.iceberg.internal.CallerRunsExecutor;
import io.tributary.iceberg.internal.InternalRecordWriterFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.DeleteGranularity;
import org.apache.iceberg.io.BaseTaskWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.UnpartitionedWriter;
import org.apache.iceberg.io.WriteResult;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Iceberg's own writers on an unpartitioned table: Parquet data files of records in Iceberg's internal
 * representation, written by Iceberg's {@code InternalWriter} as Tributary's sink writes them (through the same
 * {@link InternalRecordWriterFactory}, which only configures Iceberg's writers with the table's properties),
 * committed with {@link AppendFiles} ({@link #append}), or an equality delta writer committed with
 * {@link RowDelta} ({@link #upsert}): every insert or update deletes its key by equality and writes the row, a
 * delete deletes its key, as Iceberg's Flink sink does in upsert mode. File format, codec, target file size
 * and format version are the table's, i.e. the ones Tributary's table was created with.
 */
public final class IcebergCeiling implements Ceiling<List<IcebergCeiling.Change>> {
  private final Table table;
  private final boolean upsert;
  private final Schema schema;
  private final Schema keySchema;
  private final int[] keyIds;
  private final long targetFileSize;

  /** One change of a batch: a row to upsert or append (with its key), or a key to delete. */
  public record Change(Record key, Record row) {}

  private IcebergCeiling(Table table, boolean upsert) {
    this.table = table;
    this.upsert = upsert;
    this.schema = table.schema();
    this.keySchema = schema.select("id");
    this.keyIds = new int[] {schema.findField("id").fieldId()};
    this.targetFileSize = PropertyUtil.propertyAsLong(table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
  }

  /** Appends rows: inserts only. */
  public static IcebergCeiling append(Table table) {
    return new IcebergCeiling(table, false);
  }

  /** Upserts and deletes by key with equality deletes. */
  public static IcebergCeiling upsert(Table table) {
    return new IcebergCeiling(table, true);
  }

  @Override
  public String name() {
    return upsert ? "ceiling-upsert" : "ceiling-append";
  }

  @Override
  public List<Change> prepare(List<Event> events) {
    List<Change> changes = new ArrayList<>(events.size());
    for (Event e : events) {
      if (e.op().equals("d")) {
        if (!upsert) {
          throw new IllegalArgumentException("an append ceiling cannot delete");
        }
        changes.add(new Change(CeilingRows.icebergKey(keySchema, e.before().id()), null));
      } else {
        if (!upsert && !e.op().equals("c")) {
          throw new IllegalArgumentException("an append ceiling takes inserts only, not " + e.op());
        }
        changes.add(new Change(CeilingRows.icebergKey(keySchema, e.after().id()),
            CeilingRows.icebergInternal(schema, e.after())));
      }
    }
    return changes;
  }

  @Override
  public void writeAndCommit(List<Change> batch) {
    InternalRecordWriterFactory factory = new InternalRecordWriterFactory(table, schema, keySchema, keyIds);
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime())
        .format(FileFormat.PARQUET)
        .build();
    try {
      if (upsert) {
        UpsertWriter writer = new UpsertWriter(factory, files);
        for (Change c : batch) {
          writer.delta.deleteKey(c.key());
          if (c.row() != null) {
            writer.delta.write(c.row());
          }
        }
        WriteResult result = writer.complete();
        RowDelta delta = table.newRowDelta();
        for (DataFile f : result.dataFiles()) {
          delta.addRows(f);
        }
        for (DeleteFile f : result.deleteFiles()) {
          delta.addDeletes(f);
        }
        onCommitThread(delta).commit();
      } else {
        UnpartitionedWriter<Record> writer = new UnpartitionedWriter<>(table.spec(), FileFormat.PARQUET,
            factory, files, table.io(), targetFileSize);
        for (Change c : batch) {
          writer.write(c.row());
        }
        AppendFiles append = table.newAppend();
        for (DataFile f : writer.complete().dataFiles()) {
          append.appendFile(f);
        }
        onCommitThread(append).commit();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs the commit's manifest work on this thread, as Tributary does by default: Iceberg's worker pool is waited
   * for by polling every 10 ms, which would make the ceiling slower than the format is.
   */
  private static <T extends SnapshotUpdate<T>> T onCommitThread(T update) {
    // a plain same-thread executor: nothing of Tributary's write path
    update.scanManifestsWith(CallerRunsExecutor.INSTANCE);
    return update.writeManifestsWith(CallerRunsExecutor.INSTANCE, 1);
  }

  /** An unpartitioned task writer with one equality delta writer. */
  private final class UpsertWriter extends BaseTaskWriter<Record> {
    private final Delta delta;

    UpsertWriter(InternalRecordWriterFactory factory, OutputFileFactory files) {
      super(PartitionSpec.unpartitioned(), FileFormat.PARQUET, factory, files, table.io(), targetFileSize,
          TableUtil.formatVersion(table) >= 3);
      this.delta = new Delta();
    }

    @Override
    public void write(Record row) throws IOException {
      delta.write(row);
    }

    @Override
    public void close() throws IOException {
      try {
        delta.close();
      } finally {
        // the base class owns the deletion-vector writer of format v3: closing it writes the position deletes
        super.close();
      }
    }

    private final class Delta extends BaseEqualityDeltaWriter {
      Delta() {
        super(null, schema, keySchema, DeleteGranularity.FILE, dvFileWriter());
      }

      @Override
      protected StructLike asStructLike(Record data) {
        return data;
      }

      @Override
      protected StructLike asStructLikeKey(Record key) {
        return key;
      }
    }
  }

  @Override
  public void close() {}
}
