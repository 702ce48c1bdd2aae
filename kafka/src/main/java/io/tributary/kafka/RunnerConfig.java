package io.tributary.kafka;

import io.tributary.core.config.ConfigKey;
import java.util.List;

/**
 * The typed {@code tributary.*} keys of the {@link IngestRunner}, besides those of the pipeline
 * ({@link io.tributary.core.pipeline.PipelineConfig}) and the decoder. Kafka client properties are passed
 * unchanged: through {@link IngestRunner.Builder#consumerProperties} or as settings prefixed {@code kafka.}.
 */
public final class RunnerConfig {
  /** Settings entries with this prefix are consumer properties, prefix removed ({@code kafka.bootstrap.servers}). */
  public static final String CONSUMER_PREFIX = "kafka.";
  /** Settings entries with this prefix override dead-letter producer properties, prefix removed. */
  public static final String DEAD_LETTER_PRODUCER_PREFIX = "tributary.dead-letter.producer.";

  public static final ConfigKey<String> TOPICS = ConfigKey.stringKey(
      "tributary.topics", null, "Comma-separated topics to consume, when no topic pattern is given.");
  public static final ConfigKey<String> TOPIC_PATTERN = ConfigKey.stringKey(
      "tributary.topic-pattern", null,
      "A regex of topics to consume; topics created later that match it are picked up without a restart"
          + " (within metadata.max.age.ms, 30 s unless set).");
  public static final ConfigKey<String> DEAD_LETTER_TOPIC = ConfigKey.stringKey(
      "tributary.dead-letter.topic", null,
      "Topic that receives records which cannot be decoded or applied (with tributary.errors.tolerance=all),"
          + " unchanged, with tributary.dlq.* headers giving origin and reason. The producer uses the consumer's"
          + " connection and security properties, overridden by tributary.dead-letter.producer.*.");
  public static final ConfigKey<Long> POLL_TIMEOUT_MS = ConfigKey.longKey(
      "tributary.runner.poll-timeout-ms", 500L,
      "Longest wait for records in one poll; commit intervals are checked at least this often.");
  public static final ConfigKey<Long> RETRY_BACKOFF_MS = ConfigKey.longKey(
      "tributary.runner.retry-backoff-ms", 500L,
      "First wait after a transient failure (sink or broker unavailable) before reading again; doubled on"
          + " each consecutive failure.");
  public static final ConfigKey<Long> RETRY_BACKOFF_MAX_MS = ConfigKey.longKey(
      "tributary.runner.retry-backoff-max-ms", 30_000L, "Upper bound of the retry backoff.");
  public static final ConfigKey<Integer> MAX_RETRIES = ConfigKey.intKey(
      "tributary.runner.max-retries", 20,
      "Consecutive transient failures tolerated before the runner stops with the last one (-1: no limit).");
  public static final ConfigKey<Long> CLOSE_TIMEOUT_MS = ConfigKey.longKey(
      "tributary.runner.close-timeout-ms", 120_000L,
      "How long close() waits for the final table commits and the consumer to close.");

  public static final ConfigKey<Integer> DECODE_THREADS = ConfigKey.intKey(
      "tributary.runner.decode-threads", Math.min(4, Runtime.getRuntime().availableProcessors()),
      "Threads that decode the polled records, the runner's own included (default: the processors, at most 4);"
          + " the helpers decode a poll's records while the runner reads the next, and the pipeline still receives"
          + " the records in the order they were read. 1: the runner's thread alone, one poll at a time.");

  private RunnerConfig() {}

  /** Every key, for documentation and validation. */
  public static List<ConfigKey<?>> keys() {
    return List.of(TOPICS, TOPIC_PATTERN, DEAD_LETTER_TOPIC, POLL_TIMEOUT_MS, RETRY_BACKOFF_MS,
        RETRY_BACKOFF_MAX_MS, MAX_RETRIES, CLOSE_TIMEOUT_MS, DECODE_THREADS);
  }
}
