package io.tributary.benchmarks.write;

import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.sink.TableSink;
import io.tributary.kafka.DecodingThreads;
import io.tributary.kafka.RecordDispatcher;
import io.tributary.kafka.RunnerConfig;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.DecoderConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Tributary end to end without Kafka: records are decoded by the configured Debezium decoder and fed through
 * the {@link RecordDispatcher} into an {@link IngestPipeline} that writes and commits to a sink, as the Kafka
 * runner does with polled records. Commits are triggered by the pipeline itself, every
 * {@code tributary.commit.max-records} records.
 */
public final class Replay implements AutoCloseable {
  /** The table the replayed topic is routed to. */
  public static final TableId TABLE = TableId.of("inventory", "customers");

  private final IngestPipeline pipeline;
  private final DecodingThreads decoding;
  private final RecordDispatcher dispatcher;

  /** A replay that decodes on {@code tributary.runner.decode-threads} threads, as the Kafka runner does. */
  public Replay(TableSink sink, Settings settings, PipelineListener listener) {
    this.pipeline = IngestPipeline.builder().sink(sink).settings(settings).listener(listener).build();
    this.decoding = DecodingThreads.of(settings.get(RunnerConfig.DECODE_THREADS));
    this.dispatcher = new RecordDispatcher(DebeziumDecoders.create(settings), pipeline, decoding);
  }

  /**
   * Settings of a replay that commits every {@code commitEvery} records: the interval trigger is off so that
   * every run commits at the same records, and the byte bounds are the defaults (a 10,000-record batch of
   * these records holds about 53 MB, under the 64 MB of {@code tributary.commit.max-bytes}).
   */
  public static Settings settings(int commitEvery) {
    return settings(commitEvery, Map.of());
  }

  /** {@link #settings(int)} with more settings, e.g. a sink's {@code tributary.paimon.*} keys. */
  public static Settings settings(int commitEvery, Map<String, String> more) {
    Map<String, String> values = new java.util.HashMap<>(Map.of(
        PipelineConfig.COMMIT_MAX_RECORDS.name(), Integer.toString(commitEvery),
        PipelineConfig.COMMIT_INTERVAL_MS.name(), Long.toString(Long.MAX_VALUE / 4),
        DecoderConfig.FORMAT.name(), "json"));
    values.putAll(more);
    return Settings.of(values);
  }

  /**
   * Decodes and ingests one record. With {@code tributary.commit.in-background} the commit it triggers may still
   * be running when this returns: a measurement ends at {@link #finish()} or at a commit callback, never here.
   */
  public void feed(ConsumerRecord<byte[], byte[]> record) {
    dispatcher.dispatch(record);
  }

  /** Decodes records together, as the Kafka runner decodes a poll, and ingests them in their order. */
  public void feedAll(List<ConsumerRecord<byte[], byte[]>> records) {
    dispatcher.dispatchAll(records);
  }

  /** Commits what is buffered and returns once every commit of this replay is visible. */
  public void finish() {
    pipeline.flushAll();
  }

  @Override
  public void close() {
    pipeline.close();
    decoding.close();
  }
}
