package io.tributary.iceberg.internal;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.DeleteGranularity;
import org.apache.iceberg.io.BaseTaskWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * A task writer with one equality delta writer per partition: inserts go to data files, deletes of rows
 * written by this task become position deletes (deletion vectors in format version 3), all other deletes
 * equality deletes on the delete schema's columns. Records hold Iceberg's internal representation, so
 * partitions and keys are computed on them as they are.
 */
final class DeltaTaskWriter extends BaseTaskWriter<Record> {
  private final Schema schema;
  private final Schema deleteSchema;
  private final PartitionKey partitionKey;
  private final Map<PartitionKey, PartitionDeltaWriter> writers = new HashMap<>();
  private PartitionDeltaWriter unpartitioned;

  DeltaTaskWriter(
      PartitionSpec spec,
      FileWriterFactory<Record> writerFactory,
      OutputFileFactory fileFactory,
      FileIO io,
      long targetFileSize,
      boolean useDv,
      Schema schema,
      Schema deleteSchema) {
    super(spec, FileFormat.PARQUET, writerFactory, fileFactory, io, targetFileSize, useDv);
    this.schema = schema;
    this.deleteSchema = deleteSchema;
    this.partitionKey = spec.isUnpartitioned() ? null : new PartitionKey(spec, schema);
  }

  /** The partition of a full-schema record; the returned key is reused by the next call. */
  PartitionKey partitionOf(Record record) {
    if (partitionKey == null) {
      return null;
    }
    partitionKey.partition(record);
    return partitionKey;
  }

  /** The delta writer of a partition (null: unpartitioned). */
  PartitionDeltaWriter writerFor(PartitionKey partition) {
    if (partition == null) {
      if (unpartitioned == null) {
        unpartitioned = new PartitionDeltaWriter(null);
      }
      return unpartitioned;
    }
    PartitionDeltaWriter writer = writers.get(partition);
    if (writer == null) {
      PartitionKey copy = partition.copy();
      writer = new PartitionDeltaWriter(copy);
      writers.put(copy, writer);
    }
    return writer;
  }

  @Override
  public void write(Record row) throws IOException {
    writerFor(partitionOf(row)).write(row);
  }

  @Override
  public void close() throws IOException {
    try {
      if (unpartitioned != null) {
        unpartitioned.close();
        unpartitioned = null;
      }
      for (PartitionDeltaWriter w : writers.values()) {
        w.close();
      }
      writers.clear();
    } finally {
      super.close();
    }
  }

  /** Equality delta writer of one partition. */
  final class PartitionDeltaWriter extends BaseEqualityDeltaWriter {
    PartitionDeltaWriter(PartitionKey partition) {
      super(partition, schema, deleteSchema, DeleteGranularity.FILE, dvFileWriter());
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
