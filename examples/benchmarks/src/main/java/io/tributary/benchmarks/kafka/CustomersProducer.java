package io.tributary.benchmarks.kafka;

import io.tributary.benchmarks.CustomersData.Event;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes generated change events to a topic: all at once (a backlog), or at a fixed rate with each event's
 * source timestamp set to the moment it is sent, as a connector streaming live changes does.
 */
final class CustomersProducer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final ChangeEventRecords records;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  /**
   * @param properties producer properties with byte-array serializers; one request in flight per connection,
   *     so that records keep their order and get consecutive offsets
   */
  CustomersProducer(Map<String, Object> properties, ChangeEventRecords records) {
    Map<String, Object> props = new HashMap<>(properties);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 << 10));
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(8 << 20));
    this.producer = new KafkaProducer<>(props);
    this.records = records;
  }

  /** Sends every event and waits until all are acknowledged. */
  void sendAll(List<Event> events) {
    for (Event e : events) {
      producer.send(records.record(e), (metadata, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        }
      });
      check();
    }
    producer.flush();
    check();
  }

  /**
   * Sends the events at {@code perSecond} on a fixed schedule, each with the time it is sent as its source
   * timestamp ({@code ts_ms}), noting the send times in {@code sent}; waits until all are acknowledged.
   *
   * @return the rate achieved, in events per second
   */
  double sendAtRate(List<Event> events, int perSecond, SendTimes sent) {
    long start = System.nanoTime();
    double nanosPerEvent = TimeUnit.SECONDS.toNanos(1) / (double) perSecond;
    for (int i = 0; i < events.size(); i++) {
      long due = start + (long) (i * nanosPerEvent);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long now = System.currentTimeMillis();
      ProducerRecord<byte[], byte[]> record = records.record(withTimestamp(events.get(i), now));
      long expected = sent.add(record.partition(), now);
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        } else if (metadata.offset() != expected) {
          failure.compareAndSet(null, new IllegalStateException("record expected at offset " + expected
              + " of partition " + metadata.partition() + " was written at " + metadata.offset()));
        }
      });
      check();
    }
    long elapsed = System.nanoTime() - start;
    producer.flush();
    check();
    return events.size() * (double) TimeUnit.SECONDS.toNanos(1) / elapsed;
  }

  private static Event withTimestamp(Event e, long tsMs) {
    return new Event(e.op(), e.before(), e.after(), tsMs, e.file(), e.pos(), e.row(), e.serverId(), e.gtid(),
        e.snapshot());
  }

  private void check() {
    Exception e = failure.get();
    if (e != null) {
      throw new IllegalStateException("Producing the benchmark's records failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
