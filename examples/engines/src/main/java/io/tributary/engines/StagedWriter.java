package io.tributary.engines;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.internal.DeferringSink;
import io.tributary.kafka.RecordDispatcher;
import io.tributary.kafka.decode.DebeziumDecoders;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The writing half of Tributary for one engine task: decodes Debezium records, routes, buffers, evolves table
 * schemas and writes files exactly as the {@link IngestPipeline} does, but hands each table commit back as a
 * {@link PendingCommit} for a single committer instead of making it.
 *
 * <p>Schema changes are applied here, by the task that meets them, through the sink's {@code evolve}: both
 * sinks check the table's current schema before changing it and skip what is already applied, so two tasks
 * meeting the same change never conflict, and files written under an older schema stay readable. Records of
 * one table must reach one task in source order (route with {@link TableKeys}).
 *
 * <p>Not thread-safe; one per task.
 */
public final class StagedWriter implements AutoCloseable {
  /** Paimon only: how long a table's next write waits for this task's previous commit of it to be visible. */
  public static final ConfigKey<Long> COMMIT_WAIT_MS = ConfigKey.longKey(
      "tributary.engines.commit-wait-ms", 120_000L,
      "Paimon only: how long a writer task waits, before writing a table again, for the commit it handed out"
          + " last for that table to become visible; beyond it the task fails and the job restarts.");

  private final TableSink sink;
  private final DeferringSink deferring;
  private final IngestPipeline pipeline;
  private final RecordDispatcher dispatcher;

  private StagedWriter(Settings settings) {
    this.sink = TributarySinks.create(settings);
    this.deferring = new DeferringSink(sink, settings.get(TributarySinks.FORMAT) == TributarySinks.Format.PAIMON,
        settings.get(PipelineConfig.SINK_ID), settings.get(COMMIT_WAIT_MS));
    this.pipeline = IngestPipeline.builder().sink(deferring).settings(settings).build();
    this.dispatcher = new RecordDispatcher(
        DebeziumDecoders.create(settings, RecordDispatcher.hintsFrom(sink, settings)), pipeline);
  }

  /** Opens the sink the settings describe ({@link TributarySinks}) and a pipeline over it. */
  public static StagedWriter open(Settings settings) {
    return new StagedWriter(settings);
  }

  /** Decodes one record and buffers its change; large buffers are written early (their commits deferred). */
  public void write(ConsumerRecord<byte[], byte[]> record) {
    dispatcher.dispatch(record);
    if (pipeline.isOverMemoryLimit()) {
      pipeline.flushDue();
    }
  }

  /** Writes everything buffered and returns the commits prepared since the last call, in order. */
  public List<PendingCommit> prepareCommit() {
    pipeline.flushAll();
    return deferring.drain();
  }

  /** The sink id the commits are recorded under. */
  public String sinkId() {
    return pipeline.sinkId();
  }

  /** Drops what is buffered (it is read again from the source) and closes the sink. */
  @Override
  public void close() {
    try {
      pipeline.close();
    } finally {
      sink.close();
    }
  }
}
