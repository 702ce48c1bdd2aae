package io.tributary.iceberg.internal;

import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.sink.DictionaryChoice;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.iceberg.IcebergWriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types.NestedField;
import org.apache.iceberg.util.PropertyUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of row changes into Parquet data and delete files of a table's current schema.
 *
 * <p>Tables with identifier fields: an upsert is an equality delete of the key plus an insert, a delete an
 * equality delete of the key; a key written earlier in the same batch is deleted by position instead.
 * Tables without identifier fields: upserts are appends and deletes are equality deletes on all primitive
 * top-level columns (identical rows inserted in one batch collapse into one).
 *
 * <p>Two cases need the rows the table holds now, read in one scan per batch when the batch completes:
 * upserts carrying {@link Unavailable#VALUE} (TOAST: the column keeps the table's value, or the value of an
 * earlier change of the same key in this batch), and partitioned tables whose partition columns are not all
 * key columns, where a delete or an upsert must reach the partition the old row lives in (equality deletes
 * apply per partition). Changes of such keys wait until then; other keys are written at once.
 */
public final class IcebergTableWriter implements TableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergTableWriter.class);

  private final TableId tableId;
  private final Table table;
  private final Schema schema;
  private final RecordConverter converter;
  private final List<String> keyNames;
  private final int[] keyPositions;
  private final Schema deleteSchema;
  private final boolean keyed;
  private final boolean partitionLookup;
  private final Long readSnapshotId;
  private final DeltaTaskWriter writer;
  private final DictionaryChoice.Sample sample;

  /** What this batch did to each key it wrote: one hash lookup per change instead of one per question. */
  private final Map<List<Object>, KeyState> keys = new HashMap<>();
  private final List<Pending> pending = new ArrayList<>();
  private long rows;
  private long deletes;
  private boolean done;
  private boolean completed;
  private boolean aborted;

  private record Pending(RowChange.Kind kind, List<Object> key, KeyState state, Record record, RowChange change) {}

  /** One key's state in the batch. */
  private static final class KeyState {
    /** The last record written for the key in this batch, null when none or when it was deleted since. */
    Record last;
    boolean deleted;
    /** Whether the key's changes wait for the table's current rows, read when the batch completes. */
    boolean pending;
  }

  public IcebergTableWriter(TableId tableId, Table table, TypeMapping mapping, DictionaryChoice dictionary) {
    this.tableId = tableId;
    this.table = table;
    this.schema = table.schema();
    this.converter = new RecordConverter(mapping);
    Snapshot current = table.currentSnapshot();
    this.readSnapshotId = current == null ? null : current.snapshotId();

    Set<Integer> identifierIds = schema.identifierFieldIds();
    this.keyed = !identifierIds.isEmpty();
    List<String> names = new ArrayList<>();
    List<Integer> eqIds = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    List<NestedField> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      NestedField f = columns.get(i);
      boolean use = keyed ? identifierIds.contains(f.fieldId()) : f.type().isPrimitiveType();
      if (use) {
        names.add(f.name());
        eqIds.add(f.fieldId());
        positions.add(i);
      }
    }
    if (eqIds.isEmpty()) {
      throw new IllegalArgumentException("table " + tableId + " has no column that can identify a row");
    }
    this.keyNames = List.copyOf(names);
    this.keyPositions = positions.stream().mapToInt(Integer::intValue).toArray();
    this.deleteSchema = schema.select(keyNames);

    PartitionSpec spec = table.spec();
    boolean partitionInKey = true;
    for (PartitionField pf : spec.fields()) {
      partitionInKey &= identifierIds.contains(pf.sourceId());
    }
    this.partitionLookup = keyed && !spec.isUnpartitioned() && !partitionInKey;

    InternalRecordWriterFactory factory = new InternalRecordWriterFactory(table, schema, deleteSchema,
        eqIds.stream().mapToInt(Integer::intValue).toArray(), dictionary.plainColumns());
    this.sample = dictionary.newSample();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime())
        .format(FileFormat.PARQUET)
        .build();
    long targetSize = PropertyUtil.propertyAsLong(table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    this.writer = new DeltaTaskWriter(spec, factory, files, table.io(), targetSize,
        TableUtil.formatVersion(table) >= 3, schema, deleteSchema);
  }

  @Override
  public void write(RowChange change) {
    if (done) {
      throw new IllegalStateException("writer of table " + tableId + " is already complete");
    }
    if (change.kind() == RowChange.Kind.UPSERT) {
      sample.add(change.row());
    }
    Record record;
    List<Object> key;
    try {
      record = toRecord(change);
      key = keyOf(record);
    } catch (RuntimeException e) {
      throw new RecordException("cannot write change to Iceberg: " + e.getMessage(), change.origin(), tableId, e);
    }
    if (!keyed) {
      apply(change.kind(), key, null, record, List.of());
      return;
    }
    KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
    boolean toast = change.kind() == RowChange.Kind.UPSERT && hasUnavailable(record);
    if (state.pending || partitionLookup || (toast && state.last == null)) {
      pending.add(new Pending(change.kind(), key, state, record, change));
      state.pending = true;
      return;
    }
    apply(change.kind(), key, state, record, List.of());
  }

  private Record toRecord(RowChange change) {
    if (change.kind() == RowChange.Kind.UPSERT) {
      Record record = converter.toRecord(change.row(), schema);
      if (!keyed && hasUnavailable(record)) {
        throw new IllegalArgumentException(
            "a table without a key cannot keep unavailable (TOAST) values, it has no row to take them from");
      }
      for (int i = 0; i < keyPositions.length && keyed; i++) {
        if (record.get(keyPositions[i]) == Unavailable.VALUE) {
          throw new IllegalArgumentException("key column " + keyNames.get(i) + " is unavailable");
        }
      }
      return record;
    }
    if (!keyed) {
      Record before = converter.toRecord(change.row(), schema);
      if (hasUnavailable(before)) {
        throw new IllegalArgumentException("the before image of a delete has unavailable values");
      }
      return before;
    }
    Row keyRow = change.key() != null ? change.key() : change.row();
    Record keyRecord = converter.toRecord(keyRow, deleteSchema);
    // the delete schema lists key columns only, so a full record is built to compute partitions
    GenericRecord full = converter.newRecord(schema.asStruct());
    for (int i = 0; i < keyPositions.length; i++) {
      Object v = keyRecord.get(i);
      if (v == null || v == Unavailable.VALUE) {
        throw new IllegalArgumentException("key column " + keyNames.get(i) + " of a delete is missing");
      }
      full.set(keyPositions[i], v);
    }
    return full;
  }

  private List<Object> keyOf(Record record) {
    List<Object> key = new ArrayList<>(keyPositions.length);
    for (int pos : keyPositions) {
      key.add(record.get(pos));
    }
    return key;
  }

  private Record keyRecord(List<Object> key) {
    GenericRecord r = converter.newRecord(deleteSchema.asStruct());
    for (int i = 0; i < key.size(); i++) {
      r.set(i, key.get(i));
    }
    return r;
  }

  private static boolean hasUnavailable(Record record) {
    for (int i = 0; i < record.size(); i++) {
      if (record.get(i) == Unavailable.VALUE) {
        return true;
      }
    }
    return false;
  }

  private void apply(RowChange.Kind kind, List<Object> key, KeyState state, Record record, List<Record> current) {
    try {
      if (!keyed) {
        DeltaTaskWriter.PartitionDeltaWriter w = writer.writerFor(writer.partitionOf(record));
        if (kind == RowChange.Kind.UPSERT) {
          w.write(record);
          rows++;
        } else {
          // the delete file holds the equality columns only, not nested ones
          w.deleteKey(keyRecord(key));
          deletes++;
        }
        return;
      }
      Record keyRecord = keyRecord(key);
      Record previous = state.last;
      boolean deletedBefore = state.deleted;
      if (!partitionLookup) {
        // the key decides the partition (or there is none): the delete and the insert go to one writer
        writer.writerFor(writer.partitionOf(record)).deleteKey(keyRecord);
      } else {
        // every partition that may hold the key: where the table holds it and where this batch put it
        Set<PartitionKey> partitions = new LinkedHashSet<>();
        for (Record r : current) {
          partitions.add(copyOrNull(writer.partitionOf(r)));
        }
        if (previous != null) {
          partitions.add(copyOrNull(writer.partitionOf(previous)));
        }
        for (PartitionKey p : partitions) {
          writer.writerFor(p).deleteKey(keyRecord);
        }
      }
      if (kind == RowChange.Kind.DELETE) {
        state.last = null;
        state.deleted = true;
        deletes++;
        return;
      }
      for (int i = 0; i < record.size(); i++) {
        if (record.get(i) == Unavailable.VALUE) {
          Record source = previous != null ? previous : (deletedBefore || current.isEmpty() ? null : current.get(0));
          if (source == null) {
            LOG.debug("table {}: no current value for unavailable column {} of key {}; writing null",
                tableId, schema.columns().get(i).name(), key);
          }
          Object value = source == null ? null : source.get(i);
          if (value == null && schema.columns().get(i).isRequired()) {
            throw new IllegalArgumentException("required column " + schema.columns().get(i).name()
                + " is unavailable and the table holds no value for key " + key);
          }
          record.set(i, value);
        }
      }
      writer.writerFor(writer.partitionOf(record)).write(record);
      state.last = record;
      rows++;
    } catch (IOException e) {
      throw new UncheckedIOException("writing files of table " + tableId + " failed", e);
    }
  }

  private static PartitionKey copyOrNull(PartitionKey key) {
    return key == null ? null : key.copy();
  }

  @Override
  public WriteResult complete() {
    if (done) {
      throw new IllegalStateException("writer of table " + tableId + " is already complete");
    }
    Expression conflictFilter = null;
    try {
      if (!pending.isEmpty()) {
        Set<List<Object>> pendingKeys = new LinkedHashSet<>();
        for (Pending p : pending) {
          pendingKeys.add(p.key());
        }
        conflictFilter = keyFilter(pendingKeys);
        Map<List<Object>, List<Record>> current = lookup(conflictFilter, pendingKeys);
        for (Pending p : pending) {
          try {
            apply(p.kind(), p.key(), p.state(), p.record(), current.getOrDefault(p.key(), List.of()));
          } catch (IllegalArgumentException e) {
            // only known once current rows are read (a required TOAST column of a key the table lacks):
            // the batch cannot complete, so its files are dropped and the record is named
            abort();
            throw new RecordException("cannot write change to Iceberg: " + e.getMessage(),
                p.change().origin(), tableId, e);
          }
        }
        pending.clear();
      }
      done = true;
      org.apache.iceberg.io.WriteResult files = writer.complete();
      completed = true;
      sample.finish();
      LOG.debug("table {}: wrote {} rows and {} deletes into {} data and {} delete files", tableId, rows,
          deletes, files.dataFiles().length, files.deleteFiles().length);
      return IcebergWriteResult.of(files, rows, deletes, readSnapshotId, conflictFilter);
    } catch (IOException | UncheckedIOException e) {
      abort();
      throw new RetryableException("writing files of table " + tableId + " failed: " + e.getMessage(), e);
    }
  }

  /** The current rows of the given keys, in one scan of the snapshot this writer started from. */
  private Map<List<Object>, List<Record>> lookup(Expression filter, Set<List<Object>> pendingKeys)
      throws IOException {
    Map<List<Object>, List<Record>> byKey = new HashMap<>();
    if (readSnapshotId == null) {
      return byKey;
    }
    try (CloseableIterable<Record> found =
        IcebergGenerics.read(table).useSnapshot(readSnapshotId).where(filter).build()) {
      for (Record read : found) {
        Record r = converter.internalOf(read);
        List<Object> key = keyOf(r);
        if (pendingKeys.contains(key)) {
          byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
      }
    }
    LOG.debug("table {}: looked up {} keys, {} found", tableId, pendingKeys.size(), byKey.size());
    return byKey;
  }

  private Expression keyFilter(Set<List<Object>> keys) {
    Expression filter = Expressions.alwaysTrue();
    for (int i = 0; i < keyNames.size(); i++) {
      Set<Object> values = new LinkedHashSet<>();
      for (List<Object> key : keys) {
        values.add(key.get(i));
      }
      filter = Expressions.and(filter, Expressions.in(keyNames.get(i), values));
    }
    return filter;
  }

  @Override
  public void abort() {
    done = true;
    if (completed || aborted) {
      // after complete() the files belong to the result handed out; the committer owns them now
      return;
    }
    aborted = true;
    try {
      writer.abort();
    } catch (IOException e) {
      LOG.warn("table {}: could not delete the files of an abandoned batch", tableId, e);
    }
  }
}
