package io.tributary.paimon.internal;

import io.tributary.core.Row;
import io.tributary.core.type.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.predicate.Predicate;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.DataField;

/** Reads the current (merged) rows of a table, optionally narrowed by a predicate Paimon uses for pruning. */
public final class TableReads {
  private TableReads() {}

  /** One row as read: core values of the visible columns, and the full Paimon row for rewriting it. */
  public record ReadRow(Row row, GenericRow internal) {}

  public static List<ReadRow> read(TableModel model, Predicate filter) {
    ReadBuilder builder = model.table().newReadBuilder();
    if (filter != null) {
      builder = builder.withFilter(filter);
    }
    List<DataField> fields = model.rowType().getFields();
    InternalRow.FieldGetter[] getters = new InternalRow.FieldGetter[fields.size()];
    for (int i = 0; i < getters.length; i++) {
      getters[i] = InternalRow.createFieldGetter(fields.get(i).type(), i);
    }
    StructType schema = model.schema();
    List<ReadRow> out = new ArrayList<>();
    try (RecordReader<InternalRow> reader = builder.newRead().createReader(builder.newScan().plan())) {
      reader.forEachRemaining(r -> {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = Values.fromPaimon(r, model.position(i), schema.field(i).type());
        }
        GenericRow copy = new GenericRow(getters.length);
        for (int i = 0; i < getters.length; i++) {
          copy.setField(i, getters[i].getFieldOrNull(r));
        }
        out.add(new ReadRow(Row.wrap(schema, values), copy));
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Paimon table " + model.table().name(), e);
    }
    return out;
  }
}
