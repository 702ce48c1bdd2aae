package io.tributary.core.pipeline;

/** What happens to a record that cannot be decoded or applied ({@code tributary.errors.tolerance}). */
public enum ErrorTolerance {
  /** Stop the pipeline with the error (the default): nothing is committed past the bad record. */
  NONE,
  /** Send the record to the dead-letter destination with the reason and go on. */
  ALL
}
