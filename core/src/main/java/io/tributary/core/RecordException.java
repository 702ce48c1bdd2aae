package io.tributary.core;

/**
 * One record cannot be decoded or applied. It names the record's origin and, when known, its table, so
 * the pipeline can dead-letter it (with this message as the reason) or stop, as configured.
 */
public class RecordException extends FatalException {
  private static final long serialVersionUID = 1L;
  private final transient Origin origin;
  private final transient TableId table;

  public RecordException(String message, Origin origin, TableId table, Throwable cause) {
    super(describe(message, origin, table), cause);
    this.origin = origin;
    this.table = table;
  }

  public RecordException(String message, Origin origin, Throwable cause) {
    this(message, origin, null, cause);
  }

  private static String describe(String message, Origin origin, TableId table) {
    StringBuilder sb = new StringBuilder(message);
    if (origin != null) {
      sb.append(" (").append(origin);
      if (table != null) {
        sb.append(", table ").append(table);
      }
      sb.append(')');
    } else if (table != null) {
      sb.append(" (table ").append(table).append(')');
    }
    return sb.toString();
  }

  public Origin origin() {
    return origin;
  }

  /** The destination table, or null when the record failed before it was routed. */
  public TableId table() {
    return table;
  }
}
