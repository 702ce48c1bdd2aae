package io.tributary.iceberg;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import java.util.Map;

/**
 * The {@code tributary.iceberg.*} settings of an {@link IcebergTableSink}: table format version, partition
 * spec, table properties and how source types without a portable Iceberg counterpart are stored.
 */
public final class IcebergSinkConfig {
  /** The prefix of every key of this class. */
  public static final String PREFIX = "tributary.iceberg.";

  /** How source {@code TIME} columns are stored. */
  public enum TimeMapping {
    /** A {@code long} of microseconds since midnight: lossless (MySQL durations, negative or over 24 h), readable everywhere. */
    LONG_MICROS,
    /** Iceberg {@code time}: typed, but Spark 3.5/4.0 cannot read tables with such a column. */
    TIME,
    /** A {@code string} {@code [-]HH:MM:SS.ffffff}: readable everywhere and sortable for non-negative values. */
    STRING
  }

  /** How source UUID columns are stored. */
  public enum UuidMapping {
    /** Iceberg {@code uuid}. */
    UUID,
    /** A {@code string} in the canonical 36-character form. */
    STRING
  }

  /** Where a commit's manifest work (writing new manifests, reading existing ones to filter or merge) runs. */
  public enum ManifestWork {
    /** On the thread that commits: no hand-off to a pool that is waited for by polling every 10 ms. */
    COMMIT_THREAD,
    /** On Iceberg's shared worker pool ({@code iceberg.worker.num-threads}): parallel, for tables with many manifests. */
    WORKER_POOL
  }

  /** Iceberg table format version of created tables: 3 (default; column defaults, deletion vectors) or 2. */
  public static final ConfigKey<Integer> FORMAT_VERSION =
      ConfigKey.intKey(PREFIX + "format-version", 3,
          "Iceberg format version of new tables, 2 or 3. Version 2 cannot store column defaults: required"
              + " columns with a default that are added later become optional columns.");

  /**
   * Partition spec of created tables, comma-separated terms: {@code col} or {@code identity(col)},
   * {@code bucket(N, col)}, {@code truncate(W, col)}, {@code year(col)}, {@code month(col)}, {@code day(col)},
   * {@code hour(col)}. Empty: unpartitioned.
   */
  public static final ConfigKey<String> PARTITION_SPEC =
      ConfigKey.stringKey(PREFIX + "partition-spec", "",
          "Partition spec of new tables, e.g. 'bucket(16, id), day(created_at)'; empty for none.");

  /** Prefix of table properties passed to created tables, e.g. {@code tributary.iceberg.table-properties.write.parquet.compression-codec}. */
  public static final String TABLE_PROPERTIES_PREFIX = PREFIX + "table-properties.";

  /**
   * How source TIME columns are stored. The default, {@code long-micros}, is chosen for AWS Glue users whose
   * tables are read by Spark (Glue jobs, EMR) and Athena: Spark 3.5/4.0 fails on any scan of a table with an
   * Iceberg {@code time} column, and MySQL/MariaDB {@code TIME} values may be negative or exceed 24 hours,
   * which neither {@code time} nor a time-of-day string can hold. {@code time} suits Flink/Trino-only readers
   * (Flink truncates to milliseconds); {@code string} suits humans reading the table in SQL.
   */
  public static final ConfigKey<TimeMapping> TIME_MAPPING =
      ConfigKey.enumKey(PREFIX + "time-mapping", TimeMapping.class, TimeMapping.LONG_MICROS,
          "How source TIME columns are stored: long-micros (default), time, string.");

  /**
   * Whether nanosecond timestamps are stored as Iceberg {@code timestamp_ns}/{@code timestamptz_ns} (format
   * version 3 only; Spark cannot read them). Default false: they are truncated to microseconds.
   */
  public static final ConfigKey<Boolean> TIMESTAMP_NS =
      ConfigKey.booleanKey(PREFIX + "timestamp-ns", false,
          "Keep nanosecond timestamps as timestamp_ns (v3, unreadable by Spark); default false: micros.");

  /** How UUID columns are stored: {@code uuid} (default) or {@code string}. */
  public static final ConfigKey<UuidMapping> UUID_AS =
      ConfigKey.enumKey(PREFIX + "uuid-as", UuidMapping.class, UuidMapping.UUID,
          "How UUID columns are stored: uuid (default) or string.");

  /** How many times a commit that lost a race is refreshed and retried before a retryable error is thrown. */
  public static final ConfigKey<Integer> COMMIT_RETRIES =
      ConfigKey.intKey(PREFIX + "commit-retries", 5,
          "Attempts after an Iceberg CommitFailedException before a RetryableException is thrown.");

  /**
   * Where a commit's manifest work runs. Tributary commits often and each commit adds one or two manifests, so by
   * default the committing thread does it itself; Iceberg's worker pool, which it waits for by polling every
   * 10 ms, added 50-100 ms to each such commit. {@code worker-pool} suits tables whose commits read many
   * manifests (merging, validating a batch that read current rows) on a machine with cores to spare.
   */
  public static final ConfigKey<ManifestWork> MANIFEST_WORK =
      ConfigKey.enumKey(PREFIX + "manifest-work", ManifestWork.class, ManifestWork.COMMIT_THREAD,
          "Where a commit's manifest work runs: commit-thread (default) or worker-pool (Iceberg's shared pool).");

  /**
   * Whether each batch samples the values it writes and the next batch writes the columns whose sample was nearly
   * all distinct without a Parquet dictionary, which Parquet would build and then abandon (see
   * {@link io.tributary.core.sink.DictionaryChoice}). Off: every column starts with a dictionary, as Iceberg's
   * writers do by default.
   */
  public static final ConfigKey<Boolean> DICTIONARY_SAMPLING =
      ConfigKey.booleanKey(PREFIX + "dictionary-sampling", true,
          "Write columns whose values were nearly all distinct in the previous batch without a Parquet dictionary"
              + " (default true); false: dictionaries for every column, as Iceberg's writers do.");

  private final int formatVersion;
  private final String partitionSpec;
  private final Map<String, String> tableProperties;
  private final TimeMapping timeMapping;
  private final boolean timestampNanos;
  private final UuidMapping uuidMapping;
  private final int commitRetries;
  private final ManifestWork manifestWork;
  private final boolean dictionarySampling;

  private IcebergSinkConfig(Settings settings) {
    this.formatVersion = settings.get(FORMAT_VERSION);
    if (formatVersion != 2 && formatVersion != 3) {
      throw new IllegalArgumentException(
          FORMAT_VERSION.name() + " must be 2 or 3, not " + formatVersion);
    }
    this.partitionSpec = settings.get(PARTITION_SPEC);
    this.tableProperties = Map.copyOf(settings.withPrefix(TABLE_PROPERTIES_PREFIX));
    this.timeMapping = settings.get(TIME_MAPPING);
    this.timestampNanos = settings.get(TIMESTAMP_NS);
    if (timestampNanos && formatVersion < 3) {
      throw new IllegalArgumentException(
          TIMESTAMP_NS.name() + "=true needs " + FORMAT_VERSION.name() + "=3");
    }
    this.uuidMapping = settings.get(UUID_AS);
    this.commitRetries = Math.max(0, settings.get(COMMIT_RETRIES));
    this.manifestWork = settings.get(MANIFEST_WORK);
    this.dictionarySampling = settings.get(DICTIONARY_SAMPLING);
  }

  /** Reads the {@code tributary.iceberg.*} keys of {@code settings}; other keys are ignored. */
  public static IcebergSinkConfig from(Settings settings) {
    return new IcebergSinkConfig(settings);
  }

  public static IcebergSinkConfig defaults() {
    return new IcebergSinkConfig(Settings.empty());
  }

  public int formatVersion() {
    return formatVersion;
  }

  public String partitionSpec() {
    return partitionSpec;
  }

  public Map<String, String> tableProperties() {
    return tableProperties;
  }

  public TimeMapping timeMapping() {
    return timeMapping;
  }

  public boolean timestampNanos() {
    return timestampNanos;
  }

  public UuidMapping uuidMapping() {
    return uuidMapping;
  }

  public int commitRetries() {
    return commitRetries;
  }

  public ManifestWork manifestWork() {
    return manifestWork;
  }

  /** Whether columns of nearly distinct values are written without a dictionary (see {@link #DICTIONARY_SAMPLING}). */
  public boolean samplesDictionaries() {
    return dictionarySampling;
  }
}
