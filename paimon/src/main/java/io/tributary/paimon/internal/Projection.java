package io.tributary.paimon.internal;

import io.tributary.core.Row;
import io.tributary.core.type.StructType;

/**
 * Where the columns of a table are in rows of one source schema, looked up by name once: a writer keeps the
 * projection of its rows' schema, since looking every column up by name for every row was a fifth of Tributary's
 * own share of a Paimon write in the write benchmark. Missing columns get their default (or null), narrower values
 * are widened, {@link io.tributary.core.Unavailable#VALUE} is kept.
 */
final class Projection {
  private final StructType source;
  private final StructType table;
  private final int[] positions;
  private final boolean[] widened;

  private Projection(StructType source, StructType table) {
    this.source = source;
    this.table = table;
    this.positions = new int[table.size()];
    this.widened = new boolean[table.size()];
    for (int i = 0; i < positions.length; i++) {
      int pos = source.indexOf(table.field(i).name());
      positions[i] = pos;
      widened[i] = pos >= 0 && !source.field(pos).type().equals(table.field(i).type());
    }
  }

  static Projection of(StructType source, StructType table) {
    return new Projection(source, table);
  }

  /** Whether this projection is the one for rows of {@code schema}. */
  boolean reads(StructType schema) {
    return schema == source || schema.equals(source);
  }

  /** The values of {@code row}, a row of this projection's source schema, in the table's column order. */
  Object[] apply(Row row) {
    Object[] out = new Object[positions.length];
    for (int i = 0; i < out.length; i++) {
      int pos = positions[i];
      if (pos < 0) {
        out[i] = table.field(i).defaultValue();
      } else if (widened[i]) {
        out[i] = Values.widen(row.get(pos), source.field(pos).type(), table.field(i).type());
      } else {
        out[i] = row.get(pos);
      }
    }
    return out;
  }
}
