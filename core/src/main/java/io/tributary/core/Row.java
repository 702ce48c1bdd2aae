package io.tributary.core;

import io.tributary.core.type.StructType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable row: values by position, in the canonical representation of the columns of its
 * {@link StructType}. Two rows are equal when their values are equal position by position (the schema is
 * not compared, so a key decoded from two schema versions still matches).
 */
public final class Row {
  private final StructType schema;
  private final Object[] values;
  private int hash;

  private Row(StructType schema, Object[] values) {
    this.schema = schema;
    this.values = values;
  }

  /** A row over {@code schema}; the array is copied. */
  public static Row of(StructType schema, Object... values) {
    Objects.requireNonNull(schema, "schema");
    if (values.length != schema.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values but its schema has " + schema.size() + " fields");
    }
    return new Row(schema, values.clone());
  }

  /**
   * A row that takes ownership of {@code values} without copying: the caller must not change the array
   * afterwards. For decoders that build a fresh array per record.
   */
  public static Row wrap(StructType schema, Object[] values) {
    if (values.length != schema.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values but its schema has " + schema.size() + " fields");
    }
    return new Row(schema, values);
  }

  public StructType schema() {
    return schema;
  }

  public int size() {
    return values.length;
  }

  public Object get(int position) {
    return values[position];
  }

  /** The value of the named field, or null when the row has no such field. */
  public Object get(String name) {
    int pos = schema.indexOf(name);
    return pos < 0 ? null : values[pos];
  }

  public boolean hasField(String name) {
    return schema.indexOf(name) >= 0;
  }

  /** Whether any column holds {@link Unavailable#VALUE}. */
  public boolean hasUnavailableValues() {
    for (Object v : values) {
      if (v == Unavailable.VALUE) {
        return true;
      }
    }
    return false;
  }

  /** A copy with one value replaced. */
  public Row with(int position, Object value) {
    Object[] copy = values.clone();
    copy[position] = value;
    return new Row(schema, copy);
  }

  /** The values by field name, in field order. */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < values.length; i++) {
      map.put(schema.field(i).name(), values[i]);
    }
    return map;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    return o instanceof Row r && hashCode() == r.hashCode() && Arrays.equals(values, r.values);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(values);
      hash = h == 0 ? 1 : h;
    }
    return hash;
  }

  @Override
  public String toString() {
    return toMap().toString();
  }
}
