package io.tributary.core;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The text fields of a source block that {@link SourceInfo} has no component of its own for, in the order the
 * block had them; an immutable map. One connector writes the same fields in the same order into every block, so
 * a decoder keeps one {@link Names} for them and each change event holds only its values: no hash table and no
 * entry objects per event (a source block is read for every change, and Debezium's has about a dozen such fields).
 */
public final class SourceAttributes extends AbstractMap<String, String> {
  private static final SourceAttributes EMPTY = new SourceAttributes(new Names(new String[0]), new String[0]);

  private final Names names;
  private final String[] values;

  private SourceAttributes(Names names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /** The attributes of {@code map}, in its iteration order. */
  public static SourceAttributes copyOf(Map<String, String> map) {
    if (map instanceof SourceAttributes attributes) {
      return attributes;
    }
    if (map.isEmpty()) {
      return EMPTY;
    }
    String[] keys = new String[map.size()];
    String[] values = new String[map.size()];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      keys[i] = Objects.requireNonNull(e.getKey(), "attribute name");
      values[i] = e.getValue();
      i++;
    }
    // a map's keys are distinct already
    return new Names(keys).with(values, values.length);
  }

  /** The names of a source block's attribute fields, in order; shared by the attributes of many blocks. */
  public static final class Names {
    private final String[] names;

    private Names(String[] names) {
      this.names = names;
    }

    /** The first {@code count} of {@code names}, which must be distinct. */
    public static Names of(String[] names, int count) {
      return distinct(Arrays.copyOf(names, count));
    }

    private static Names distinct(String[] names) {
      Set<String> seen = new HashSet<>();
      for (String name : names) {
        if (!seen.add(Objects.requireNonNull(name, "attribute name"))) {
          throw new IllegalArgumentException("attribute " + name + " given twice");
        }
      }
      return new Names(names);
    }

    /** Whether these are the first {@code count} of {@code candidate}, in that order. */
    public boolean equalTo(String[] candidate, int count) {
      if (count != names.length) {
        return false;
      }
      for (int i = 0; i < count; i++) {
        // a parser hands out field names from its symbol table: the same instance, but do not count on it
        if (names[i] != candidate[i] && !names[i].equals(candidate[i])) {
          return false;
        }
      }
      return true;
    }

    /** Attributes with these names and the first {@code count} of {@code values} (none null), in order. */
    public SourceAttributes with(String[] values, int count) {
      if (count != names.length) {
        throw new IllegalArgumentException(count + " values for " + names.length + " attributes");
      }
      String[] copy = Arrays.copyOf(values, count);
      for (int i = 0; i < count; i++) {
        Objects.requireNonNull(copy[i], names[i]);
      }
      return new SourceAttributes(this, copy);
    }
  }

  @Override
  public String get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public int size() {
    return values.length;
  }

  private int indexOf(Object key) {
    String[] keys = names.names;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < values.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= values.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return Map.entry(names.names[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return values.length;
      }
    };
  }
}
