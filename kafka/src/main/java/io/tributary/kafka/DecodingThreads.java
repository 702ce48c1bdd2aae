package io.tributary.kafka;

import io.tributary.core.FatalException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Threads that decode a list of records (one poll, one chunk of a file) together with the calling thread, while
 * the calling thread hands the outcomes over one by one in the order the records were read, or ahead of it while
 * it reads the next records. Decoding is most of the feeding thread's work (Debezium JSON); on one thread it, not
 * the table writes, bounds throughput on a machine with cores to spare, and handing over while the helpers decode
 * ahead keeps them busy meanwhile.
 */
public final class DecodingThreads implements AutoCloseable {
  /**
   * Records per unit of work. Small enough that a helper is soon ahead of the thread that hands the records
   * over; below two chunks a poll is decoded on the calling thread alone, as a hand-off would cost more.
   */
  static final int CHUNK = 32;

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

  /** What receives the decoded records, in order, on the calling thread. */
  @FunctionalInterface
  interface InOrder {
    /** Takes one record and its outcome; false stops the decoding of the rest. */
    boolean accept(ConsumerRecord<byte[], byte[]> record, RecordDispatcher.Decoded decoded);
  }

  /**
   * Decodes {@code records} with the dispatcher's decoder and hands each outcome to {@code next} in their order,
   * on the calling thread, as soon as it and every record before it are decoded; see {@link Batch#handOver}.
   */
  void decodeInOrder(RecordDispatcher dispatcher, List<ConsumerRecord<byte[], byte[]>> records, InOrder next) {
    start(dispatcher, records).handOver(next);
  }

  /**
   * Starts decoding {@code records} on the helper threads, which take chunks of them in order while the calling
   * thread does something else (polls the next records); {@link Batch#handOver} later hands the outcomes over.
   * Below two chunks, or with no helper threads, the records are decoded when they are handed over.
   */
  Batch start(RecordDispatcher dispatcher, List<ConsumerRecord<byte[], byte[]>> records) {
    Batch batch = new Batch(dispatcher, records, threads > 1 && records.size() >= 2 * CHUNK);
    if (batch.helped) {
      for (int h = 0; h < Math.min(threads - 1, batch.count); h++) {
        helpers.execute(batch::decodeWhileAny);
      }
    }
    return batch;
  }

  /** Records cut into chunks of {@link #CHUNK}, taken by the decoding threads in order. */
  static final class Batch {
    private final RecordDispatcher dispatcher;
    private final List<ConsumerRecord<byte[], byte[]>> records;
    private final RecordDispatcher.Decoded[] decoded;
    private final int count;
    /** The next chunk nobody has taken; {@link #count} once all are taken or the caller gave up. */
    private final AtomicInteger next = new AtomicInteger();
    private final CompletableFuture<?>[] done;
    private final boolean helped;

    private Batch(RecordDispatcher dispatcher, List<ConsumerRecord<byte[], byte[]>> records, boolean helped) {
      this.dispatcher = dispatcher;
      this.records = records;
      this.helped = helped;
      this.decoded = new RecordDispatcher.Decoded[records.size()];
      this.count = (records.size() + CHUNK - 1) / CHUNK;
      this.done = new CompletableFuture<?>[count];
      for (int c = 0; c < count; c++) {
        done[c] = new CompletableFuture<>();
      }
    }

    /** Whether helper threads decode the records before they are handed over. */
    boolean isDecodedAhead() {
      return helped;
    }

    /**
     * Hands each record and its outcome to {@code next}, in the records' order, on the calling thread. The
     * calling thread decodes the next chunk itself when no helper has taken it; while a helper still decodes it,
     * the calling thread decodes chunks nobody has taken yet rather than wait (a helper is often off its core
     * when the machine is busy). Call once.
     */
    void handOver(InOrder next) {
      try {
        for (int c = 0; c < count; c++) {
          if (!claim(c)) {
            while (!done[c].isDone() && claimAny()) {
              // decoded ahead on this thread; handed over when its turn comes
            }
            await(c);
          }
          for (int i = c * CHUNK; i < Math.min(records.size(), (c + 1) * CHUNK); i++) {
            if (!next.accept(records.get(i), decoded[i])) {
              return;
            }
          }
        }
      } finally {
        abandon();
      }
    }

    /** Lets the helpers stop after their current chunk: the rest is not needed. */
    void abandon() {
      next.set(count);
    }

    /** A helper's work: the next untaken chunk, until none is left. */
    private void decodeWhileAny() {
      while (claimAny()) {
        // the next one
      }
    }

    /** Takes the next chunk nobody has taken and decodes it; false when there is none. */
    private boolean claimAny() {
      int c = next.getAndIncrement();
      if (c >= count) {
        return false;
      }
      decode(c);
      return true;
    }

    /** Takes chunk {@code c} for the calling thread and decodes it, if no helper has taken it. */
    private boolean claim(int c) {
      if (!next.compareAndSet(c, c + 1)) {
        return false;
      }
      decode(c);
      return true;
    }

    private void decode(int c) {
      try {
        for (int i = c * CHUNK; i < Math.min(records.size(), (c + 1) * CHUNK); i++) {
          decoded[i] = dispatcher.decode(records.get(i));
        }
        done[c].complete(null);
      } catch (Throwable t) {
        // decode() keeps a record's own errors; what arrives here is a JVM error such as OutOfMemoryError
        done[c].completeExceptionally(t);
        if (t instanceof Error error) {
          throw error;
        }
      }
    }

    /** Waits until the helper that took chunk {@code c} has decoded it; its writes are visible afterwards. */
    private void await(int c) {
      try {
        done[c].get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FatalException("interrupted while records were decoded", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Error error) {
          throw error;
        }
        throw new FatalException("decoding records failed: " + e.getCause(), e.getCause());
      }
    }
  }

  @Override
  public void close() {
    if (helpers != null) {
      helpers.shutdownNow();
    }
  }
}
