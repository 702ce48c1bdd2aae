package io.tributary.core;

/** A failure that retrying cannot fix; the message says what happened and what to do. */
public class FatalException extends TributaryException {
  private static final long serialVersionUID = 1L;

  public FatalException(String message, Throwable cause) {
    super(message, cause);
  }

  public FatalException(String message) {
    super(message, null);
  }

  @Override
  public boolean isRetryable() {
    return false;
  }
}
