package io.tributary.core.sink;

import io.tributary.core.RetryableException;

/**
 * A commit failed because a concurrent commit changed rows the write result depended on (values looked up
 * for unavailable TOAST columns, the partitions of deleted keys). Committing the same result again cannot
 * succeed: the batch must be written again from its changes, which the pipeline does.
 */
public class StaleWriteException extends RetryableException {
  private static final long serialVersionUID = 1L;

  public StaleWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
