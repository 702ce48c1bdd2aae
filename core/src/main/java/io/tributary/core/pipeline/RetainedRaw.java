package io.tributary.core.pipeline;

import java.util.Arrays;

/**
 * The bytes of a buffered record, held until its change is committed so that it can be dead-lettered unchanged.
 * A value that begins like an earlier record's value of the same table keeps only its own tail and shares the
 * head: Connect JSON values carry the same schema block (four fifths of a Debezium value) in every record, and
 * holding it once per batch instead of once per record spares the buffer's memory and the garbage collector's
 * copying of it. A pipeline that never dead-letters keeps only each record's size.
 */
final class RetainedRaw {
  /** The record itself, or, when {@code head} is set, the record without its value; null when only the size is kept. */
  private final RawRecord record;
  private final byte[] head;
  private final int headLength;
  private final byte[] tail;
  private final long sizeInBytes;

  private RetainedRaw(RawRecord record, byte[] head, int headLength, byte[] tail, long sizeInBytes) {
    this.record = record;
    this.head = head;
    this.headLength = headLength;
    this.tail = tail;
    this.sizeInBytes = sizeInBytes;
  }

  /** The record as it was read, with the same bytes; null when only its size was kept. */
  RawRecord toRawRecord() {
    if (head == null) {
      return record;
    }
    byte[] value = Arrays.copyOf(head, headLength + tail.length);
    System.arraycopy(tail, 0, value, headLength, tail.length);
    return new RawRecord(record.origin(), record.key(), value, record.headers(), record.timestamp());
  }

  /**
   * What the record cost to hold when it was read, the shared head counted in full on purpose: the buffer's byte
   * limit uses it as its estimate of a buffered change, decoded row included.
   */
  long sizeInBytes() {
    return sizeInBytes;
  }

  /** Keeps the records of one table for dead letters, or only their sizes. */
  abstract static sealed class Keeper permits SharingKeeper, SizeKeeper {
    abstract RetainedRaw keep(RawRecord raw);

    /**
     * Keeps each record's bytes, sharing its value's head with the last record that could not share (the
     * template) when at least {@link SharingKeeper#MIN_SHARED_BYTES} bytes of the two values agree.
     */
    static Keeper sharingHeads() {
      return new SharingKeeper();
    }

    /** Keeps only each record's size, for a pipeline whose failed records stop it instead of going anywhere. */
    static Keeper sizesOnly() {
      return new SizeKeeper();
    }
  }

  static final class SharingKeeper extends Keeper {
    static final int MIN_SHARED_BYTES = 512;
    private byte[] template;

    @Override
    RetainedRaw keep(RawRecord raw) {
      byte[] value = raw.value();
      if (value != null && template != null && value != template) {
        int shared = Arrays.mismatch(template, value);
        if (shared < 0) {
          shared = value.length;
        }
        if (shared >= MIN_SHARED_BYTES) {
          RawRecord withoutValue = new RawRecord(raw.origin(), raw.key(), null, raw.headers(), raw.timestamp());
          return new RetainedRaw(withoutValue, template, shared, Arrays.copyOfRange(value, shared, value.length),
              raw.sizeInBytes());
        }
      }
      if (value != null && value.length >= MIN_SHARED_BYTES) {
        template = value;
      }
      return new RetainedRaw(raw, null, 0, null, raw.sizeInBytes());
    }
  }

  static final class SizeKeeper extends Keeper {
    @Override
    RetainedRaw keep(RawRecord raw) {
      return new RetainedRaw(null, null, 0, null, raw.sizeInBytes());
    }
  }
}
