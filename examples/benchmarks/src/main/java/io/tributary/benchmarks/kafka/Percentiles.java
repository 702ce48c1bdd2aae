package io.tributary.benchmarks.kafka;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations in milliseconds. */
final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  static Percentiles of(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  int count() {
    return sorted.length;
  }

  /** The smallest value that at least {@code percent} percent of the values do not exceed. */
  long at(double percent) {
    if (sorted.length == 0) {
      throw new IllegalStateException("no values");
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
  }

  long sum() {
    long total = 0;
    for (long v : sorted) {
      total += v;
    }
    return total;
  }

  long max() {
    return at(100);
  }
}
