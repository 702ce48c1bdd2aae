package io.tributary.engines;

import io.tributary.core.RecordException;
import io.tributary.core.TributaryException;
import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.ErrorTolerance;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.internal.DeferringSink;
import io.tributary.engines.internal.SchemaChangeTopics;
import io.tributary.kafka.RecordDispatcher;
import io.tributary.kafka.RunnerConfig;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.RecordDecoder;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;

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
 * <p>Dead letters: with {@code tributary.dead-letter.topic} set, records that cannot be decoded or applied
 * (with {@code tributary.errors.tolerance=all}) go to that topic through a {@link KafkaDeadLetterHandler},
 * exactly as the Kafka runner sends them. The producer takes the {@code kafka.*} settings that are producer
 * properties (connection, security), overridden by {@code tributary.dead-letter.producer.*}. A dead letter is
 * sent when the task meets the record, so a record replayed after a restore may be sent again: the
 * {@code tributary.dlq.topic/partition/offset} headers identify duplicates.
 *
 * <p>Renames and source order: an engine's Kafka source reads the schema-change topic and the table topics in
 * independent splits, so a RENAME COLUMN may reach the task after rows that follow it in the log. With
 * {@link #SCHEMA_CHANGES_FROM_KAFKA} the task reads the schema-change topics itself ({@code kafka.*} consumer
 * properties), to their end before each write of its buffers, and ignores the engine's copies of those
 * records; the pipeline places each rename between the rows before and after it by source position.
 *
 * <p>Not thread-safe; one per task.
 */
public final class StagedWriter implements AutoCloseable {
  /** Paimon only: how long a table's next write waits for this task's previous commit of it to be visible. */
  public static final ConfigKey<Long> COMMIT_WAIT_MS = ConfigKey.longKey(
      "tributary.engines.commit-wait-ms", 120_000L,
      "Paimon only: how long a writer task waits, before writing a table again, for the commit it handed out"
          + " last for that table to become visible; beyond it the task fails and the job restarts.");
  public static final ConfigKey<Boolean> SCHEMA_CHANGES_FROM_KAFKA = ConfigKey.booleanKey(
      "tributary.engines.schema-changes-from-kafka", false,
      "Read Debezium schema-change topics (topic <prefix> of data topics <prefix>.<db>.<table>) directly from"
          + " Kafka (kafka.* consumer properties) to their end before each write, so that renames are applied"
          + " in source order whatever order the engine's source delivers the topics in.");
  public static final ConfigKey<Long> SCHEMA_CHANGES_TIMEOUT_MS = ConfigKey.longKey(
      "tributary.engines.schema-changes-timeout-ms", 60_000L,
      "How long a write waits to read the schema-change topics to their end; beyond it the task fails.");

  private final TableSink sink;
  private final DeferringSink deferring;
  private final IngestPipeline pipeline;
  private final RecordDispatcher dispatcher;
  private final KafkaDeadLetterHandler deadLetters;
  private final SchemaChangeTopics schemaChanges;
  private final RecordDecoder schemaChangeDecoder;

  private StagedWriter(Settings settings) {
    String deadLetterTopic = settings.get(RunnerConfig.DEAD_LETTER_TOPIC);
    if (settings.get(PipelineConfig.ERRORS_TOLERANCE) == ErrorTolerance.ALL && deadLetterTopic == null) {
      throw new IllegalArgumentException(PipelineConfig.ERRORS_TOLERANCE.name() + "=all needs a dead-letter"
          + " topic: set " + RunnerConfig.DEAD_LETTER_TOPIC.name() + " (and kafka.bootstrap.servers)");
    }
    this.sink = TributarySinks.create(settings);
    this.deadLetters = deadLetterTopic == null ? null
        : KafkaDeadLetterHandler.create(deadLetterProducer(settings), deadLetterTopic);
    this.schemaChanges = settings.get(SCHEMA_CHANGES_FROM_KAFKA)
        ? SchemaChangeTopics.open(settings.withPrefix(RunnerConfig.CONSUMER_PREFIX),
            settings.get(SCHEMA_CHANGES_TIMEOUT_MS))
        : null;
    this.schemaChangeDecoder = schemaChanges == null ? null : DebeziumDecoders.create(settings);
    this.deferring = new DeferringSink(sink, settings.get(TributarySinks.FORMAT) == TributarySinks.Format.PAIMON,
        settings.get(PipelineConfig.SINK_ID), settings.get(COMMIT_WAIT_MS));
    // the engine runs writers in parallel tasks and commits at its checkpoints: a task writes on its own thread
    Settings pipelineSettings = settings.with(PipelineConfig.COMMIT_IN_BACKGROUND.name(), "false");
    if (schemaChanges != null) {
      // only this class may write buffers, after catching up on DDL; tributary.buffer.max-bytes bounds memory
      pipelineSettings = pipelineSettings
          .with(PipelineConfig.COMMIT_MAX_RECORDS.name(), Integer.toString(Integer.MAX_VALUE))
          .with(PipelineConfig.COMMIT_MAX_BYTES.name(), Long.toString(Long.MAX_VALUE));
    }
    this.pipeline = IngestPipeline.builder().sink(deferring).deadLetters(deadLetters).settings(pipelineSettings)
        .build();
    this.dispatcher = new RecordDispatcher(
        DebeziumDecoders.create(settings, RecordDispatcher.hintsFrom(sink, settings)), pipeline);
  }

  /**
   * The dead-letter producer's properties as the Kafka runner derives them: the {@code kafka.*} settings that
   * are producer properties, then {@code tributary.dead-letter.producer.*}.
   */
  private static Map<String, Object> deadLetterProducer(Settings settings) {
    Set<String> producerNames = ProducerConfig.configNames();
    Map<String, Object> out = new HashMap<>();
    settings.withPrefix(RunnerConfig.CONSUMER_PREFIX).forEach((k, v) -> {
      if (producerNames.contains(k) && !k.equals(ConsumerConfig.CLIENT_ID_CONFIG)) {
        out.put(k, v);
      }
    });
    out.putAll(settings.withPrefix(RunnerConfig.DEAD_LETTER_PRODUCER_PREFIX));
    if (out.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
      throw new IllegalArgumentException(RunnerConfig.DEAD_LETTER_TOPIC.name() + " needs the broker: set "
          + RunnerConfig.CONSUMER_PREFIX + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG + " or "
          + RunnerConfig.DEAD_LETTER_PRODUCER_PREFIX + ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    }
    return out;
  }

  /** Opens the sink the settings describe ({@link TributarySinks}) and a pipeline over it. */
  public static StagedWriter open(Settings settings) {
    return new StagedWriter(settings);
  }

  /**
   * Opens a writer that replaces one restored from an engine checkpoint: before it writes a table of
   * {@code awaited} (the {@link #awaitedCommits()} of the writer it replaces) it waits until the table holds
   * that commit, which the engine's committer commits again on restore.
   */
  public static StagedWriter open(Settings settings, Collection<AwaitedCommit> awaited) {
    StagedWriter writer = new StagedWriter(settings);
    writer.deferring.await(awaited);
    return writer;
  }

  /**
   * The commits this writer handed out and has not yet seen in their tables (Paimon only; empty for
   * Iceberg): an engine keeps them in its writer state and passes them to {@link #open(Settings, Collection)}
   * on restore, because a restored writer must not start a Paimon write of those tables before they hold them.
   */
  public List<AwaitedCommit> awaitedCommits() {
    return deferring.awaited();
  }

  /** Decodes one record and buffers its change; large buffers are written early (their commits deferred). */
  public void write(ConsumerRecord<byte[], byte[]> record) {
    if (schemaChanges != null) {
      if (schemaChanges.reads(record.topic()) && decodes(record)) {
        return; // read from Kafka directly; an undecodable one is dead-lettered here, by the one task it reached
      }
      schemaChanges.noteDataTopic(record.topic());
    }
    dispatcher.dispatch(record);
    if (pipeline.isOverMemoryLimit()) {
      catchUpOnSchemaChanges();
      pipeline.flushDue();
    }
  }

  /** Writes everything buffered and returns the commits prepared since the last call, in order. */
  public List<PendingCommit> prepareCommit() {
    catchUpOnSchemaChanges();
    pipeline.flushAll();
    return deferring.drain();
  }

  private void catchUpOnSchemaChanges() {
    if (schemaChanges != null) {
      schemaChanges.catchUp(record -> {
        if (decodes(record)) {
          dispatcher.dispatch(record);
        }
      });
    }
  }

  /**
   * Whether a schema-change record decodes. Every task reads those topics; only the engine's own copy of an
   * undecodable record, which reaches one task, goes to the dead letters. Failures that are not the record's
   * (an unreachable schema registry) are thrown.
   */
  private boolean decodes(ConsumerRecord<byte[], byte[]> record) {
    try {
      schemaChangeDecoder.decode(record);
      return true;
    } catch (RecordException e) {
      return false;
    } catch (TributaryException e) {
      throw e;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The sink id the commits are recorded under. */
  public String sinkId() {
    return pipeline.sinkId();
  }

  /** Drops what is buffered (it is read again from the source) and closes the sink and the dead-letter producer. */
  @Override
  public void close() {
    try {
      pipeline.close();
    } finally {
      try {
        sink.close();
      } finally {
        if (deadLetters != null) {
          deadLetters.close();
        }
        if (schemaChanges != null) {
          schemaChanges.close();
        }
      }
    }
  }
}
