package io.tributary.flink.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/**
 * Starting offsets taken from the tables: the given offset for every partition a table recorded, the
 * beginning of the log for the others. Unlike the connector's {@code OffsetsInitializer.offsets(map, strategy)}
 * it never looks up the consumer group's committed offsets for unlisted partitions: the tables, not the group,
 * say what was ingested, and that lookup calls an admin API that Kafka 4 clients no longer have
 * ({@code NoSuchMethodError} on {@code ListConsumerGroupOffsetsOptions.topicPartitions}).
 */
public final class TableOffsetsInitializer implements OffsetsInitializer {
  private static final long serialVersionUID = 1L;

  private final HashMap<TopicPartition, Long> offsets;

  public TableOffsetsInitializer(Map<TopicPartition, Long> offsets) {
    this.offsets = new HashMap<>(offsets);
  }

  @Override
  public Map<TopicPartition, Long> getPartitionOffsets(
      Collection<TopicPartition> partitions, PartitionOffsetsRetriever retriever) {
    Map<TopicPartition, Long> starts = new HashMap<>();
    List<TopicPartition> unrecorded = new ArrayList<>();
    for (TopicPartition tp : partitions) {
      Long offset = offsets.get(tp);
      if (offset == null) {
        unrecorded.add(tp);
      } else {
        starts.put(tp, offset);
      }
    }
    if (!unrecorded.isEmpty()) {
      starts.putAll(retriever.beginningOffsets(unrecorded));
    }
    return starts;
  }

  /** Where a reader goes when a starting offset is out of range (the log was truncated past it). */
  @Override
  public OffsetResetStrategy getAutoOffsetResetStrategy() {
    return OffsetResetStrategy.EARLIEST;
  }
}
