package io.tributary.core;

import java.util.Objects;

/** Identifies a destination table: a namespace (database) and a table name. */
public record TableId(String namespace, String name) implements Comparable<TableId> {

  public TableId {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("table name must not be empty");
    }
  }

  public static TableId of(String namespace, String name) {
    return new TableId(namespace, name);
  }

  /** Parses {@code namespace.table}; everything before the last dot is the namespace. */
  public static TableId parse(String qualified) {
    int dot = qualified.lastIndexOf('.');
    if (dot <= 0 || dot == qualified.length() - 1) {
      throw new IllegalArgumentException(
          "expected NAMESPACE.TABLE but got '" + qualified + "'");
    }
    return new TableId(qualified.substring(0, dot), qualified.substring(dot + 1));
  }

  @Override
  public int compareTo(TableId o) {
    int c = namespace.compareTo(o.namespace);
    return c != 0 ? c : name.compareTo(o.name);
  }

  @Override
  public String toString() {
    return namespace + "." + name;
  }
}
