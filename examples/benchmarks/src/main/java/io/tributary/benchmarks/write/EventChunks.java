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
 * chunk by chunk. A whole run of a million ~5 KB records does not fit in a small heap, so each chunk is
 * generated and serialized before it is measured and dropped after: the measurement sees pre-serialized
 * bytes, the heap holds one chunk.
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

  /** One chunk: the events and their records, offset by offset. */
  public record Chunk(List<Event> events, List<ConsumerRecord<byte[], byte[]>> records, long firstOffset) {
    public int size() {
      return events.size();
    }

    /** Events {@code from} (inclusive) to {@code to} (exclusive) of this chunk. */
    public Chunk slice(int from, int to) {
      return new Chunk(events.subList(from, to), records.subList(from, to), firstOffset + from);
    }
  }

  /** The next {@code count} events. */
  public Chunk next(int count) {
    List<Event> events = new ArrayList<>(count);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(count);
    long first = offset;
    for (int i = 0; i < count; i++) {
      Event e = changes.next();
      byte[] value = offset >= newColumnFrom ? encoding.valueWithNewColumn(e) : encoding.value(e);
      events.add(e);
      records.add(new ConsumerRecord<>(ConnectEncoding.TOPIC, 0, offset++, encoding.key(e), value));
    }
    return new Chunk(events, records, first);
  }

  /** The source table after every event generated so far. */
  public CustomersData.Changes source() {
    return changes;
  }
}
