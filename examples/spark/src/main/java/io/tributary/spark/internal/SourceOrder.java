package io.tributary.spark.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the records of one table back in source order after a shuffle: each Kafka partition's records by offset,
 * and the partitions (a table's data topic and the schema-change topic) merged by record timestamp, which
 * Debezium sets in emit order. Within a partition the offset order always wins.
 */
public final class SourceOrder {
  private SourceOrder() {}

  public static List<KafkaRow> order(List<KafkaRow> rows) {
    Map<String, List<KafkaRow>> runs = new LinkedHashMap<>();
    for (KafkaRow r : rows) {
      runs.computeIfAbsent(r.partition + "@" + r.topic, k -> new ArrayList<>()).add(r);
    }
    List<List<KafkaRow>> sorted = new ArrayList<>();
    for (List<KafkaRow> run : runs.values()) {
      run.sort(Comparator.comparingLong(r -> r.offset));
      sorted.add(run);
    }
    int[] heads = new int[sorted.size()];
    List<KafkaRow> out = new ArrayList<>(rows.size());
    while (out.size() < rows.size()) {
      int best = -1;
      for (int i = 0; i < sorted.size(); i++) {
        if (heads[i] < sorted.get(i).size() && (best < 0 || before(sorted.get(i).get(heads[i]),
            sorted.get(best).get(heads[best])))) {
          best = i;
        }
      }
      out.add(sorted.get(best).get(heads[best]++));
    }
    return out;
  }

  private static boolean before(KafkaRow a, KafkaRow b) {
    if (a.timestamp != b.timestamp) {
      return a.timestamp < b.timestamp;
    }
    int c = a.topic.compareTo(b.topic);
    return c != 0 ? c < 0 : a.partition < b.partition;
  }
}
