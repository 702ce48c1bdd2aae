package io.tributary.core;

import java.util.Arrays;

/**
 * A comparable position in the source database's log, such as MySQL/MariaDB binlog file index, position
 * and row, or PostgreSQL LSN and event serial. Positions are only comparable between events of the same
 * source; {@link #compareTo} orders them lexicographically by their components.
 */
public final class SourcePosition implements Comparable<SourcePosition> {
  private final long[] components;
  private final String text;

  private SourcePosition(long[] components, String text) {
    this.components = components;
    this.text = text;
  }

  /** A position from its ordered components, most significant first, and a human-readable form. */
  public static SourcePosition of(String text, long... components) {
    return new SourcePosition(components.clone(), text);
  }

  public long component(int index) {
    return components[index];
  }

  public int size() {
    return components.length;
  }

  @Override
  public int compareTo(SourcePosition o) {
    return Arrays.compare(components, o.components);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourcePosition p && Arrays.equals(components, p.components);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(components);
  }

  @Override
  public String toString() {
    return text;
  }
}
