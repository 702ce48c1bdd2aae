package io.tributary.benchmarks.write;

import io.tributary.benchmarks.ConnectEncoding;
import io.tributary.benchmarks.CustomersData;
import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.benchmarks.CustomersData.Workload;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Generates a workload's events and their Kafka records (Connect JSON with schemas, as Debezium writes them)
 * chunk by chunk. A whole run of a million ~5 KB records does not fit in a small heap, so the records are
 * generated and serialized one chunk at a time, before any clock starts, and either spilled to disk
 * ({@link SpilledRecords}) or fed and dropped.
 */
public final class EventChunks {
  /** The seed of every write benchmark run. */
  public static final long SEED = 20240601L;

  private final CustomersData.Changes changes;
  private final ConnectEncoding encoding = ConnectEncoding.withSchemas();
  private final long newColumnFrom;
  private long offset;

  private EventChunks(Workload workload, long newColumnFrom) {
    this.changes = CustomersData.changes(SEED, workload);
    this.newColumnFrom = newColumnFrom;
  }

  /** The events of {@code workload}. */
  public static EventChunks of(Workload workload) {
    return new EventChunks(workload, Long.MAX_VALUE);
  }

  /** The events of {@code workload}; from event {@code index} on (0-based) the rows carry the new column. */
  public static EventChunks withNewColumnFrom(Workload workload, long index) {
    return new EventChunks(workload, index);
  }

  /** The next {@code count} records, offset by offset. */
  public List<ConsumerRecord<byte[], byte[]>> next(int count) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Event e = changes.next();
      byte[] value = offset >= newColumnFrom ? encoding.valueWithNewColumn(e) : encoding.value(e);
      records.add(new ConsumerRecord<>(ConnectEncoding.TOPIC, 0, offset++, encoding.key(e), value));
    }
    return records;
  }

  /** The source table after every event generated so far. */
  public CustomersData.Changes source() {
    return changes;
  }
}
