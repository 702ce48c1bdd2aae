package io.tributary.core.sink;

import io.tributary.core.StreamPartition;
import java.util.Map;
import java.util.Objects;

/**
 * What a table commit records besides the data, atomically in the table's own snapshot metadata.
 *
 * @param sinkId the identity of the writing pipeline; offsets are kept per sink id
 * @param token an idempotency token (Flink checkpoint id, Spark batch id, or one derived from the offsets);
 *     a commit whose token the table already holds for this sink id is skipped
 * @param nextOffsets per stream partition, the offset after the last record this table has consumed
 *     (records below it are skipped for this table on replay)
 * @param watermarks per stream partition, an offset below which every record of the pipeline, for any
 *     table, is committed or dead-lettered; a restarted consumer may seek to the highest watermark found
 */
public record CommitRequest(
    String sinkId,
    String token,
    Map<StreamPartition, Long> nextOffsets,
    Map<StreamPartition, Long> watermarks) {

  public CommitRequest {
    Objects.requireNonNull(sinkId, "sinkId");
    nextOffsets = Map.copyOf(nextOffsets);
    watermarks = watermarks == null ? Map.of() : Map.copyOf(watermarks);
  }
}
