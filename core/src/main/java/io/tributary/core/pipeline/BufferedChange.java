package io.tributary.core.pipeline;

import io.tributary.core.SourcePosition;
import io.tributary.core.sink.RowChange;

/** A row change waiting in a {@link TableBuffer}, with what is needed to order it and to dead-letter it. */
record BufferedChange(RowChange change, SourcePosition position, RetainedRaw raw, long sourceTimestampMillis) {

  long sizeInBytes() {
    return raw == null ? 256 : raw.sizeInBytes();
  }

  /** The record as it was read, for a dead letter; null when none was given. */
  RawRecord rawRecord() {
    return raw == null ? null : raw.toRawRecord();
  }
}
