package io.tributary.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.engines.CdcRecord;
import io.tributary.engines.TributarySinks;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.kafka.testing.EmbeddedKafka;
import io.tributary.kafka.testing.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job upgrade: an unbounded {@code KafkaSource} job over the first half of the corpus is stopped with a
 * savepoint after a checkpoint committed rows, the rest of the corpus is produced, and a new job started from
 * the savepoint must bring the tables to the corpus's final state without committing any change twice
 * (MiniCluster, parallelism 2, checkpoints every 200 ms, no restarts: a failure fails the test).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SavepointTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  private static final Duration WAIT = Duration.ofSeconds(60);

  private final EmbeddedKafka kafka;

  @TempDir Path dir;

  SavepointTest(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  @Test
  void icebergJobUpgradedThroughAStopWithSavepoint() throws Exception {
    upgradeThroughSavepoint(new HashMap<>(TributarySinks.localIceberg(dir.resolve("iceberg"))), false);
  }

  /**
   * A drained savepoint ends the sink's input for good: Flink restores its writers as past end of input
   * ("Received element after endOfInput"), so the next job starts without state from the tables' committed
   * offsets instead. The drain must have committed what the job read, and the new job must complete the rest.
   */
  @Test
  void icebergJobRestartedAfterADrainingStopWithSavepoint() throws Exception {
    upgradeThroughSavepoint(new HashMap<>(TributarySinks.localIceberg(dir.resolve("iceberg"))), true);
  }

  private void upgradeThroughSavepoint(Map<String, String> settings, boolean drain) throws Exception {
    CorpusTopics corpus = new CorpusTopics(kafka, settings);
    corpus.produceUpTo(corpus.size() / 2);
    CorpusRecords.prepareCatalog(settings);

    JobClient first = start(corpus, OffsetsInitializer.earliest(), null);
    awaitOrFail(first, () -> tokens(settings).size() > 0, "a checkpoint committed rows to the tables");
    String savepoint = first.stopWithSavepoint(drain, dir.resolve("savepoints").toUri().toString(),
        SavepointFormatType.CANONICAL).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(first.getJobStatus().get()).isEqualTo(JobStatus.FINISHED);
    int committedByFirst = tokens(settings).size();

    corpus.produceAll();
    // starting offsets "latest": only the savepoint's source positions make the new job read the second half
    // (and whatever of the first half the old job had not read), so a restore that lost them fails the test
    JobClient second = drain
        ? start(corpus, TributaryFlink.committedOffsets(settings), null)
        : start(corpus, OffsetsInitializer.latest(), savepoint);
    try {
      awaitOrFail(second, () -> CorpusRecords.differences(settings).isEmpty(), "the tables equal the final state");
    } finally {
      if (!second.getJobStatus().get().isGloballyTerminalState()) {
        second.cancel().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    }

    assertThat(CorpusRecords.differences(settings)).isEmpty();
    CorpusRecords.commitTokens(settings).forEach((table, tokens) ->
        assertThat(tokens).as("commit tokens of %s", table).doesNotHaveDuplicates()
            .allMatch(t -> t.startsWith("flink-cp-")));
    assertThat(tokens(settings)).as("the restored job committed").hasSizeGreaterThan(committedByFirst);
    corpus.assertDeadLetters();
  }

  /** Submits the job; restored from {@code savepoint} unless it is null. */
  private JobClient start(CorpusTopics corpus, OffsetsInitializer start, String savepoint) throws Exception {
    Configuration conf = new Configuration();
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    env.setParallelism(2);
    env.enableCheckpointing(200);
    // explicit uids, as an upgraded job needs them to map its state (TributaryFlink.sinkTo sets the sink's)
    DataStream<CdcRecord> stream = env
        .fromSource(corpus.source(start, null), WatermarkStrategy.noWatermarks(), "corpus-topics")
        .uid("corpus-topics")
        .map(KafkaSourceTest.SlowAndFailOnce.slowOnly())
        .uid("slow-down");
    TributaryFlink.sinkTo(stream, corpus.settings);
    StreamGraph graph = env.getStreamGraph();
    graph.setJobName("tributary-flink-savepoint-test");
    if (savepoint != null) {
      graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
    }
    return env.executeAsync(graph);
  }

  /** All commit tokens of the corpus tables. */
  private static List<String> tokens(Map<String, String> settings) {
    List<String> all = new ArrayList<>();
    CorpusRecords.commitTokens(settings).values().forEach(all::addAll);
    return all;
  }

  /** Polls {@code condition} while the job runs; fails when the job ends first or the wait is over. */
  private static void awaitOrFail(JobClient job, BooleanSupplier condition, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      JobStatus status = job.getJobStatus().get();
      if (status.isGloballyTerminalState()) {
        try {
          job.getJobExecutionResult().get();
        } catch (ExecutionException e) {
          // the summary line of a test report shows only the top message: name the root cause there
          Throwable root = e;
          while (root.getCause() != null) {
            root = root.getCause();
          }
          throw new AssertionError("job failed before " + what + ": " + root, e);
        }
        throw new AssertionError("job ended (" + status + ") before " + what);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(200);
    }
  }
}
