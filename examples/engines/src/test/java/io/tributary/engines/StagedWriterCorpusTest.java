package io.tributary.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.paimon.PaimonTableSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two staged writers (records split by table as an engine would) and one committer replay the corpus into
 * Iceberg in three epochs; committing an epoch a second time changes nothing.
 */
class StagedWriterCorpusTest {
  @TempDir Path dir;

  @Test
  void icebergWithTwoWritersAndOneCommitter() throws Exception {
    replay(new HashMap<>(TributarySinks.localIceberg(dir.resolve("wh"))));
  }

  @Test
  void paimonWithTwoWritersAndOneCommitter() throws Exception {
    replay(new HashMap<>(TributarySinks.localPaimon(dir.resolve("paimon"))));
  }

  private void replay(Map<String, String> settings) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> records = CorpusRecords.jsonSchemas();
    settings.put("tributary.sink.id", "engines-test");
    Settings s = Settings.of(settings);
    TableKeys keys = TableKeys.from(s);
    int[] cuts = {0, records.size() / 3, 2 * records.size() / 3, records.size()};
    try (StagedWriter w0 = StagedWriter.open(s); StagedWriter w1 = StagedWriter.open(s);
        TableSink committerSink = TributarySinks.create(s)) {
      StagedWriter[] writers = {w0, w1};
      List<Integer> used = new ArrayList<>();
      for (int epoch = 0; epoch < 3; epoch++) {
        for (ConsumerRecord<byte[], byte[]> r : records.subList(cuts[epoch], cuts[epoch + 1])) {
          int w = Math.floorMod(keys.keyOf(r).hashCode(), 2);
          if (!used.contains(w)) {
            used.add(w);
          }
          writers[w].write(r);
        }
        List<PendingCommit> commits = new ArrayList<>(w0.prepareCommit());
        commits.addAll(w1.prepareCommit());
        StagedCommitter.commit(committerSink, "engines-test", "test-" + epoch, commits);
        long snapshots = snapshotCount(committerSink);
        StagedCommitter.commit(committerSink, "engines-test", "test-" + epoch, commits);
        assertThat(snapshotCount(committerSink)).as("replayed epoch %d", epoch).isEqualTo(snapshots);
      }
      assertThat(used).as("both writers received tables").hasSize(2);
    }
    assertThat(CorpusRecords.differences(settings)).isEmpty();
  }

  private static long snapshotCount(TableSink sink) throws Exception {
    long n = 0;
    for (String t : CorpusRecords.TABLES) {
      TableId id = TableId.of("inventory", t);
      if (sink.describe(id).isPresent()) {
        if (sink instanceof IcebergTableSink iceberg) {
          for (var ignored : iceberg.loadTable(id).snapshots()) {
            n++;
          }
        } else {
          n += ((PaimonTableSink) sink).catalog().getTable(
              org.apache.paimon.catalog.Identifier.create(id.namespace(), id.name())).latestSnapshot()
              .map(org.apache.paimon.Snapshot::id).orElse(0L);
        }
      }
    }
    return n;
  }
}
