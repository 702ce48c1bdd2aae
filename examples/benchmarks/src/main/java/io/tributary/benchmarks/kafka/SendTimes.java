package io.tributary.benchmarks.kafka;

import java.util.Arrays;

/**
 * When each record of a topic was sent, by partition and offset. One producer sending in order with one request
 * in flight gives the records of a partition consecutive offsets from the partition's end offset, so the send
 * times are kept as arrays indexed by {@code offset - base}; the producer's acknowledgements confirm each offset.
 */
final class SendTimes {
  private final long[] base;
  private final long[][] times;
  private final int[] counts;

  SendTimes(long[] baseOffsets) {
    this.base = baseOffsets.clone();
    this.times = new long[baseOffsets.length][1024];
    this.counts = new int[baseOffsets.length];
  }

  /** Records a send to {@code partition} and returns the offset the record will get. */
  synchronized long add(int partition, long sentAtMillis) {
    if (counts[partition] == times[partition].length) {
      times[partition] = Arrays.copyOf(times[partition], counts[partition] * 2);
    }
    times[partition][counts[partition]] = sentAtMillis;
    return base[partition] + counts[partition]++;
  }

  synchronized long sentAt(int partition, long offset) {
    long index = offset - base[partition];
    if (index < 0 || index >= counts[partition]) {
      throw new IllegalArgumentException("no record was sent at offset " + offset + " of partition " + partition);
    }
    return times[partition][(int) index];
  }

  long base(int partition) {
    return base[partition];
  }

  /** The end offset of each partition once every record sent is written. */
  synchronized long[] endOffsets() {
    long[] out = new long[base.length];
    for (int p = 0; p < base.length; p++) {
      out[p] = base[p] + counts[p];
    }
    return out;
  }
}
