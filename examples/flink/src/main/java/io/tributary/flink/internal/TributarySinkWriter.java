package io.tributary.flink.internal;

import io.tributary.core.config.Settings;
import io.tributary.engines.PendingCommit;
import io.tributary.engines.StagedWriter;
import io.tributary.flink.CdcRecord;
import io.tributary.flink.WriterCommits;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;

/**
 * A writer subtask: decodes, buffers, evolves and writes through a {@link StagedWriter}, and at each checkpoint
 * hands the prepared table commits downstream. It keeps no state: after a failure the source replays from the
 * checkpoint and records a table already holds are skipped by their recorded offsets.
 */
public final class TributarySinkWriter implements CommittingSinkWriter<CdcRecord, WriterCommits> {
  private final StagedWriter writer;

  public TributarySinkWriter(Settings settings) {
    this.writer = StagedWriter.open(settings);
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
  public void close() {
    writer.close();
  }
}
