package io.tributary.paimon.internal;

import io.tributary.core.FatalException;
import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.sink.DictionaryChoice;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.predicate.Predicate;
import org.apache.paimon.predicate.PredicateBuilder;
import org.apache.paimon.table.sink.CommitMessage;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.types.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one batch of {@link RowChange}s into a Paimon primary-key table: upserts as {@code +I}, deletes as
 * {@code -D}. Upserts holding {@link Unavailable#VALUE} are held back until {@link #complete()}, when the
 * current rows of their keys are read in one scan and the missing values taken from them.
 */
public final class PaimonTableWriter implements TableWriter {
  private static final Logger LOG = LoggerFactory.getLogger(PaimonTableWriter.class);
  /** Above this many held-back keys one unfiltered scan is cheaper than a huge OR predicate. */
  private static final int MAX_PREDICATE_KEYS = 1000;

  private final TableId id;
  private final TableModel model;
  private final StructType schema;
  private final int[] keyPositions;
  private final StructType keySchema;
  private final StreamTableWrite write;
  private final WriterPool pool;
  private final WriterPool.Entry entry;
  private final long identifier;
  private final DictionaryChoice.Sample sample;
  private final Map<Row, Object[]> heldBack = new LinkedHashMap<>();
  private Projection projection;
  private long rows;
  private long deletes;
  private boolean done;

  /**
   * A writer over a write taken from {@code pool}; {@code pool} may be null, then the write is closed after
   * the batch instead of being returned.
   */
  public PaimonTableWriter(TableId id, TableModel model, WriterPool pool, WriterPool.Entry entry, long identifier,
      DictionaryChoice.Sample sample) {
    this.id = id;
    this.model = model;
    this.schema = model.schema();
    this.keyPositions = model.keyColumns().stream().mapToInt(schema::indexOf).toArray();
    this.keySchema = keySchema(schema, keyPositions);
    this.write = entry.write();
    this.pool = pool;
    this.entry = entry;
    this.identifier = identifier;
    this.sample = sample;
  }

  @Override
  public void write(RowChange change) {
    if (done) {
      throw new IllegalStateException("writer of " + id + " is already completed or aborted");
    }
    GenericRow out;
    Row key;
    try {
      if (change.kind() == RowChange.Kind.UPSERT) {
        sample.add(change.row());
        Object[] values = project(change.row());
        key = heldBackKey(values);
        if (hasUnavailable(values)) {
          if (!model.hasRowKey()) {
            key = keyOf(values);
            Object[] earlier = heldBack.get(key);
            if (earlier != null) {
              fillUnavailable(values, earlier);
            }
            if (hasUnavailable(values)) {
              heldBack.put(key, values);
              return;
            }
          } else {
            // a table without a key has no current row to take the value from
            replaceUnavailable(values);
          }
        }
        out = toPaimon(values, RowKind.INSERT, change);
        rows++;
      } else {
        Object[] values;
        if (change.row() != null) {
          values = project(change.row());
          replaceUnavailable(values);
        } else if (!model.hasRowKey()) {
          values = keyOnly(change.key());
        } else {
          throw new IllegalArgumentException("a delete from a table without a key needs the before image");
        }
        key = heldBackKey(values);
        fillPlaceholders(values);
        out = toPaimon(values, RowKind.DELETE, change);
        deletes++;
      }
    } catch (RuntimeException e) {
      throw new RecordException(
          "cannot convert change for Paimon table " + id + ": " + e.getMessage(), change.origin(), id, e);
    }
    if (key != null) {
      heldBack.remove(key); // a later full change supersedes a held-back partial one
    }
    writeRow(out);
  }

  /** The row's values in the table's column order, through the projection of the row's schema. */
  private Object[] project(Row row) {
    Projection p = projection;
    if (p == null || !p.reads(row.schema())) {
      p = Projection.of(row.schema(), schema);
      projection = p;
    }
    return p.apply(row);
  }

  /**
   * The key of a change that may supersede a held-back one; null when nothing is held back, so that the common
   * batch without partial changes builds no key per change.
   */
  private Row heldBackKey(Object[] values) {
    return heldBack.isEmpty() || model.hasRowKey() ? null : keyOf(values);
  }

  private void writeRow(GenericRow row) {
    try {
      write.write(row);
    } catch (Exception e) {
      throw new FatalException("cannot write to Paimon table " + id + ": " + e.getMessage(), e);
    }
  }

  private GenericRow toPaimon(Object[] values, RowKind kind, RowChange change) {
    GenericRow row = new GenericRow(kind, model.rowType().getFieldCount());
    for (int i = 0; i < values.length; i++) {
      Field f = schema.field(i);
      if (values[i] == null && f.isRequired()) {
        throw new IllegalArgumentException("column " + f.name() + " is required but the change has null");
      }
      row.setField(model.position(i), Values.toPaimon(values[i], f.type()));
    }
    if (model.hasRowKey()) {
      row.setField(model.rowKeyPosition(), org.apache.paimon.data.BinaryString.fromString(
          RowHasher.hash(schema, model.visibleFieldIds(), values)));
    }
    return row;
  }

  private Row keyOf(Object[] values) {
    Object[] key = new Object[keyPositions.length];
    for (int i = 0; i < key.length; i++) {
      key[i] = values[keyPositions[i]];
    }
    return Row.wrap(keySchema, key);
  }

  /** Built once per writer: a struct type per row was a measurable share of the allocation per change. */
  private static StructType keySchema(StructType schema, int[] keyPositions) {
    List<Field> fields = new ArrayList<>(keyPositions.length);
    for (int p : keyPositions) {
      fields.add(schema.field(p));
    }
    return StructType.of(fields);
  }

  private Object[] keyOnly(Row key) {
    if (key == null) {
      throw new IllegalArgumentException("a delete needs a key or a before image");
    }
    Object[] values = new Object[schema.size()];
    for (int i = 0; i < keyPositions.length; i++) {
      Field f = schema.field(keyPositions[i]);
      int pos = key.schema().indexOf(f.name());
      int from = pos >= 0 ? pos : i;
      values[keyPositions[i]] = Values.widen(key.get(from), key.schema().field(from).type(), f.type());
    }
    return values;
  }

  /** Required columns of a delete that only knows the key get a zero value: Paimon checks nullability. */
  private void fillPlaceholders(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null && schema.field(i).isRequired()) {
        values[i] = zero(schema.field(i).type());
      }
    }
  }

  private static Object zero(DataType type) {
    if (type instanceof Types.BooleanType) {
      return false;
    } else if (type instanceof Types.IntegerType || type instanceof Types.DateType) {
      return 0;
    } else if (type instanceof Types.LongType || type instanceof Types.TimeType || type instanceof Types.TimestampType) {
      return 0L;
    } else if (type instanceof Types.FloatType) {
      return 0f;
    } else if (type instanceof Types.DoubleType) {
      return 0d;
    } else if (type instanceof Types.DecimalType d) {
      return BigDecimal.ZERO.setScale(d.scale());
    } else if (type instanceof Types.BinaryType) {
      return ByteBuffer.allocate(0).asReadOnlyBuffer();
    } else if (type instanceof StructType s) {
      Object[] v = new Object[s.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = s.field(i).isRequired() ? zero(s.field(i).type()) : null;
      }
      return Row.wrap(s, v);
    } else if (type instanceof Types.ListType) {
      return List.of();
    } else if (type instanceof Types.MapType) {
      return Map.of();
    }
    return "";
  }

  private static boolean hasUnavailable(Object[] values) {
    for (Object v : values) {
      if (v == Unavailable.VALUE) {
        return true;
      }
    }
    return false;
  }

  private static void fillUnavailable(Object[] values, Object[] current) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == Unavailable.VALUE) {
        values[i] = current[i];
      }
    }
  }

  private void replaceUnavailable(Object[] values) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] == Unavailable.VALUE) {
        values[i] = schema.field(i).defaultValue();
      }
    }
  }

  /** Takes the values of unavailable columns from the rows the table holds now, in one scan. */
  private void resolveHeldBack() {
    if (heldBack.isEmpty()) {
      return;
    }
    Map<Row, Object[]> current = new HashMap<>();
    for (TableReads.ReadRow r : TableReads.read(model, keyPredicate())) {
      Object[] values = new Object[schema.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = r.row().get(i);
      }
      Row key = keyOf(values);
      if (heldBack.containsKey(key)) {
        current.put(key, values);
      }
    }
    int missing = 0;
    for (Map.Entry<Row, Object[]> e : heldBack.entrySet()) {
      Object[] values = e.getValue();
      Object[] now = current.get(e.getKey());
      if (now != null) {
        fillUnavailable(values, now);
      } else {
        missing++;
        replaceUnavailable(values);
      }
      GenericRow row = new GenericRow(RowKind.INSERT, model.rowType().getFieldCount());
      for (int i = 0; i < values.length; i++) {
        row.setField(model.position(i), Values.toPaimon(values[i], schema.field(i).type()));
      }
      writeRow(row);
      rows++;
    }
    if (missing > 0) {
      LOG.warn("{} rows of {} had unavailable values but no current row; wrote their defaults or null",
          missing, id);
    }
    heldBack.clear();
  }

  private Predicate keyPredicate() {
    if (heldBack.size() > MAX_PREDICATE_KEYS) {
      return null;
    }
    PredicateBuilder pb = new PredicateBuilder(model.rowType());
    List<Predicate> perKey = new ArrayList<>();
    for (Row key : heldBack.keySet()) {
      List<Predicate> eqs = new ArrayList<>();
      for (int i = 0; i < keyPositions.length; i++) {
        int p = keyPositions[i];
        eqs.add(pb.equal(model.position(p), Values.toPaimon(key.get(i), schema.field(p).type())));
      }
      perKey.add(PredicateBuilder.and(eqs));
    }
    return PredicateBuilder.or(perKey);
  }

  @Override
  public WriteResult complete() {
    if (done) {
      throw new IllegalStateException("writer of " + id + " is already completed or aborted");
    }
    try {
      resolveHeldBack();
      List<CommitMessage> messages = write.prepareCommit(waitsForCompaction(model.table().options()), identifier);
      done = true;
      sample.finish();
      if (pool != null) {
        pool.release(id, entry, identifier);
      } else {
        closeQuietly();
      }
      return PaimonWriteResult.of(id, messages, rows, deletes, entry.session(), identifier);
    } catch (RuntimeException e) {
      abort();
      throw e;
    } catch (Exception e) {
      abort();
      throw new RetryableException("cannot finish the Paimon files of " + id + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a batch waits for its compaction: Iceberg readers of a table with Iceberg metadata see only fully
   * compacted files of a primary-key table, so its compaction must land in the same commit as the batch.
   */
  static boolean waitsForCompaction(Map<String, String> tableOptions) {
    return org.apache.paimon.options.Options.fromMap(tableOptions)
        .get(org.apache.paimon.iceberg.IcebergOptions.METADATA_ICEBERG_STORAGE)
        != org.apache.paimon.iceberg.IcebergOptions.StorageType.DISABLED;
  }

  @Override
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    try {
      // prepared but uncommitted files are removed by abort; files still in buffers are never written
      List<CommitMessage> messages = write.prepareCommit(false, identifier);
      try (var commit = model.table().newStreamWriteBuilder().newCommit()) {
        commit.abort(messages);
      }
    } catch (Exception e) {
      LOG.warn("cannot clean up the files of an aborted batch of {}: {}", id, e.toString());
    } finally {
      closeQuietly();
    }
  }

  private void closeQuietly() {
    WriterPool.close(entry);
  }
}
