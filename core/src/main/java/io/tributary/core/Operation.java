package io.tributary.core;

/** The kind of change a {@link ChangeEvent} carries, as Debezium's {@code op} codes define them. */
public enum Operation {
  /** A row read by an initial or incremental snapshot ({@code r}). */
  READ("r"),
  /** A row inserted at the source ({@code c}). */
  INSERT("c"),
  /** A row updated at the source ({@code u}). */
  UPDATE("u"),
  /** A row deleted at the source ({@code d}). */
  DELETE("d"),
  /** The whole table was truncated at the source ({@code t}). */
  TRUNCATE("t");

  private final String code;

  Operation(String code) {
    this.code = code;
  }

  /** The one-letter Debezium code. */
  public String code() {
    return code;
  }

  /** Whether the event leaves a row image behind ({@code after}). */
  public boolean producesRow() {
    return this == READ || this == INSERT || this == UPDATE;
  }

  /**
   * Maps a Debezium {@code op} code to an operation.
   *
   * @throws IllegalArgumentException for a code Debezium does not define (the caller names the record)
   */
  public static Operation fromCode(String code) {
    if (code != null && code.length() == 1) {
      switch (code.charAt(0)) {
        case 'r': return READ;
        case 'c': return INSERT;
        case 'u': return UPDATE;
        case 'd': return DELETE;
        case 't': return TRUNCATE;
        default: break;
      }
    }
    throw new IllegalArgumentException("unknown Debezium operation code '" + code + "'");
  }
}
