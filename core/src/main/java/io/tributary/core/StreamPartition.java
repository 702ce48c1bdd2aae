package io.tributary.core;

import java.util.Objects;

/** A partition of a stream (a Kafka topic-partition), without depending on any Kafka type. */
public record StreamPartition(String topic, int partition) implements Comparable<StreamPartition> {

  public StreamPartition {
    Objects.requireNonNull(topic, "topic");
  }

  public static StreamPartition of(String topic, int partition) {
    return new StreamPartition(topic, partition);
  }

  /** Parses the {@code topic-partition} form written by {@link #toString()}. */
  public static StreamPartition parse(String text) {
    int dash = text.lastIndexOf('-');
    if (dash <= 0) {
      throw new IllegalArgumentException("expected TOPIC-PARTITION but got '" + text + "'");
    }
    return new StreamPartition(text.substring(0, dash), Integer.parseInt(text.substring(dash + 1)));
  }

  @Override
  public int compareTo(StreamPartition o) {
    int c = topic.compareTo(o.topic);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
