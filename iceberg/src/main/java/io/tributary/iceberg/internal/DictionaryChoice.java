package io.tributary.iceberg.internal;

import io.tributary.core.Unavailable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types.NestedField;

/**
 * Chooses, for one table, the columns whose Parquet files are written without a dictionary.
 *
 * <p>Parquet starts every column chunk with a dictionary and, when its first page shows that the dictionary does
 * not pay because nearly every value is distinct, re-encodes what it wrote as plain values. For a key, an email, a
 * timestamp or a JSON document that means hashing every value into a dictionary, then encoding it a second time,
 * for a file that ends up plain anyway. Each batch samples the first values it writes of every column; a column
 * whose sample is nearly all distinct is written plain by the next batch, which samples again, so a column whose
 * values start repeating has its dictionary back one batch later. The files hold the same values either way; a
 * wrong guess costs one batch's files a little compression, never correctness. Columns whose encoding the table's
 * properties set ({@code write.parquet.dict-encoding-enabled.column.*}) are left as set.
 */
public final class DictionaryChoice {
  /** Values sampled per column and batch. */
  static final int SAMPLE_SIZE = 1024;
  /** Fewer non-null values than this say nothing about a column: it keeps its dictionary. */
  static final int MIN_SAMPLE = 256;
  /**
   * The share of distinct values in a sample from which a column is written plain. Parquet keeps a dictionary
   * while dictionary plus indexes are smaller than the plain values; at this share that holds only for values
   * longer than about 80 bytes, and then saves them at most 2%.
   */
  static final double PLAIN_DISTINCT_SHARE = 0.98;

  private final boolean sampling;
  private volatile Set<String> plainColumns = Set.of();

  private DictionaryChoice(boolean sampling) {
    this.sampling = sampling;
  }

  /** A choice made from samples of each batch, for one table. */
  public static DictionaryChoice sampled() {
    return new DictionaryChoice(true);
  }

  /** Dictionaries for every column, as Iceberg's writers start each column chunk. */
  public static DictionaryChoice dictionariesEverywhere() {
    return new DictionaryChoice(false);
  }

  /** The top-level columns the next batch writes without a dictionary. */
  public Set<String> plainColumns() {
    return plainColumns;
  }

  /** A sample of the rows one batch writes into a table of the given schema. */
  Sample newSample(Schema schema) {
    return new Sample(schema);
  }

  /** The first {@link #SAMPLE_SIZE} rows of one batch; {@link #finish()} decides for the next batch. */
  final class Sample {
    private final List<String> names = new ArrayList<>();
    private final int[] positions;
    private final List<Set<Object>> distinct = new ArrayList<>();
    private final int[] nonNull;
    private int rows;

    private Sample(Schema schema) {
      List<Integer> at = new ArrayList<>();
      List<NestedField> columns = schema.columns();
      for (int i = 0; i < columns.size() && sampling; i++) {
        if (columns.get(i).type().isPrimitiveType()) {
          names.add(columns.get(i).name());
          at.add(i);
          distinct.add(new HashSet<>());
        }
      }
      this.positions = at.stream().mapToInt(Integer::intValue).toArray();
      this.nonNull = new int[positions.length];
    }

    /** Takes one written row into the sample, until the sample is full. */
    void add(Record row) {
      if (rows >= SAMPLE_SIZE) {
        return;
      }
      rows++;
      for (int c = 0; c < positions.length; c++) {
        Object v = row.get(positions[c]);
        if (v != null && v != Unavailable.VALUE) {
          nonNull[c]++;
          distinct.get(c).add(v);
        }
      }
    }

    /** Decides the plain columns of the next batch from this sample; a batch too small to tell changes nothing. */
    void finish() {
      if (!sampling || rows < MIN_SAMPLE) {
        return;
      }
      Set<String> plain = new HashSet<>();
      for (int c = 0; c < positions.length; c++) {
        if (nonNull[c] >= MIN_SAMPLE && distinct.get(c).size() >= PLAIN_DISTINCT_SHARE * nonNull[c]) {
          plain.add(names.get(c));
        }
      }
      plainColumns = Set.copyOf(plain);
    }
  }
}
