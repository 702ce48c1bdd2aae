package io.tributary.core;

/**
 * Base of Tributary's exceptions. Subclasses say whether retrying can help: {@link RetryableException}
 * for transient failures, {@link FatalException} for everything that needs a person.
 */
public abstract class TributaryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected TributaryException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether the same operation may succeed if tried again later. */
  public abstract boolean isRetryable();
}
