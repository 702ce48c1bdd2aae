package io.tributary.kafka.decode.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Caches what was built from a schema block, keyed by the exact bytes of the block, so that a schema
 * repeated on every record is parsed once. Lookups hash the byte range in place and copy nothing; only a
 * miss copies the bytes into the cache. The cache is bounded: when it holds more than {@code maxEntries}
 * schemas (a sign of schema churn) it starts over.
 *
 * <p>The entry hit last is remembered: records of one topic repeat the same schema block, so
 * {@link #match} first compares the bytes at a record's schema position with that entry (a vectorized
 * comparison), which needs neither the end of the block nor a hash.
 *
 * @param <P> the cached plan
 */
public final class SchemaCache<P> {
  private final ConcurrentHashMap<Key, Entry<P>> plans = new ConcurrentHashMap<>();
  private final int maxEntries;
  private volatile Entry<P> recent;

  public SchemaCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** A cached schema block and its plan (which may be null). */
  public static final class Entry<P> {
    private final byte[] bytes;
    private final P plan;

    Entry(byte[] bytes, P plan) {
      this.bytes = bytes;
      this.plan = plan;
    }

    public P plan() {
      return plan;
    }

    /** The length of the schema block in bytes. */
    public int length() {
      return bytes.length;
    }
  }

  /** The plan for {@code bytes[from, to)}, built by {@code builder} from a private copy on a miss. */
  public P get(byte[] bytes, int from, int to, Function<byte[], P> builder) {
    return entry(bytes, from, to, builder).plan;
  }

  /**
   * The entry whose schema block is the JSON object that opens at {@code bytes[from]}, built on a miss;
   * null when no complete object starts there.
   */
  public Entry<P> match(byte[] bytes, int from, Function<byte[], P> builder) {
    Entry<P> last = recent;
    if (last != null) {
      int end = from + last.bytes.length;
      // an object is delimited by its own bytes, so equal bytes from the same start end at the same place
      if (end <= bytes.length && Arrays.equals(bytes, from, end, last.bytes, 0, last.bytes.length)) {
        return last;
      }
    }
    int to = EnvelopeScanner.valueEnd(bytes, from);
    if (to < 0) {
      return null;
    }
    Entry<P> entry = entry(bytes, from, to, builder);
    recent = entry;
    return entry;
  }

  private Entry<P> entry(byte[] bytes, int from, int to, Function<byte[], P> builder) {
    Entry<P> entry = plans.get(new Key(bytes, from, to));
    if (entry != null) {
      return entry;
    }
    byte[] copy = Arrays.copyOfRange(bytes, from, to);
    entry = new Entry<>(copy, builder.apply(copy));
    if (plans.size() >= maxEntries) {
      plans.clear();
    }
    plans.put(new Key(copy, 0, copy.length), entry);
    return entry;
  }

  public int size() {
    return plans.size();
  }

  private static final class Key {
    private final byte[] bytes;
    private final int from;
    private final int to;
    private final int hash;

    Key(byte[] bytes, int from, int to) {
      this.bytes = bytes;
      this.from = from;
      this.to = to;
      int h = 1;
      for (int i = from; i < to; i++) {
        h = 31 * h + bytes[i];
      }
      this.hash = h;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && hash == k.hash
          && Arrays.equals(bytes, from, to, k.bytes, k.from, k.to);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
