package io.tributary.iceberg.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.InternalWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.EncryptedOutputFile;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileWriterFactory;
import org.apache.iceberg.parquet.Parquet;

/**
 * Parquet data and equality-delete writers of records in Iceberg's internal representation (Iceberg's
 * {@link InternalWriter}), with the table's write properties, metrics settings and sort order. Position
 * deletes carry no row, so they go through Iceberg's generic factory. Only Iceberg's writers are involved, so
 * the write benchmark's ceilings use it too.
 */
public final class InternalRecordWriterFactory implements FileWriterFactory<Record> {
  /** Parquet's global dictionary switch ({@code ParquetOutputFormat.ENABLE_DICTIONARY}), read for delete files too. */
  private static final String PARQUET_DICTIONARY = "parquet.enable.dictionary";

  private final Table table;
  private final Schema dataSchema;
  private final Schema deleteSchema;
  private final int[] equalityFieldIds;
  private final MetricsConfig metrics;
  private final FileWriterFactory<Record> positionDeletes;
  private final Set<String> plainColumns;
  private final boolean plainDeletes;

  /** Writers of {@code table}; equality deletes hold {@code deleteSchema}'s columns, keyed by the given fields. */
  public InternalRecordWriterFactory(Table table, Schema dataSchema, Schema deleteSchema, int[] equalityFieldIds) {
    this(table, dataSchema, deleteSchema, equalityFieldIds, Set.of());
  }

  /**
   * Writers as above that write the given top-level columns without a Parquet dictionary, unless the table's
   * properties choose their encoding; equality deletes have no dictionary when all their columns are among them.
   */
  public InternalRecordWriterFactory(Table table, Schema dataSchema, Schema deleteSchema, int[] equalityFieldIds,
      Set<String> plainColumns) {
    this.table = table;
    this.dataSchema = dataSchema;
    this.deleteSchema = deleteSchema;
    this.equalityFieldIds = equalityFieldIds.clone();
    this.metrics = MetricsConfig.forTable(table);
    this.positionDeletes = new GenericFileWriterFactory.Builder(table)
        .dataSchema(dataSchema)
        .deleteFileFormat(FileFormat.PARQUET)
        .build();
    Map<String, String> properties = table.properties();
    Set<String> plain = new HashSet<>();
    for (String column : plainColumns) {
      if (dataSchema.findField(column) != null
          && !properties.containsKey(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + column)) {
        plain.add(column);
      }
    }
    this.plainColumns = Set.copyOf(plain);
    this.plainDeletes = !properties.containsKey(PARQUET_DICTIONARY)
        && deleteSchema.columns().stream().allMatch(c -> plain.contains(c.name()));
  }

  @Override
  public DataWriter<Record> newDataWriter(EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    try {
      Parquet.DataWriteBuilder builder = Parquet.writeData(file)
          .schema(dataSchema)
          .createWriterFunc(InternalWriter::createWriter)
          .setAll(table.properties())
          .metricsConfig(metrics)
          .withSpec(spec)
          .withPartition(partition)
          .withKeyMetadata(file.keyMetadata())
          .withSortOrder(table.sortOrder())
          .overwrite();
      for (String column : plainColumns) {
        builder.set(TableProperties.PARQUET_DICT_ENCODING_ENABLED_COLUMN_PREFIX + column, "false");
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open data file " + file.encryptingOutputFile().location(), e);
    }
  }

  @Override
  public EqualityDeleteWriter<Record> newEqualityDeleteWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    try {
      Parquet.DeleteWriteBuilder builder = Parquet.writeDeletes(file)
          .createWriterFunc(InternalWriter::createWriter)
          .rowSchema(deleteSchema)
          .equalityFieldIds(equalityFieldIds)
          .setAll(table.properties())
          .metricsConfig(metrics)
          .withSpec(spec)
          .withPartition(partition)
          .withKeyMetadata(file.keyMetadata())
          .overwrite();
      if (plainDeletes) {
        // Iceberg's per-column setting does not reach delete files; their one switch is Parquet's global one
        builder.set(PARQUET_DICTIONARY, "false");
      }
      return builder.buildEqualityWriter();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open equality delete file " + file.encryptingOutputFile().location(), e);
    }
  }

  @Override
  public PositionDeleteWriter<Record> newPositionDeleteWriter(
      EncryptedOutputFile file, PartitionSpec spec, StructLike partition) {
    return positionDeletes.newPositionDeleteWriter(file, spec, partition);
  }
}
