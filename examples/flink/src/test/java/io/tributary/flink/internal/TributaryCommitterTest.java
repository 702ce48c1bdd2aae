package io.tributary.flink.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.StaleWriteException;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.engines.PendingCommit;
import io.tributary.engines.TributarySinks;
import io.tributary.flink.CheckpointCommit;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stale Iceberg write (its files hold a row's partition read from a snapshot that a later commit changed)
 * stops the job without restarts, because no retry or restore can commit it, and leaves the table as it was.
 */
class TributaryCommitterTest {
  private static final TableId TABLE = TableId.of("inventory", "customers");
  private static final StructType SCHEMA = StructType.of(
      Field.required("id", Types.IntegerType.get()), Field.optional("name", Types.StringType.get()));

  @TempDir Path dir;

  @Test
  void aStaleWriteStopsTheJobWithoutRestartsAndLeavesTheTableAsItWas() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localIceberg(dir));
    settings.put("tributary.sink.id", "flink-test");
    // partitioned by a non-key column: a delete must read the row to find its partition
    settings.put("tributary.iceberg.partition-spec", "name");
    try (TableSink sink = TributarySinks.create(Settings.of(settings))) {
      sink.create(TABLE, SCHEMA, List.of("id"));
      commit(sink, write(sink, RowChange.upsert(key(1), Row.of(SCHEMA, 1, "a"), origin(0))), 1);
      // a writer reads the table to delete id=1, but before its commit another commit moves the row
      WriteResult stale = write(sink, RowChange.delete(key(1), null, origin(1)));
      commit(sink, write(sink, RowChange.upsert(key(1), Row.of(SCHEMA, 1, "b"), origin(2))), 3);

      PendingCommit pending = PendingCommit.data(TABLE, stale, "offsets-x",
          Map.of(StreamPartition.of("t", 0), 2L), Map.of());
      TributaryCommitter committer = new TributaryCommitter(Settings.of(settings));
      assertThatThrownBy(() -> committer.commit(List.of(request(CheckpointCommit.of(7, List.of(pending))))))
          .isInstanceOf(SuppressRestartsException.class)
          .hasRootCauseInstanceOf(org.apache.iceberg.exceptions.ValidationException.class)
          .satisfies(e -> assertThat(e.getCause()).hasCauseInstanceOf(StaleWriteException.class)
              .hasMessageContaining("checkpoint 7").hasMessageContaining("committedOffsets"));
      committer.close();
      assertThat(((TableInspector) sink).read(TABLE)).containsExactly(Row.of(SCHEMA, 1, "b"));
    }
  }

  private static WriteResult write(TableSink sink, RowChange change) {
    TableWriter writer = sink.newWriter(TABLE);
    writer.write(change);
    return writer.complete();
  }

  private static void commit(TableSink sink, WriteResult result, long nextOffset) {
    sink.commit(TABLE, result, new CommitRequest("other-writer", "t" + nextOffset,
        Map.of(StreamPartition.of("t", 0), nextOffset), Map.of()));
  }

  private static Row key(int id) {
    return Row.of(StructType.of(SCHEMA.field("id")), id);
  }

  private static Origin origin(long offset) {
    return Origin.of("t", 0, offset);
  }

  private static Committer.CommitRequest<CheckpointCommit> request(CheckpointCommit commit) {
    return new Committer.CommitRequest<>() {
      @Override
      public CheckpointCommit getCommittable() {
        return commit;
      }

      @Override
      public int getNumberOfRetries() {
        return 0;
      }

      @Override
      public void signalFailedWithKnownReason(Throwable t) {
        throw new AssertionError("not expected", t);
      }

      @Override
      public void signalFailedWithUnknownReason(Throwable t) {
        throw new AssertionError("not expected", t);
      }

      @Override
      public void retryLater() {
        throw new AssertionError("a stale write cannot succeed later");
      }

      @Override
      public void updateAndRetryLater(CheckpointCommit committable) {
        throw new AssertionError("not expected");
      }

      @Override
      public void signalAlreadyCommitted() {
        throw new AssertionError("not expected");
      }
    };
  }
}
