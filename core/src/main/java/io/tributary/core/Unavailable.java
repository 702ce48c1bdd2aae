package io.tributary.core;

/**
 * Marks a column whose value the source did not send, such as a PostgreSQL TOAST column that an update
 * did not touch ({@code __debezium_unavailable_value}). It is distinct from SQL NULL: a sink keeps the value
 * the row already has.
 */
public final class Unavailable {
  /** The single marker instance. */
  public static final Unavailable VALUE = new Unavailable();

  private Unavailable() {}

  public static boolean is(Object value) {
    return value == VALUE;
  }

  @Override
  public String toString() {
    return "<unavailable>";
  }
}
