package io.tributary.core.sink;

import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.Field;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Chooses, for one table, the columns whose Parquet files are written without a dictionary.
 *
 * <p>Parquet starts every column chunk with a dictionary and, when its first page shows that the dictionary does
 * not pay because nearly every value is distinct, re-encodes what it wrote as plain values. For a key, an email, a
 * timestamp or a JSON document that means hashing every value into a dictionary, then encoding it a second time,
 * for a file that ends up plain anyway. Each batch samples the first rows it writes; a column whose sample is
 * nearly all distinct is written plain by the next batch, which samples again, so a column whose values start
 * repeating (under 90% distinct) has its dictionary back one batch later. The files hold the same values either
 * way; a wrong guess costs a little compression, never correctness. Sinks leave columns whose encoding the
 * table's own properties set as set.
 */
public final class DictionaryChoice {
  /** Rows sampled per batch. */
  static final int SAMPLE_ROWS = 1024;
  /** Fewer non-null values than this say nothing about a column: it keeps its dictionary. */
  static final int MIN_VALUES = 256;
  /**
   * The share of distinct values in a sample from which a column is written plain. Parquet keeps a dictionary
   * while dictionary plus indexes are smaller than the plain values; at this share that holds only for values
   * longer than about 80 bytes, and then saves them at most 2%.
   */
  static final double PLAIN_DISTINCT_SHARE = 0.98;
  /**
   * The share under which a column written plain gets its dictionary back. Lower than the share that takes it
   * away, so that a column whose samples straddle that share (dates of birth, say: 97-98% distinct in a
   * thousand rows) settles instead of changing every batch, which would reopen a Paimon table's write each time.
   */
  static final double DICTIONARY_DISTINCT_SHARE = 0.90;

  /** Never samples, so its choice never changes: one instance serves every table. */
  private static final DictionaryChoice EVERYWHERE = new DictionaryChoice(false);

  private final boolean sampling;
  private volatile Set<String> plainColumns = Set.of();

  private DictionaryChoice(boolean sampling) {
    this.sampling = sampling;
  }

  /** A choice made from samples of each batch, for one table. */
  public static DictionaryChoice sampled() {
    return new DictionaryChoice(true);
  }

  /** Dictionaries for every column, as Parquet starts each column chunk. */
  public static DictionaryChoice dictionariesEverywhere() {
    return EVERYWHERE;
  }

  /** The top-level columns the next batch writes without a dictionary. */
  public Set<String> plainColumns() {
    return plainColumns;
  }

  /** A sample of the rows one batch writes. */
  public Sample newSample() {
    return new Sample();
  }

  /** The first {@link #SAMPLE_ROWS} rows of one batch; {@link #finish()} decides for the next batch. */
  public final class Sample {
    private final Map<String, Set<Object>> distinct = new HashMap<>();
    private final Map<String, Integer> values = new HashMap<>();
    private int rows;

    private Sample() {}

    /** Takes one written row into the sample, until the sample is full. */
    public void add(Row row) {
      if (!sampling || rows >= SAMPLE_ROWS) {
        return;
      }
      rows++;
      for (int i = 0; i < row.size(); i++) {
        Field field = row.schema().field(i);
        Object v = row.get(i);
        if (!field.type().isNested() && v != null && v != Unavailable.VALUE) {
          values.merge(field.name(), 1, Integer::sum);
          distinct.computeIfAbsent(field.name(), n -> new HashSet<>()).add(v);
        }
      }
    }

    /** Decides the plain columns of the next batch from this sample; a batch too small to tell changes nothing. */
    public void finish() {
      if (rows < MIN_VALUES) {
        return;
      }
      Set<String> before = plainColumns;
      Set<String> plain = new HashSet<>();
      values.forEach((column, count) -> {
        double share = before.contains(column) ? DICTIONARY_DISTINCT_SHARE : PLAIN_DISTINCT_SHARE;
        if (count >= MIN_VALUES && distinct.get(column).size() >= share * count) {
          plain.add(column);
        }
      });
      plainColumns = Set.copyOf(plain);
    }
  }
}
