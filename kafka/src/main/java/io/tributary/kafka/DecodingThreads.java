package io.tributary.kafka;

import io.tributary.core.FatalException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Threads that decode a list of records (one poll, one chunk of a file) together with the calling thread, each
 * record's outcome kept at its place, so that the pipeline still receives the records one by one in the order
 * they were read. Decoding is most of the feeding thread's work (Debezium JSON with its schema block); on one
 * thread it, not the table writes, bounds throughput on a machine with cores to spare.
 */
public final class DecodingThreads implements AutoCloseable {
  /** Below this many records a poll is decoded on the runner's thread alone: a hand-off would cost more. */
  static final int MIN_RECORDS_PER_THREAD = 32;

  private final int threads;
  private final ExecutorService helpers;

  private DecodingThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("decoding needs at least one thread, not " + threads);
    }
    this.threads = threads;
    AtomicInteger count = new AtomicInteger();
    this.helpers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
      Thread t = new Thread(r, "tributary-decode-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** Decoding on the calling thread alone. */
  public static DecodingThreads callerOnly() {
    return new DecodingThreads(1);
  }

  /** Decoding on the calling thread and {@code threads - 1} helper threads (daemons, ended by {@link #close()}). */
  public static DecodingThreads of(int threads) {
    return new DecodingThreads(threads);
  }

  /** The outcome of decoding each record with the dispatcher's decoder, in the order of {@code records}. */
  List<RecordDispatcher.Decoded> decodeAll(RecordDispatcher dispatcher, List<ConsumerRecord<byte[], byte[]>> records) {
    int n = records.size();
    RecordDispatcher.Decoded[] out = new RecordDispatcher.Decoded[n];
    int parts = Math.min(threads, Math.max(1, n / MIN_RECORDS_PER_THREAD));
    int size = (n + parts - 1) / parts;
    List<Future<?>> running = new ArrayList<>(parts);
    for (int p = 1; p < parts; p++) {
      int from = p * size;
      int to = Math.min(n, from + size);
      running.add(helpers.submit(() -> decodeRange(dispatcher, records, out, from, to)));
    }
    decodeRange(dispatcher, records, out, 0, Math.min(n, size));
    for (Future<?> f : running) {
      await(f);
    }
    return Arrays.asList(out);
  }

  private static void decodeRange(RecordDispatcher dispatcher, List<ConsumerRecord<byte[], byte[]>> records,
      RecordDispatcher.Decoded[] out, int from, int to) {
    for (int i = from; i < to; i++) {
      out[i] = dispatcher.decode(records.get(i));
    }
  }

  private static void await(Future<?> f) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FatalException("interrupted while records were decoded", e);
    } catch (ExecutionException e) {
      // decode() keeps a record's own errors; what arrives here is a JVM error such as OutOfMemoryError
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new FatalException("decoding records failed: " + e.getCause(), e.getCause());
    }
  }

  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdownNow();
    }
  }
}
