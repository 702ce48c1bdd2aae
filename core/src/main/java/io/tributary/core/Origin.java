package io.tributary.core;

/** Where a record was read from: topic, partition and offset. Used for offsets and error messages. */
public record Origin(String topic, int partition, long offset) {

  public static Origin of(String topic, int partition, long offset) {
    return new Origin(topic, partition, offset);
  }

  public StreamPartition streamPartition() {
    return new StreamPartition(topic, partition);
  }

  @Override
  public String toString() {
    return "topic " + topic + ", partition " + partition + ", offset " + offset;
  }
}
