package io.tributary.core.pipeline;

import io.tributary.core.SourcePosition;
import io.tributary.core.sink.RowChange;

/** A row change waiting in a {@link TableBuffer}, with what is needed to order it and to dead-letter it. */
record BufferedChange(RowChange change, SourcePosition position, RawRecord raw, long sourceTimestampMillis) {

  long sizeInBytes() {
    return raw == null ? 256 : raw.sizeInBytes();
  }
}
