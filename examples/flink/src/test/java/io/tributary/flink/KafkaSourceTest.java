package io.tributary.flink;

import io.tributary.engines.CdcRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.engines.TributarySinks;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.kafka.testing.EmbeddedKafka;
import io.tributary.kafka.testing.EmbeddedKafkaExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded corpus (json-schemas: keys, headers, the schema-change topic) produced to the in-JVM KRaft
 * broker, read by {@code flink-connector-kafka}'s {@link KafkaSource} (bounded at the latest offsets) and
 * written by {@link TributaryFlink#sinkTo} on a MiniCluster at parallelism 2 with checkpoints every 200 ms.
 * The job fails once mid-way, after a completed checkpoint, restores and finishes; the three tables must then
 * equal the corpus's final state. A few malformed records interleaved with the corpus must land in the
 * dead-letter topic with their reason, and nowhere else.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaSourceTest {
  @RegisterExtension
  static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
      new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

  static final AtomicBoolean FAILED = new AtomicBoolean();
  static final AtomicInteger COMPLETED_CHECKPOINTS = new AtomicInteger();

  private final EmbeddedKafka kafka;

  @TempDir Path dir;

  KafkaSourceTest(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  @Test
  void icebergReproducesTheFinalStateAcrossAFailure() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localIceberg(dir.resolve("iceberg")));
    Replay replay = new Replay(settings);
    replay.run();
    assertThat(CorpusRecords.differences(settings)).isEmpty();
    Set<String> epochs = new TreeSet<>();
    CorpusRecords.commitTokens(settings).values().forEach(tokens ->
        tokens.forEach(token -> epochs.add(token.substring(0, token.indexOf(':')))));
    assertThat(epochs).as("commits of several checkpoints").hasSizeGreaterThan(2)
        .allMatch(e -> e.startsWith("flink-cp-"));
    replay.assertDeadLetters();

    // a job started without Flink state from the tables' committed offsets has nothing left to read
    long commits = CorpusRecords.commitCount(settings);
    replay.runFrom(TributaryFlink.committedOffsets(settings));
    assertThat(CorpusRecords.commitCount(settings)).isEqualTo(commits);
    assertThat(CorpusRecords.differences(settings)).isEmpty();
  }

  /**
   * Partitions that no table recorded start at the beginning of the log. Flink's own
   * {@code OffsetsInitializer.offsets(map, EARLIEST)} would look up the consumer group's offsets for them first,
   * through an admin call Kafka 4 clients no longer have, and fail the job.
   */
  @Test
  void jobStartedFromTheTablesOffsetsReadsWhatNoTableRecordedFromTheBeginning() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localIceberg(dir.resolve("iceberg")));
    Replay replay = new Replay(settings);
    replay.corpus.produceAll();
    CorpusRecords.prepareCatalog(settings);
    FAILED.set(true); // no injected failure: the job runs once, from the offsets the (empty) tables give
    replay.runFrom(TributaryFlink.committedOffsets(settings));
    assertThat(CorpusRecords.differences(settings)).isEmpty();
    replay.assertDeadLetters();
  }

  @Test
  void paimonReproducesTheFinalStateAcrossAFailure() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localPaimon(dir.resolve("paimon")));
    settings.put("tributary.paimon.bucket", "2");
    // a checkpoint declined while a bounded source subtask finishes leaves a handed-out commit uncommitted
    // until the next checkpoint, which the waiting writer blocks: fail over sooner than the default 120 s
    settings.put("tributary.engines.commit-wait-ms", "10000");
    Replay replay = new Replay(settings);
    replay.run();
    assertThat(CorpusRecords.differences(settings)).isEmpty();
    replay.assertDeadLetters();
  }

  /** One run: its own topics, dead-letter topic and consumer group on the shared broker. */
  private final class Replay {
    final CorpusTopics corpus;

    Replay(Map<String, String> sinkSettings) {
      this.corpus = new CorpusTopics(kafka, sinkSettings);
    }

    /** Produces the corpus and runs the job from the earliest offsets, failing it once mid-way. */
    void run() throws Exception {
      corpus.produceAll();
      CorpusRecords.prepareCatalog(corpus.settings);
      FAILED.set(false);
      runFrom(OffsetsInitializer.earliest());
      assertThat(FAILED).as("the failure was injected").isTrue();
    }

    /** Runs the job from {@code start} to the current end of the topics; fails it once unless it did already. */
    void runFrom(OffsetsInitializer start) throws Exception {
      COMPLETED_CHECKPOINTS.set(0);
      Configuration conf = new Configuration();
      conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
      conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
      StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
      env.setParallelism(2);
      env.enableCheckpointing(200);
      String orderLines = "mariadb.inventory.order_lines";
      DataStream<CdcRecord> stream = env
          .fromSource(corpus.source(start, OffsetsInitializer.latest()), WatermarkStrategy.noWatermarks(),
              "corpus-topics")
          .map(new SlowAndFailOnce(corpus.prefix + orderLines, corpus.produced(orderLines) / 2));
      TributaryFlink.sinkTo(stream, corpus.settings);
      env.execute("tributary-flink-kafka-test");
    }

    void assertDeadLetters() {
      corpus.assertDeadLetters();
    }
  }

  /**
   * Slows the source down (a few ms per record) so that checkpoints complete while the corpus is read, and
   * throws once at the first {@code topic} record from {@code offset} on after a checkpoint completed.
   */
  static final class SlowAndFailOnce extends RichMapFunction<CdcRecord, CdcRecord> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    private final String topic;
    private final long offset;

    SlowAndFailOnce(String topic, long offset) {
      this.topic = topic;
      this.offset = offset;
    }

    /** Only slows the source down. */
    static SlowAndFailOnce slowOnly() {
      return new SlowAndFailOnce("", Long.MAX_VALUE);
    }

    @Override
    public CdcRecord map(CdcRecord value) throws InterruptedException {
      Thread.sleep(3);
      if (value.topic().equals(topic) && value.offset() >= offset && COMPLETED_CHECKPOINTS.get() > 0
          && FAILED.compareAndSet(false, true)) {
        throw new IllegalStateException("injected failure at " + value);
      }
      return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      COMPLETED_CHECKPOINTS.incrementAndGet();
    }
  }
}
