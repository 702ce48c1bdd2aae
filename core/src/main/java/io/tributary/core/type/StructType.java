package io.tributary.core.type;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ordered list of named fields: the schema of a row, or a nested struct column. Values are
 * {@link io.tributary.core.Row}s. Instances are immutable and cheap to look fields up in.
 */
public final class StructType implements DataType {
  private final List<Field> fields;
  private final Map<String, Integer> positions;
  private Map<String, Integer> lowerCasePositions;
  private final int hash;

  private StructType(List<Field> fields) {
    this.fields = List.copyOf(fields);
    Map<String, Integer> byName = new HashMap<>(fields.size() * 2);
    for (int i = 0; i < this.fields.size(); i++) {
      if (byName.put(this.fields.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate field name '" + this.fields.get(i).name() + "'");
      }
    }
    this.positions = Collections.unmodifiableMap(byName);
    this.hash = this.fields.hashCode();
  }

  public static StructType of(List<Field> fields) {
    return new StructType(fields);
  }

  public static StructType of(Field... fields) {
    return new StructType(List.of(fields));
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public Field field(int position) {
    return fields.get(position);
  }

  /** The field with this exact name, or null. */
  public Field field(String name) {
    Integer pos = positions.get(name);
    return pos == null ? null : fields.get(pos);
  }

  /** The position of the field with this exact name, or -1. */
  public int indexOf(String name) {
    Integer pos = positions.get(name);
    return pos == null ? -1 : pos;
  }

  /** The position of the field whose name equals this one ignoring case, or -1. */
  public int indexOfIgnoreCase(String name) {
    Map<String, Integer> lower = lowerCasePositions;
    if (lower == null) {
      lower = new HashMap<>();
      for (int i = 0; i < fields.size(); i++) {
        lower.putIfAbsent(fields.get(i).name().toLowerCase(Locale.ROOT), i);
      }
      lowerCasePositions = lower;
    }
    Integer pos = lower.get(name.toLowerCase(Locale.ROOT));
    return pos == null ? -1 : pos;
  }

  public List<String> fieldNames() {
    List<String> names = new ArrayList<>(fields.size());
    for (Field f : fields) {
      names.add(f.name());
    }
    return names;
  }

  @Override public TypeRoot root() { return TypeRoot.STRUCT; }
  @Override public boolean isNested() { return true; }
  @Override public Class<?> javaClass() { return io.tributary.core.Row.class; }

  @Override
  public boolean equals(Object o) {
    return this == o || (o instanceof StructType s && hash == s.hash && fields.equals(s.fields));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "struct<" + fields + ">";
  }
}
