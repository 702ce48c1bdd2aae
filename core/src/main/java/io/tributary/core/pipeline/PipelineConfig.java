package io.tributary.core.pipeline;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;

/** The typed configuration keys of the {@link IngestPipeline}, with their documentation and defaults. */
public final class PipelineConfig {
  public static final ConfigKey<String> SINK_ID = ConfigKey.stringKey(
      "tributary.sink.id", "tributary",
      "Identity of this pipeline in the tables' commit metadata. Offsets are kept per sink id: two pipelines"
          + " writing the same tables from different topics need different ids; instances of one pipeline"
          + " (one consumer group) share one.");
  public static final ConfigKey<Long> COMMIT_INTERVAL_MS = ConfigKey.longKey(
      "tributary.commit.interval-ms", 5_000L,
      "Commit a table at the latest this many milliseconds after its first buffered record. A Kafka runner that"
          + " was behind the end of its partitions for at least this long commits as soon as it catches up.");
  public static final ConfigKey<Integer> COMMIT_MAX_RECORDS = ConfigKey.intKey(
      "tributary.commit.max-records", 200_000,
      "Commit a table once this many records are buffered for it.");
  public static final ConfigKey<Long> COMMIT_MAX_BYTES = ConfigKey.longKey(
      "tributary.commit.max-bytes", 64L << 20,
      "Commit a table once its buffered records hold this many bytes (record key+value sizes).");
  public static final ConfigKey<Long> BUFFER_MAX_BYTES = ConfigKey.longKey(
      "tributary.buffer.max-bytes", 128L << 20,
      "Bound on the bytes buffered over all tables; beyond it the largest tables are committed early and a"
          + " consumer pauses its partitions.");
  public static final ConfigKey<Boolean> COMMIT_IN_BACKGROUND = ConfigKey.booleanKey(
      "tributary.commit.in-background", true,
      "Write and commit a table's batch on the pipeline's own commit thread while the caller goes on reading"
          + " and decoding the next records (one batch at a time; it counts against tributary.buffer.max-bytes"
          + " until it is committed). false: every commit runs on the caller's thread. Either way flush(table),"
          + " flushAll() and close() return only when nothing is left being committed.");
  public static final ConfigKey<ErrorTolerance> ERRORS_TOLERANCE = ConfigKey.enumKey(
      "tributary.errors.tolerance", ErrorTolerance.class, ErrorTolerance.NONE,
      "none: a record that cannot be decoded or applied stops the pipeline; all: it goes to the dead-letter"
          + " destination with the reason and the pipeline goes on (buffered records then keep their bytes until"
          + " committed).");
  public static final ConfigKey<Integer> COMMIT_RETRIES = ConfigKey.intKey(
      "tributary.commit.retries", 8,
      "How often a table commit that failed for a transient reason (conflict, throttling) is retried.");
  public static final ConfigKey<Long> RETRY_BACKOFF_MS = ConfigKey.longKey(
      "tributary.commit.retry-backoff-ms", 100L,
      "First backoff between commit retries; doubled on every retry, at most 10 s.");

  private PipelineConfig() {}

  /** Every key, for documentation and validation. */
  public static java.util.List<ConfigKey<?>> keys() {
    return java.util.List.of(SINK_ID, COMMIT_INTERVAL_MS, COMMIT_MAX_RECORDS, COMMIT_MAX_BYTES,
        BUFFER_MAX_BYTES, COMMIT_IN_BACKGROUND, ERRORS_TOLERANCE, COMMIT_RETRIES, RETRY_BACKOFF_MS);
  }

  static void validate(Settings settings) {
    for (ConfigKey<?> key : keys()) {
      settings.get(key);
    }
  }
}
