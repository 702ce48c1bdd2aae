package io.tributary.benchmarks.write;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A benchmark's Kafka records, generated and encoded before its clock starts and kept in a local file, so that
 * a timed run reads pre-encoded bytes sequentially instead of generating them: a million ~5 KB records do not
 * fit in a small heap, and generating them while a pipeline commits on another thread would put the generator
 * inside the measurement. The file is deleted on {@link #close()}.
 *
 * <p>Format ({@link DataOutputStream}): the topic (modified UTF-8), the partition (int) and the number of
 * records (long), then per record its offset (long), its key and its value, each as a length (int) and the
 * bytes. The generated workloads have no tombstones, so keys and values are never null.
 */
public final class SpilledRecords implements AutoCloseable {
  // large buffers: the file is read and written sequentially, at up to a few hundred MB/s
  private static final int BUFFER_BYTES = 8 << 20;

  private final Path file;
  private final long count;
  private final long sizeInBytes;

  private SpilledRecords(Path file, long count) throws IOException {
    this.file = file;
    this.count = count;
    this.sizeInBytes = Files.size(file);
  }

  /**
   * Writes the next {@code count} records of {@code chunks} to {@code file}, generated {@code chunkSize} at a
   * time so that the heap holds one chunk.
   */
  public static SpilledRecords write(Path file, EventChunks chunks, long count, int chunkSize) {
    if (count <= 0) {
      // the header is taken from the first record
      throw new IllegalArgumentException("nothing to spill: " + count + " records");
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (DataOutputStream out = new DataOutputStream(
          new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
        String topic = null;
        int partition = 0;
        long written = 0;
        while (written < count) {
          List<ConsumerRecord<byte[], byte[]>> chunk = chunks.next((int) Math.min(chunkSize, count - written));
          for (ConsumerRecord<byte[], byte[]> record : chunk) {
            if (topic == null) {
              topic = record.topic();
              partition = record.partition();
              out.writeUTF(topic);
              out.writeInt(partition);
              out.writeLong(count);
            } else if (!topic.equals(record.topic()) || partition != record.partition()) {
              throw new IllegalArgumentException("a spill file holds one topic-partition, " + topic + "-"
                  + partition + ", not " + record.topic() + "-" + record.partition());
            }
            out.writeLong(record.offset());
            writeBytes(out, record.key());
            writeBytes(out, record.value());
          }
          written += chunk.size();
        }
      }
      return new SpilledRecords(file, count);
    } catch (IOException | RuntimeException e) {
      // a partial file of gigabytes must not stay behind
      try {
        Files.deleteIfExists(file);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e instanceof IOException io ? new UncheckedIOException("cannot write the records to " + file, io)
          : (RuntimeException) e;
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** How many records the file holds. */
  public long count() {
    return count;
  }

  /** The size of the file. */
  public long sizeInBytes() {
    return sizeInBytes;
  }

  /** A reader from the first record. */
  public Reader open() {
    return new Reader();
  }

  /** The first record. */
  public ConsumerRecord<byte[], byte[]> first() {
    try (Reader reader = open()) {
      ConsumerRecord<byte[], byte[]> first = reader.next();
      if (first == null) {
        throw new IllegalStateException(file + " holds no record");
      }
      return first;
    }
  }

  /** Reads the records in order, each into new arrays (the pipeline keeps them until they are committed). */
  public final class Reader implements AutoCloseable {
    private final DataInputStream in;
    private final String topic;
    private final int partition;
    private long remaining;

    private Reader() {
      try {
        this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES));
        this.topic = in.readUTF();
        this.partition = in.readInt();
        this.remaining = in.readLong();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }

    /** The next record, or null after the last one. */
    public ConsumerRecord<byte[], byte[]> next() {
      if (remaining == 0) {
        return null;
      }
      try {
        long offset = in.readLong();
        byte[] key = readBytes();
        byte[] value = readBytes();
        remaining--;
        return new ConsumerRecord<>(topic, partition, offset, key, value);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read record " + (count - remaining) + " of " + file, e);
      }
    }

    private byte[] readBytes() throws IOException {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return bytes;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + file, e);
      }
    }
  }

  /** Deletes the file. */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file, e);
    }
  }
}
