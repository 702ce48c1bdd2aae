package io.tributary.flink;

import io.tributary.core.config.Settings;
import io.tributary.flink.internal.CommitAggregator;
import io.tributary.flink.internal.JavaSerializer;
import io.tributary.flink.internal.TributaryCommitter;
import io.tributary.flink.internal.TributarySinkWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessageTypeInfo;
import org.apache.flink.streaming.api.connector.sink2.SupportsPreCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * A Flink Sink V2 that writes Debezium change records into Iceberg or Paimon tables exactly once: parallel
 * writers decode, buffer, evolve schemas and write files; at each checkpoint their prepared table commits are
 * gathered into one committable and a single committer commits them with the checkpoint id as token.
 *
 * <p>Each task opens the sink from the flat {@code tributary.*} settings this sink carries. Feed it with
 * {@link TributaryFlink#sinkTo}, which sends all records of one table to the same writer.
 */
public final class TributaryFlinkSink implements org.apache.flink.api.connector.sink2.Sink<CdcRecord>,
    SupportsCommitter<CheckpointCommit>, SupportsPreCommitTopology<WriterCommits, CheckpointCommit> {
  private static final long serialVersionUID = 1L;

  private final HashMap<String, String> settings;

  private TributaryFlinkSink(Map<String, String> settings) {
    this.settings = new HashMap<>(Objects.requireNonNull(settings, "settings"));
  }

  /** A sink configured by {@code tributary.*} settings (sink format, catalog, decoder, routing, schema policy). */
  public static TributaryFlinkSink of(Map<String, String> settings) {
    return new TributaryFlinkSink(settings);
  }

  @Override
  public SinkWriter<CdcRecord> createWriter(WriterInitContext context) {
    return new TributarySinkWriter(Settings.of(settings));
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
