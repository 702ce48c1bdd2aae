package io.tributary.spark.internal;

import io.tributary.engines.CdcRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The schema-change topics of a micro-batch's data topics, read on the driver from their beginning to their
 * current end.
 *
 * <p>Why not the batch's own rows of those topics: Spark's Kafka source cuts each topic's backlog separately
 * ({@code maxOffsetsPerTrigger} is prorated over the partitions by their lag), so a RENAME COLUMN can fall in
 * a later batch than the rows written after it (the renamed column would be added as a new one), or in an
 * earlier batch than those rows (the writer holds a rename back until a row that follows it in the source
 * log arrives, and a writer task lives for one batch only). With every DDL record of the topic in every
 * batch, the writer places each rename by source position among the batch's rows, and renames a table
 * already holds are skipped by their recorded offsets. The topic carries DDL only, so it stays small.
 *
 * <p>A data topic's schema-change topic is found as Debezium names it: the topic ({@code topic.prefix}) whose
 * name followed by a dot starts the data topic's name.
 */
public final class SchemaChangeLog {
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  private SchemaChangeLog() {}

  /** The existing schema-change topics of {@code dataTopics}; {@code consumerProperties} as for a Kafka consumer. */
  public static Set<String> topicsOf(Collection<String> dataTopics, Map<String, String> consumerProperties) {
    Set<String> candidates = new HashSet<>();
    for (String topic : dataTopics) {
      for (int dot = topic.indexOf('.'); dot > 0; dot = topic.indexOf('.', dot + 1)) {
        candidates.add(topic.substring(0, dot));
      }
    }
    if (candidates.isEmpty()) {
      return Set.of();
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(consumerProperties)) {
      candidates.retainAll(consumer.listTopics().keySet());
    }
    return candidates;
  }

  /** Every record of {@code topics}, from the beginning to the end offsets at the time of the call. */
  public static List<CdcRecord> read(Set<String> topics, Map<String, String> consumerProperties) {
    List<CdcRecord> out = new ArrayList<>();
    if (topics.isEmpty()) {
      return out;
    }
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(consumerProperties)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          // writing rows without their DDL could misapply a rename; Spark runs the batch again on restart
          throw new IllegalStateException("Could not read the schema-change topics " + topics + " to " + ends
              + " within " + READ_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
          if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
            out.add(CdcRecord.of(r));
          }
        }
      }
    }
    return out;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Map<String, String> consumerProperties) {
    Map<String, Object> props = new HashMap<>();
    // the kafka.* settings may hold options of Spark's source too; a consumer warns about every unknown one
    consumerProperties.forEach((k, v) -> {
      if (ConsumerConfig.configNames().contains(k)) {
        props.put(k, v);
      }
    });
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
