package io.tributary.engines.internal;

import io.tributary.core.RetryableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads Debezium schema-change topics directly from Kafka, beside an engine's own source, so that a writer
 * task can catch up on DDL before it writes: an engine source reads the schema-change topic and the table
 * topics in independent splits, and a rename read after the rows that follow it in the log would turn the
 * renamed column into a new one. This is what the Kafka runner does by reading schema-change partitions to
 * their end before data; Debezium sends a DDL record before the rows that follow it, so once a row is in
 * Kafka the DDL before it is too.
 *
 * <p>By Debezium's convention the schema-change topic of data topics {@code <prefix>.<db>.<table>} is
 * {@code <prefix>}; a prefix whose topic does not exist (PostgreSQL) is ignored. Each topic is read from its
 * beginning when first met (also after a restart): renames already applied are skipped by the pipeline, which
 * compares them with the table's current schema.
 */
public final class SchemaChangeTopics implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final long catchUpTimeoutMs;
  private final Set<String> checkedPrefixes = new HashSet<>();
  private final Set<String> topics = new HashSet<>();

  private SchemaChangeTopics(KafkaConsumer<byte[], byte[]> consumer, long catchUpTimeoutMs) {
    this.consumer = consumer;
    this.catchUpTimeoutMs = catchUpTimeoutMs;
  }

  /**
   * A reader with its own consumer: {@code kafkaProperties} are consumer properties (connection, security);
   * it assigns partitions itself and commits no offsets, so a group id is dropped.
   */
  public static SchemaChangeTopics open(Map<String, ?> kafkaProperties, long catchUpTimeoutMs) {
    Set<String> consumerNames = ConsumerConfig.configNames();
    Map<String, Object> props = new HashMap<>();
    kafkaProperties.forEach((k, v) -> {
      if (consumerNames.contains(k)) {
        props.put(k, v);
      }
    });
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    props.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-schema-changes");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return new SchemaChangeTopics(new KafkaConsumer<>(props), catchUpTimeoutMs);
  }

  /** Whether records of {@code topic} are read here (the engine's copies of them are to be ignored). */
  public boolean reads(String topic) {
    return topics.contains(topic);
  }

  /** Notes a data topic; the first time its prefix is met, starts reading that schema-change topic, if any. */
  public void noteDataTopic(String topic) {
    int dot = topic.indexOf('.');
    if (dot <= 0) {
      return;
    }
    String prefix = topic.substring(0, dot);
    if (!checkedPrefixes.add(prefix)) {
      return;
    }
    List<PartitionInfo> partitions = consumer.partitionsFor(prefix);
    if (partitions == null || partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, Long> positions = new HashMap<>();
    for (TopicPartition tp : consumer.assignment()) {
      positions.put(tp, consumer.position(tp));
    }
    List<TopicPartition> added = new ArrayList<>();
    partitions.forEach(p -> added.add(new TopicPartition(p.topic(), p.partition())));
    Set<TopicPartition> all = new HashSet<>(positions.keySet());
    all.addAll(added);
    consumer.assign(all);
    positions.forEach(consumer::seek);
    consumer.seekToBeginning(added);
    topics.add(prefix);
  }

  /**
   * Reads every schema-change topic to the end it has now and hands each record to {@code handler}.
   *
   * @throws RetryableException when the end is not reached in time (the broker is unreachable or slow)
   */
  public void catchUp(Consumer<ConsumerRecord<byte[], byte[]>> handler) {
    if (topics.isEmpty()) {
      return;
    }
    long deadline = System.currentTimeMillis() + catchUpTimeoutMs;
    try {
      Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofMillis(catchUpTimeoutMs));
      while (behind(ends)) {
        if (System.currentTimeMillis() > deadline) {
          throw new RetryableException("schema-change topics " + topics + " not read to their end " + ends
              + " within " + catchUpTimeoutMs + " ms; writing rows before their DDL could misapply a rename", null);
        }
        consumer.poll(POLL).forEach(handler);
      }
    } catch (KafkaException e) {
      throw new RetryableException("cannot read schema-change topics " + topics + ": " + e.getMessage(), e);
    }
  }

  private boolean behind(Map<TopicPartition, Long> ends) {
    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
