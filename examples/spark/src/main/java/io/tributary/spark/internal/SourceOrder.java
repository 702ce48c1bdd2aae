package io.tributary.spark.internal;

import io.tributary.engines.CdcRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts the records of one table back in order after a shuffle: the schema-change topic's records first, by
 * offset, then the data records, each Kafka partition's by offset and the partitions merged by record
 * timestamp (the producer's, in emit order). DDL records go first because record timestamps cannot place them
 * among the rows (equal milliseconds, DDL from outside the batch): the pipeline holds each rename back until
 * the first row that follows it in the source log (binlog position) arrives.
 */
public final class SourceOrder {
  private SourceOrder() {}

  public static List<CdcRecord> order(List<CdcRecord> rows, Set<String> schemaChangeTopics) {
    List<CdcRecord> ddl = new ArrayList<>();
    List<CdcRecord> data = new ArrayList<>();
    for (CdcRecord r : rows) {
      (schemaChangeTopics.contains(r.topic()) ? ddl : data).add(r);
    }
    ddl.sort(Comparator.<CdcRecord, String>comparing(r -> r.topic()).thenComparingInt(r -> r.partition())
        .thenComparingLong(r -> r.offset()));
    List<CdcRecord> out = new ArrayList<>(ddl);
    out.addAll(mergeByTimestamp(data));
    return out;
  }

  private static List<CdcRecord> mergeByTimestamp(List<CdcRecord> rows) {
    Map<String, List<CdcRecord>> runs = new LinkedHashMap<>();
    for (CdcRecord r : rows) {
      runs.computeIfAbsent(r.partition() + "@" + r.topic(), k -> new ArrayList<>()).add(r);
    }
    List<List<CdcRecord>> sorted = new ArrayList<>();
    for (List<CdcRecord> run : runs.values()) {
      run.sort(Comparator.comparingLong(r -> r.offset()));
      sorted.add(run);
    }
    int[] heads = new int[sorted.size()];
    List<CdcRecord> out = new ArrayList<>(rows.size());
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

  private static boolean before(CdcRecord a, CdcRecord b) {
    if (a.timestamp() != b.timestamp()) {
      return a.timestamp() < b.timestamp();
    }
    int c = a.topic().compareTo(b.topic());
    return c != 0 ? c < 0 : a.partition() < b.partition();
  }
}
