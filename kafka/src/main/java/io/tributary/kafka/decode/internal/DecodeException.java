package io.tributary.kafka.decode.internal;

/**
 * A value that cannot be decoded. Carries the dotted path of the field so far; the record decoder adds the
 * record's origin when it turns this into a {@link io.tributary.core.RecordException}.
 */
public final class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private String path;
  private final String reason;

  public DecodeException(String reason) {
    this(reason, null);
  }

  public DecodeException(String reason, Throwable cause) {
    super(reason, cause, false, false);
    this.reason = reason;
  }

  /** Prepends a field name to the path; called while the exception unwinds through nested structs. */
  public DecodeException in(String field) {
    path = path == null ? field : field + "." + path;
    return this;
  }

  public String path() {
    return path;
  }

  @Override
  public String getMessage() {
    return path == null ? reason : "field '" + path + "': " + reason;
  }
}
