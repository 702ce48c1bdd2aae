package io.tributary.flink;

import io.tributary.engines.CdcRecord;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.engines.TributarySinks;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.testing.EmbeddedKafka;
import io.tributary.kafka.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
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

  /** Corpus line numbers after which a malformed record goes to the same topic as that line. */
  private static final List<Integer> MALFORMED_AFTER = List.of(40, 500, 1000, 1119); // 1119: a DDL

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
    try (IcebergTableSink sink = (IcebergTableSink) TributarySinks.create(Settings.of(settings))) {
      for (String t : CorpusRecords.TABLES) {
        for (var s : sink.loadTable(TableId.of("inventory", t)).snapshots()) {
          String token = s.summary().get("tributary.flink-test.token");
          if (token != null) {
            epochs.add(token.substring(0, token.indexOf(':')));
          }
        }
      }
    }
    assertThat(epochs).as("commits of several checkpoints").hasSizeGreaterThan(2)
        .allMatch(e -> e.startsWith("flink-cp-"));
    replay.assertDeadLetters();

    // a job started without Flink state from the tables' committed offsets has nothing left to read
    long commits = CorpusRecords.commitCount(settings);
    replay.runFrom(TributaryFlink.committedOffsets(settings));
    assertThat(CorpusRecords.commitCount(settings)).isEqualTo(commits);
    assertThat(CorpusRecords.differences(settings)).isEmpty();
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
    final String prefix = EmbeddedKafka.uniqueName("flink") + "-";
    final String deadLetterTopic = prefix + "dlq";
    final List<String> topics = new ArrayList<>();
    /** "topic@offset" of every malformed record produced. */
    final Set<String> malformed = new LinkedHashSet<>();
    final Map<String, String> settings;
    long orderLinesRecords;

    Replay(Map<String, String> sinkSettings) {
      this.settings = sinkSettings;
      settings.put("tributary.sink.id", "flink-test");
      settings.put("tributary.errors.tolerance", "all");
      settings.put("tributary.dead-letter.topic", deadLetterTopic);
      settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    /** Produces the corpus and runs the job from the earliest offsets, failing it once mid-way. */
    void run() throws Exception {
      produceCorpus();
      CorpusRecords.prepareCatalog(settings);
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
      KafkaSource<CdcRecord> source = KafkaSource.<CdcRecord>builder()
          .setBootstrapServers(kafka.bootstrapServers())
          .setTopics(topics)
          .setGroupId(prefix + "group")
          .setStartingOffsets(start)
          .setBounded(OffsetsInitializer.latest())
          .setDeserializer(TributaryFlink.deserializer())
          .build();
      DataStream<CdcRecord> stream = env.fromSource(source, WatermarkStrategy.noWatermarks(), "corpus-topics")
          .map(new SlowAndFailOnce(prefix + "mariadb.inventory.order_lines", orderLinesRecords / 2));
      TributaryFlink.sinkTo(stream, settings);
      env.execute("tributary-flink-kafka-test");
    }

    /** The corpus in emit order, each record to its (prefixed) topic, with malformed records interleaved. */
    private void produceCorpus() {
      List<ConsumerRecord<byte[], byte[]>> corpus = CorpusRecords.jsonSchemas();
      Set<String> names = new LinkedHashSet<>();
      corpus.forEach(r -> names.add(prefix + r.topic()));
      for (String t : names) {
        kafka.createTopic(t, 1);
        topics.add(t);
      }
      kafka.createTopic(deadLetterTopic, 1);
      Map<String, Long> next = new HashMap<>();
      List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
      for (int i = 0; i < corpus.size(); i++) {
        ConsumerRecord<byte[], byte[]> r = corpus.get(i);
        String topic = prefix + r.topic();
        ProducerRecord<byte[], byte[]> p = new ProducerRecord<>(topic, 0, null, r.key(), r.value());
        r.headers().forEach(h -> p.headers().add(h.key(), h.value()));
        out.add(p);
        next.merge(topic, 1L, Long::sum);
        if (MALFORMED_AFTER.contains(i + 1)) {
          ProducerRecord<byte[], byte[]> bad = new ProducerRecord<>(topic, 0, null, r.key(),
              ("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"op\":").getBytes(StandardCharsets.UTF_8));
          bad.headers().add("test.malformed", Integer.toString(i + 1).getBytes(StandardCharsets.UTF_8));
          out.add(bad);
          malformed.add(topic + "@" + next.get(topic));
          next.merge(topic, 1L, Long::sum);
        }
      }
      kafka.produce(out);
      orderLinesRecords = next.get(prefix + "mariadb.inventory.order_lines");
    }

    /** Every malformed record is in the dead-letter topic with its origin and reason (at least once). */
    void assertDeadLetters() {
      List<ConsumerRecord<byte[], byte[]>> letters =
          kafka.consume(deadLetterTopic, malformed.size(), Duration.ofSeconds(20));
      Set<String> origins = new LinkedHashSet<>();
      for (ConsumerRecord<byte[], byte[]> letter : letters) {
        origins.add(header(letter, KafkaDeadLetterHandler.HEADER_TOPIC) + "@"
            + header(letter, KafkaDeadLetterHandler.HEADER_OFFSET));
        assertThat(header(letter, KafkaDeadLetterHandler.HEADER_ERROR_MESSAGE)).isNotBlank();
        assertThat(header(letter, "test.malformed")).as("the record's own headers are kept").isNotNull();
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).startsWith("{\"schema\"");
      }
      assertThat(origins).containsExactlyInAnyOrderElementsOf(malformed);
    }

    private String header(ConsumerRecord<byte[], byte[]> record, String key) {
      Header h = record.headers().lastHeader(key);
      return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
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
