package io.tributary.core;

/** A transient failure (commit conflict, throttling, unreachable broker or catalog): try again with backoff. */
public class RetryableException extends TributaryException {
  private static final long serialVersionUID = 1L;

  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  public RetryableException(String message) {
    super(message, null);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
