package io.tributary.flink.internal;

import io.tributary.core.config.Settings;
import io.tributary.engines.AwaitedCommit;
import io.tributary.engines.PendingCommit;
import io.tributary.engines.StagedWriter;
import io.tributary.engines.CdcRecord;
import io.tributary.flink.WriterCommits;
import io.tributary.flink.WriterState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

/**
 * A writer subtask: decodes, buffers, evolves and writes through a {@link StagedWriter}, and at each checkpoint
 * hands the prepared table commits downstream. Records are not kept: after a failure the source replays from
 * the checkpoint and records a table already holds are skipped by their recorded offsets. Its state is only
 * the commits it handed out and has not seen committed ({@link StagedWriter#awaitedCommits()}): the committer
 * commits the restored ones again when the job restores, and a Paimon write of their tables must not start
 * before that (it would reuse their sequence numbers).
 */
public final class TributarySinkWriter
    implements CommittingSinkWriter<CdcRecord, WriterCommits>, StatefulSinkWriter<CdcRecord, WriterState> {
  private final StagedWriter writer;

  public TributarySinkWriter(Settings settings, Collection<WriterState> restored) {
    List<AwaitedCommit> awaited = new ArrayList<>();
    restored.forEach(state -> awaited.addAll(state.awaited()));
    this.writer = StagedWriter.open(settings, awaited);
  }

  @Override
  public void write(CdcRecord element, Context context) {
    writer.write(element.toConsumerRecord());
  }

  @Override
  public void flush(boolean endOfInput) {
    // files are written in prepareCommit, which always follows
  }

  @Override
  public Collection<WriterCommits> prepareCommit() {
    List<PendingCommit> commits = writer.prepareCommit();
    return commits.isEmpty() ? List.of() : List.of(WriterCommits.of(commits));
  }

  @Override
  public List<WriterState> snapshotState(long checkpointId) {
    List<AwaitedCommit> awaited = writer.awaitedCommits();
    return awaited.isEmpty() ? List.of() : List.of(WriterState.of(awaited));
  }

  @Override
  public void close() {
    writer.close();
  }
}
