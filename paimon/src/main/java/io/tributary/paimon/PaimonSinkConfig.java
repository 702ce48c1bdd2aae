package io.tributary.paimon;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code tributary.paimon.*} settings of a {@link PaimonTableSink}, with their defaults. */
public final class PaimonSinkConfig {
  public static final String PREFIX = "tributary.paimon.";

  /** Prefix of table options passed unchanged to every table the sink creates. */
  public static final String TABLE_OPTIONS_PREFIX = PREFIX + "table-options.";

  public static final ConfigKey<Integer> BUCKET =
      ConfigKey.intKey(
          PREFIX + "bucket",
          4,
          "Fixed number of buckets of every table the sink creates. Paimon writes one bucket with one writer,"
              + " so this bounds write parallelism; an explicit count is required because the dynamic bucket"
              + " mode cannot take single-row writes.");

  public static final ConfigKey<String> PARTITION_KEYS =
      ConfigKey.stringKey(
          PREFIX + "partition-keys",
          "",
          "Comma-separated partition columns for new tables (applied to tables that have every one of them).");

  public static final ConfigKey<String> COMMIT_USER_PREFIX =
      ConfigKey.stringKey(
          PREFIX + "commit-user-prefix",
          "tributary",
          "Commits are made as '<prefix>-<sink id>'; Paimon's exactly-once filter works per commit user.");

  public static final ConfigKey<Boolean> WRITER_REUSE =
      ConfigKey.booleanKey(
          PREFIX + "writer-reuse",
          true,
          "Keep each table's Paimon write open between batches, so that a batch does not re-read every bucket's"
              + " file list from the manifests; it is reused only when its last result was committed by this"
              + " sink and nothing else committed since.");

  /**
   * Whether each batch samples the values it writes and the next batch's Parquet files leave out the dictionary
   * of columns whose sample was nearly all distinct (see {@link io.tributary.core.sink.DictionaryChoice}); the
   * sequence number Paimon adds to every row, distinct in every file, is then written plain as well.
   */
  public static final ConfigKey<Boolean> DICTIONARY_SAMPLING =
      ConfigKey.booleanKey(
          PREFIX + "dictionary-sampling",
          true,
          "Write columns whose values were nearly all distinct in the previous batch without a Parquet dictionary"
              + " (default true); false: dictionaries for every column, as Paimon's writer does.");

  public static final ConfigKey<Boolean> ICEBERG_COMPATIBILITY =
      ConfigKey.booleanKey(
          PREFIX + "iceberg-compatibility",
          false,
          "Make new tables readable by Iceberg readers: Paimon writes Iceberg metadata into the table directory"
              + " (metadata.iceberg.storage=table-location) and every commit fully compacts the written buckets"
              + " (full-compaction.delta-commits=1), because Iceberg readers only see fully compacted files of a"
              + " primary-key table. The Glue catalog registers the Iceberg metadata as a Glue Iceberg table.");

  /** Table options set by {@link #ICEBERG_COMPATIBILITY} unless given explicitly. */
  static final Map<String, String> ICEBERG_TABLE_OPTIONS =
      Map.of("metadata.iceberg.storage", "table-location", "num-levels", "2", "compaction.force-up-level-0", "true");

  private final int bucket;
  private final boolean writerReuse;
  private final boolean dictionarySampling;
  private final List<String> partitionKeys;
  private final String commitUserPrefix;
  private final Map<String, String> tableOptions;

  private PaimonSinkConfig(Settings settings) {
    this.bucket = settings.get(BUCKET);
    if (bucket <= 0) {
      throw new IllegalArgumentException(BUCKET.name() + " must be positive, not " + bucket);
    }
    List<String> keys = new ArrayList<>();
    for (String k : settings.get(PARTITION_KEYS).split(",")) {
      if (!k.isBlank()) {
        keys.add(k.trim());
      }
    }
    this.partitionKeys = List.copyOf(keys);
    this.commitUserPrefix = settings.get(COMMIT_USER_PREFIX);
    this.writerReuse = settings.get(WRITER_REUSE);
    this.dictionarySampling = settings.get(DICTIONARY_SAMPLING);
    Map<String, String> options = new java.util.HashMap<>(settings.withPrefix(TABLE_OPTIONS_PREFIX));
    if (settings.get(ICEBERG_COMPATIBILITY)) {
      ICEBERG_TABLE_OPTIONS.forEach(options::putIfAbsent);
    }
    this.tableOptions = Map.copyOf(options);
  }

  public static PaimonSinkConfig from(Settings settings) {
    return new PaimonSinkConfig(settings);
  }

  public int bucket() {
    return bucket;
  }

  public List<String> partitionKeys() {
    return partitionKeys;
  }

  public boolean writerReuse() {
    return writerReuse;
  }

  /** Whether columns of nearly distinct values are written without a dictionary (see {@link #DICTIONARY_SAMPLING}). */
  public boolean samplesDictionaries() {
    return dictionarySampling;
  }

  public String commitUserPrefix() {
    return commitUserPrefix;
  }

  /** Table options given under {@link #TABLE_OPTIONS_PREFIX}, prefix removed. */
  public Map<String, String> tableOptions() {
    return tableOptions;
  }
}
