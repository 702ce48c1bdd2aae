package io.tributary.flink;

import io.tributary.engines.CdcRecord;
import io.tributary.core.config.Settings;
import io.tributary.engines.StagedWriter;
import io.tributary.kafka.RunnerConfig;
import io.tributary.flink.internal.CommitAggregator;
import io.tributary.flink.internal.JavaSerializer;
import io.tributary.flink.internal.TributaryCommitter;
import io.tributary.flink.internal.TributarySinkWriter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A Flink Sink V2 that writes Debezium change records into Iceberg or Paimon tables exactly once: parallel
 * writers decode, buffer, evolve schemas and write files; at each checkpoint their prepared table commits are
 * gathered into one committable and a single committer commits them with the checkpoint id as token.
 *
 * <p>Each task opens the sink from the flat {@code tributary.*} settings this sink carries. Feed it with
 * {@link TributaryFlink#sinkTo}, which sends all records of one table to the same writer.
 *
 * <p>With {@code kafka.bootstrap.servers} among the settings, writers read Debezium schema-change topics
 * directly from Kafka before each write ({@link StagedWriter#SCHEMA_CHANGES_FROM_KAFKA}, on unless set to
 * false), because the Kafka source delivers the schema-change topic and the table topics in no common order;
 * the same {@code kafka.*} properties configure the dead-letter producer ({@code tributary.dead-letter.topic}).
 */
public final class TributaryFlinkSink implements org.apache.flink.api.connector.sink2.Sink<CdcRecord>,
    SupportsCommitter<CheckpointCommit>, SupportsPreCommitTopology<WriterCommits, CheckpointCommit>,
    SupportsWriterState<CdcRecord, WriterState> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> settings;

  private TributaryFlinkSink(Map<String, String> settings) {
    this.settings = new HashMap<>(Objects.requireNonNull(settings, "settings"));
    if (this.settings.containsKey(RunnerConfig.CONSUMER_PREFIX + CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      this.settings.putIfAbsent(StagedWriter.SCHEMA_CHANGES_FROM_KAFKA.name(), "true");
    }
  }

  /** A sink configured by {@code tributary.*} settings (sink format, catalog, decoder, routing, schema policy). */
  public static TributaryFlinkSink of(Map<String, String> settings) {
    return new TributaryFlinkSink(settings);
  }

  @Override
  public SinkWriter<CdcRecord> createWriter(WriterInitContext context) {
    return new TributarySinkWriter(Settings.of(settings), List.of());
  }

  @Override
  public StatefulSinkWriter<CdcRecord, WriterState> restoreWriter(WriterInitContext context,
      Collection<WriterState> recoveredState) {
    return new TributarySinkWriter(Settings.of(settings), recoveredState);
  }

  @Override
  public SimpleVersionedSerializer<WriterState> getWriterStateSerializer() {
    return new JavaSerializer<>(WriterState.class);
  }

  @Override
  public Committer<CheckpointCommit> createCommitter(CommitterInitContext context) {
    return new TributaryCommitter(Settings.of(settings));
  }

  @Override
  public SimpleVersionedSerializer<CheckpointCommit> getCommittableSerializer() {
    return new JavaSerializer<>(CheckpointCommit.class);
  }

  @Override
  public SimpleVersionedSerializer<WriterCommits> getWriteResultSerializer() {
    return new JavaSerializer<>(WriterCommits.class);
  }

  @Override
  public DataStream<CommittableMessage<CheckpointCommit>> addPreCommitTopology(
      DataStream<CommittableMessage<WriterCommits>> writeResults) {
    TypeInformation<CommittableMessage<CheckpointCommit>> type =
        CommittableMessageTypeInfo.of(this::getCommittableSerializer);
    return writeResults.global()
        .transform("tributary-gather-commits", type, new CommitAggregator())
        .uid("tributary-gather-commits")
        .setParallelism(1)
        .setMaxParallelism(1)
        // only committer subtask 0 receives committables: one committer per job
        .global();
  }
}
