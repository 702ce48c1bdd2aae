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
 * @param <P> the cached plan
 */
public final class SchemaCache<P> {
  private final ConcurrentHashMap<Key, P> plans = new ConcurrentHashMap<>();
  private final int maxEntries;

  public SchemaCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The plan for {@code bytes[from, to)}, built by {@code builder} from a private copy on a miss. */
  public P get(byte[] bytes, int from, int to, Function<byte[], P> builder) {
    Key probe = new Key(bytes, from, to);
    P plan = plans.get(probe);
    if (plan != null) {
      return plan;
    }
    byte[] copy = Arrays.copyOfRange(bytes, from, to);
    plan = builder.apply(copy);
    if (plans.size() >= maxEntries) {
      plans.clear();
    }
    plans.put(new Key(copy, 0, copy.length), plan);
    return plan;
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
