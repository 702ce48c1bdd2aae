package io.tributary.core.pipeline;

import io.tributary.core.Origin;
import io.tributary.core.TableId;
import java.util.Objects;

/**
 * A record that could not be decoded or applied, with the reason. {@code raw} is the record as read (null
 * when the caller did not keep it); {@code table} is null when the record failed before it was routed.
 */
public record DeadLetter(RawRecord raw, Origin origin, TableId table, String reason, Throwable cause) {
  public DeadLetter {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(reason, "reason");
  }
}
