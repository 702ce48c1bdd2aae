package io.tributary.kafka;

import static io.tributary.kafka.LinesDecoder.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.FatalException;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.pipeline.CommitStats;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.decode.RecordDecoder;
import io.tributary.kafka.testing.EmbeddedKafka;
import io.tributary.kafka.testing.EmbeddedKafkaExtension;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The runner against a real broker, with the test {@link LinesDecoder} format and the in-memory sink. */
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IngestRunnerTest {
  static final TableId ITEMS = TableId.of("shop", "items");
  static final TableId LOGS = TableId.of("shop", "logs");
  static final TableId AUDIT = TableId.of("shop", "audit");

  private final EmbeddedKafka kafka;
  private final InMemoryTableSink memory = new InMemoryTableSink();

  IngestRunnerTest(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  static Map<String, String> fastSettings() {
    Map<String, String> s = new HashMap<>();
    s.put("tributary.commit.interval-ms", "100");
    s.put("tributary.runner.poll-timeout-ms", "100");
    s.put("tributary.runner.retry-backoff-ms", "50");
    s.put("tributary.commit.retry-backoff-ms", "1");
    return s;
  }

  private IngestRunner.Builder runner(String group, TableSink sink) {
    return IngestRunner.builder()
        .consumerProperties(kafka.consumerProperties(group))
        .sink(sink)
        .decoder(new LinesDecoder())
        .settings(fastSettings());
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private List<ProducerRecord<byte[], byte[]>> logs(String topic, int partitions, int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> new ProducerRecord<byte[], byte[]>(topic, i % partitions, null, line("c", "logs", i, "log-" + i)))
        .toList();
  }

  /** A new topic named after {@code name} whose partitions hold logs 0..count-1, spread round-robin. */
  private String logsTopic(String name, int partitions, int count) {
    String topic = EmbeddedKafka.uniqueName(name);
    kafka.createTopic(topic, partitions);
    kafka.produce(logs(topic, partitions, 0, count));
    return topic;
  }

  /** Restarts a runner of {@code group} and checks that logs 0..count landed once each, nothing lost or doubled. */
  private void restartAndExpectEveryLogOnce(String group, String topic, int count) throws InterruptedException {
    IngestRunner restarted = runner(group, memory).topics(topic).build().start();
    await("every record landed", Duration.ofSeconds(30), () -> rowCount(LOGS) >= count
        && restarted.metrics().positions().size() == 2 && restarted.metrics().totalLag() == 0);
    restarted.close();
    assertThat(payloads(LOGS)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedLogs(0, count));
  }

  private List<String> payloads(TableId table) {
    return memory.rows(table).stream().map(r -> (String) r.get("payload")).toList();
  }

  private int rowCount(TableId table) {
    return memory.describe(table).isPresent() ? memory.rows(table).size() : 0;
  }

  private static Set<String> expectedLogs(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "log-" + i).collect(Collectors.toSet());
  }

  @Test
  void consumesEveryPartitionAppliesUpsertsAndDeletesAndCommitsGroupOffsets() throws Exception {
    String topic = EmbeddedKafka.uniqueName("basic");
    kafka.createTopic(topic, 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      records.add(new ProducerRecord<>(topic, i % 2, null, line("c", "items", i, "v1-" + i)));
    }
    for (int i = 0; i < 50; i += 5) {
      records.add(new ProducerRecord<>(topic, i % 2, null, line("c", "items", i, "v2-" + i)));
      records.add(new ProducerRecord<>(topic, (i + 1) % 2, null, line("d", "items", i + 1, "")));
      records.add(new ProducerRecord<>(topic, (i + 1) % 2, null, null)); // tombstone
    }
    records.addAll(logs(topic, 2, 0, 30));
    kafka.produce(records);

    String group = EmbeddedKafka.uniqueName("g");
    IngestRunner runner = runner(group, memory).topics(topic).build().start();
    await("all rows are in", Duration.ofSeconds(30), () -> rowCount(ITEMS) == 40 && rowCount(LOGS) == 30);
    await("all offsets are consumed", Duration.ofSeconds(30), () -> runner.metrics().positions().size() == 2
        && runner.metrics().totalLag() == 0);
    Map<TopicPartition, Long> end = kafka.endOffsets(Set.of(topic));
    // committed after table commits while the runner runs, not only when it stops
    await("the group's offsets reach the end", Duration.ofSeconds(30), () -> groupOffsets(group).equals(end)
        && runner.metrics().committedOffsets().size() == 2);
    RunnerMetrics metrics = runner.metrics();
    runner.close();

    assertThat(runner.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.failure()).isNull();
    assertThat(runner.metrics().state()).isEqualTo(RunnerMetrics.State.CLOSED);
    assertThat(memory.rows(ITEMS)).hasSize(40).contains(Row.of(LinesDecoder.ITEMS, 5, "v2-5"))
        .doesNotContain(Row.of(LinesDecoder.ITEMS, 6, "v1-6"));
    assertThat(payloads(LOGS)).containsExactlyInAnyOrderElementsOf(expectedLogs(0, 30));
    assertThat(metrics.events()).isEqualTo(50 + 20 + 30);
    assertThat(metrics.tables().get(ITEMS).commits()).isPositive();
    assertThat(metrics.lastTableCommitMillis()).isPositive();
    assertThat(groupOffsets(group)).isEqualTo(end);
  }

  private Map<TopicPartition, Long> groupOffsets(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get();
      return committed.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void recordsDecodedOnSeveralThreadsReachTheTableInTheOrderTheyWereRead() throws Exception {
    String topic = EmbeddedKafka.uniqueName("ordered");
    kafka.createTopic(topic, 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int version = 1; version <= 40; version++) {
      for (int id = 0; id < 50; id++) {
        records.add(new ProducerRecord<>(topic, 0, null, line("c", "items", id, "v" + version + "-" + id)));
      }
      records.add(new ProducerRecord<>(topic, 0, null, line("x", "items", version, "not an operation")));
    }
    kafka.produce(records);
    Set<String> decodingThreads = ConcurrentHashMap.newKeySet();
    LinesDecoder lines = new LinesDecoder();
    kafka.createTopic(topic + ".dlq", 1);
    Map<String, String> settings = fastSettings();
    settings.put(RunnerConfig.DECODE_THREADS.name(), "4");
    settings.put("tributary.errors.tolerance", "all");
    settings.put("tributary.dead-letter.topic", topic + ".dlq");

    IngestRunner runner = runner(EmbeddedKafka.uniqueName("g"), memory).topics(topic)
        .decoder(record -> {
          decodingThreads.add(Thread.currentThread().getName());
          return lines.decode(record);
        })
        .settings(settings)
        .build().start();
    await("every record is consumed", Duration.ofSeconds(30), () -> runner.metrics().positions().size() == 1
        && runner.metrics().totalLag() == 0 && rowCount(ITEMS) == 50);
    runner.close();

    // each key's last change wins, the malformed records are dead-lettered, none stops the runner
    assertThat(runner.failure()).isNull();
    assertThat(memory.rows(ITEMS)).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 50)
        .mapToObj(id -> Row.of(LinesDecoder.ITEMS, id, "v40-" + id)).toList());
    assertThat(kafka.consume(topic + ".dlq", 40, Duration.ofSeconds(10)))
        .extracting(ConsumerRecord::offset).doesNotHaveDuplicates().hasSize(40);
    assertThat(decodingThreads).contains("tributary-ingest").anyMatch(t -> t.startsWith("tributary-decode-"));
  }

  @Test
  void aBacklogFarLargerThanTheBufferBoundIsCommittedInBoundedSlices() throws Exception {
    String topic = EmbeddedKafka.uniqueName("backlog");
    kafka.createTopic(topic, 3);
    String payload = "x".repeat(1_000);
    int count = 3_000; // about 3 MB waiting, 30 times the buffer bound
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(topic, i % 3, null, line("c", "items", i, payload + i)));
    }
    kafka.produce(records);

    long bufferBound = 100_000;
    int maxPollRecords = 50;
    Map<String, String> settings = fastSettings();
    settings.put("tributary.commit.interval-ms", "600000"); // neither time nor size triggers a commit...
    settings.put("tributary.commit.max-records", "1000000");
    settings.put("tributary.commit.max-bytes", String.valueOf(1L << 30));
    settings.put("tributary.buffer.max-bytes", String.valueOf(bufferBound)); // ...only the memory bound
    Map<String, Object> consumer = new HashMap<>(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")));
    consumer.put("max.poll.records", maxPollRecords);
    List<CommitStats> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    IngestRunner runner = IngestRunner.builder().consumerProperties(consumer).sink(memory)
        .decoder(new LinesDecoder()).settings(settings).topics(topic)
        .listener(new PipelineListener() {
          @Override
          public void onCommitted(CommitStats stats) {
            commits.add(stats);
          }
        })
        .build().start();
    await("every record is consumed", Duration.ofSeconds(60), () -> runner.metrics().events() == count);
    RunnerMetrics metrics = runner.metrics();
    runner.close();

    assertThat(runner.failure()).isNull();
    assertThat(memory.rows(ITEMS)).hasSize(count);
    // each pause commits what is buffered: at most the bound plus one poll's records, never the backlog
    long recordBytes = payload.length() + 20;
    long maxRowsPerCommit = bufferBound / recordBytes + 2L * maxPollRecords;
    assertThat(commits).as("commits made while the backlog was read").hasSizeGreaterThan(10)
        .allSatisfy(c -> assertThat(c.rows()).isLessThanOrEqualTo(maxRowsPerCommit));
    assertThat(metrics.backPressurePauses()).isGreaterThan(10);
    assertThat(metrics.bufferedBytes()).isLessThanOrEqualTo(bufferBound + maxPollRecords * recordBytes);
  }

  @Test
  void secretsInClientPropertiesNeverReachTheLogs() throws Exception {
    String topic = EmbeddedKafka.uniqueName("secret");
    kafka.createTopic(topic, 1);
    kafka.produce(List.of(new ProducerRecord<>(topic, 0, null, line("c", "items", 1, "v"))));
    Map<String, Object> consumer = new HashMap<>(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")));
    // passed through unchanged to the client (unused on a PLAINTEXT listener, but logged by whoever logs config)
    consumer.put("sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"hunter2-jaas\";");
    consumer.put("ssl.truststore.password", "hunter2-store");
    java.io.PrintStream originalErr = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      IngestRunner runner = runner("unused", memory).consumerProperties(consumer).topics(topic).build().start();
      await("the row is in", Duration.ofSeconds(30), () -> rowCount(ITEMS) == 1);
      runner.close();
    } finally {
      System.setErr(originalErr);
    }
    String logs = captured.toString(StandardCharsets.UTF_8);
    assertThat(logs).contains("Starting ingest of").contains("sasl.jaas.config=****")
        .contains("ssl.truststore.password=****").doesNotContain("hunter2");
  }

  @Test
  void twoRunnersInOneGroupShareFourPartitionsWithoutLossOrDuplicates() throws Exception {
    shareFourPartitions(Map.of());
  }

  @Test
  void twoRunnersShareFourPartitionsWithTheConsumerGroupProtocol() throws Exception {
    shareFourPartitions(Map.of("group.protocol", "consumer"));
  }

  private void shareFourPartitions(Map<String, String> extraConsumerProperties) throws Exception {
    String topic = logsTopic("rebalance", 4, 400);
    String group = EmbeddedKafka.uniqueName("g");
    IngestRunner first = runner(group, memory).consumerProperties(extraConsumerProperties).topics(topic).build().start();
    await("the first runner made progress", Duration.ofSeconds(30), () -> rowCount(LOGS) >= 100);

    IngestRunner second = runner(group, memory).consumerProperties(extraConsumerProperties).topics(topic).build().start();
    kafka.produce(logs(topic, 4, 400, 800));
    await("both runners own partitions", Duration.ofSeconds(30),
        () -> first.metrics().positions().size() == 2 && second.metrics().positions().size() == 2);
    kafka.produce(logs(topic, 4, 800, 1200));
    first.close();
    assertThat(first.failure()).isNull();
    kafka.produce(logs(topic, 4, 1200, 1600));
    await("every record landed", Duration.ofSeconds(60), () -> rowCount(LOGS) >= 1600
        && second.metrics().positions().size() == 4 && second.metrics().totalLag() == 0);
    second.close();

    assertThat(second.failure()).isNull();
    List<String> payloads = payloads(LOGS);
    assertThat(payloads).doesNotHaveDuplicates();
    assertThat(payloads).containsExactlyInAnyOrderElementsOf(expectedLogs(0, 1600));
  }

  /** The lines format, taking {@code nanos} per record, noting the threads it decodes on. */
  private static RecordDecoder slowLines(long nanos, Set<String> threads) {
    LinesDecoder lines = new LinesDecoder();
    return record -> {
      threads.add(Thread.currentThread().getName());
      long until = System.nanoTime() + nanos;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      return lines.decode(record);
    };
  }

  @Test
  void recordsReadAheadLandOnceWhenPartitionsMoveAndWhenTheRunnerStopsMidBacklog() throws Exception {
    String topic = logsTopic("read-ahead", 4, 6_000);
    String group = EmbeddedKafka.uniqueName("g");
    Set<String> decodingThreads = ConcurrentHashMap.newKeySet();
    // slow enough that a poll's records are still being decoded ahead when a rebalance or the stop comes
    RecordDecoder slow = slowLines(1_000_000, decodingThreads);
    Map<String, String> settings = fastSettings();
    settings.put(RunnerConfig.DECODE_THREADS.name(), "2");
    IngestRunner first = runner(group, memory).decoder(slow).settings(settings).topics(topic).build().start();
    await("the first runner made progress", Duration.ofSeconds(30), () -> rowCount(LOGS) >= 500);

    IngestRunner second = runner(group, memory).decoder(slow).settings(settings).topics(topic).build().start();
    await("both runners own partitions", Duration.ofSeconds(30),
        () -> first.metrics().positions().size() == 2 && second.metrics().positions().size() == 2);
    kafka.produce(logs(topic, 4, 6_000, 8_000));
    first.close();
    assertThat(first.failure()).isNull();
    await("every record landed", Duration.ofSeconds(60), () -> rowCount(LOGS) >= 8_000
        && second.metrics().positions().size() == 4 && second.metrics().totalLag() == 0);
    second.close();

    assertThat(second.failure()).isNull();
    assertThat(payloads(LOGS)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedLogs(0, 8_000));
    assertThat(decodingThreads).anyMatch(t -> t.startsWith("tributary-decode-"));
  }

  @Test
  void aCrashAfterATableCommitButBeforeTheOffsetCommitDuplicatesNothing() throws Exception {
    String topic = EmbeddedKafka.uniqueName("crash-after-commit");
    kafka.createTopic(topic, 2);
    String group = EmbeddedKafka.uniqueName("g");
    // two key-less tables interleaved in the same partitions: the crash comes after the first table's
    // commit, so the second table's records are read again and the first table's must be skipped
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      records.add(new ProducerRecord<>(topic, i % 2, null, line("c", i % 3 == 0 ? "audit" : "logs", i, "log-" + i)));
    }
    kafka.produce(records);
    memory.failAfterNextCommit(new IllegalStateException("simulated crash right after the table commit"));
    IngestRunner crashing = runner(group, memory).topics(topic).build();
    assertThatThrownBy(crashing::run).hasMessageContaining("simulated crash");
    assertThat(rowCount(LOGS) + rowCount(AUDIT)).isPositive().isLessThan(300);
    // the group's offsets do not reflect the table commit the crashed runner made
    assertThat(kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values())
        .allSatisfy(o -> assertThat(o.offset()).isZero());

    IngestRunner restarted = runner(group, memory).topics(topic).build().start();
    await("every record landed", Duration.ofSeconds(30), () -> restarted.metrics().positions().size() == 2
        && restarted.metrics().totalLag() == 0 && rowCount(LOGS) + rowCount(AUDIT) >= 300);
    RunnerMetrics metrics = restarted.metrics();
    restarted.close();

    List<String> all = new ArrayList<>(payloads(LOGS));
    all.addAll(payloads(AUDIT));
    assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedLogs(0, 300));
    assertThat(metrics.tables().values().stream().mapToLong(RunnerMetrics.TableStats::skipped).sum()).isPositive();
  }

  /** A sink that dies, like a killed process, after the data files of a commit were written. */
  private static final class DyingSink implements TableSink {
    private final InMemoryTableSink delegate;
    private final AtomicInteger commitsBeforeDeath;

    DyingSink(InMemoryTableSink delegate, int commitsBeforeDeath) {
      this.delegate = delegate;
      this.commitsBeforeDeath = new AtomicInteger(commitsBeforeDeath);
    }

    @Override public io.tributary.core.type.StructType storageSchema(io.tributary.core.type.StructType s) { return delegate.storageSchema(s); }
    @Override public java.util.Optional<io.tributary.core.sink.TableDescriptor> describe(TableId t) { return delegate.describe(t); }
    @Override public io.tributary.core.sink.TableDescriptor create(TableId t, io.tributary.core.type.StructType s, List<String> k) { return delegate.create(t, s, k); }
    @Override public io.tributary.core.sink.TableDescriptor evolve(TableId t, io.tributary.core.sink.SchemaEvolution e) { return delegate.evolve(t, e); }
    @Override public io.tributary.core.sink.TableWriter newWriter(TableId t) { return delegate.newWriter(t); }
    @Override public void truncate(TableId t, CommitRequest r) { delegate.truncate(t, r); }
    @Override public io.tributary.core.sink.CommittedState lastCommitted(TableId t, String id) { return delegate.lastCommitted(t, id); }
    @Override public List<TableId> listTables() { return delegate.listTables(); }
    @Override public void close() {}

    @Override
    public void commit(TableId table, WriteResult result, CommitRequest request) {
      if (commitsBeforeDeath.getAndDecrement() <= 0) {
        throw new FatalException("simulated process death before the table commit of " + table);
      }
      delegate.commit(table, result, request);
    }
  }

  @Test
  void aCrashAfterTheFilesWereWrittenButBeforeTheTableCommitLosesNothing() throws Exception {
    String topic = logsTopic("crash-before-commit", 2, 300);
    String group = EmbeddedKafka.uniqueName("g");
    IngestRunner dying = runner(group, new DyingSink(memory, 0)).topics(topic).build();
    assertThatThrownBy(dying::run).isInstanceOf(FatalException.class).hasMessageContaining("simulated process death");
    assertThat(rowCount(LOGS)).isZero();

    restartAndExpectEveryLogOnce(group, topic, 300);
  }

  @Test
  void anAbortDropsWhatIsBufferedAndTheNextRunReadsItAgain() throws Exception {
    String topic = logsTopic("abort", 2, 200);
    String group = EmbeddedKafka.uniqueName("g");
    IngestRunner first = runner(group, memory).topics(topic).build().start();
    await("everything committed once", Duration.ofSeconds(30), () -> rowCount(LOGS) == 200);
    Map<String, String> slow = fastSettings();
    first.close();

    kafka.produce(logs(topic, 2, 200, 300));
    slow.put("tributary.commit.interval-ms", "600000");
    IngestRunner buffering = IngestRunner.builder().consumerProperties(kafka.consumerProperties(group))
        .sink(memory).decoder(new LinesDecoder()).settings(slow).topics(topic).build().start();
    await("the new records are read", Duration.ofSeconds(30), () -> buffering.metrics().events() == 100);
    buffering.abort();
    assertThat(rowCount(LOGS)).isEqualTo(200);

    restartAndExpectEveryLogOnce(group, topic, 300);
  }

  @Test
  void theRunnerReadsOnWhileABatchCommitsAndItsGroupOffsetsWaitForThatCommit() throws Exception {
    String topic = logsTopic("background", 2, 300);
    String group = EmbeddedKafka.uniqueName("g");
    CountDownLatch release = memory.holdCommits();
    IngestRunner runner = runner(group, memory).topics(topic).build().start();
    try {
      await("the first batch is being committed", Duration.ofSeconds(30), () -> memory.waitingCommits() == 1);
      kafka.produce(logs(topic, 2, 300, 400));
      // the first batch's commit cannot finish, yet the runner goes on reading and decoding
      await("records after the held batch are read", Duration.ofSeconds(30), () -> runner.metrics().events() == 400);
      assertThat(rowCount(LOGS)).isZero();
      assertThat(kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values())
          .allSatisfy(o -> assertThat(o.offset()).isZero());
    } finally {
      release.countDown();
    }
    await("every record landed", Duration.ofSeconds(30), () -> rowCount(LOGS) >= 400 && runner.metrics().totalLag() == 0);
    runner.close();
    assertThat(runner.failure()).isNull();
    assertThat(payloads(LOGS)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedLogs(0, 400));
  }

  @Test
  void commitFailuresBeyondThePipelinesRetriesRewindAndRetryInsteadOfStopping() throws Exception {
    int count = 3_000;
    String topic = logsTopic("retry", 2, count);
    Map<String, String> settings = fastSettings();
    settings.put("tributary.commit.retries", "1");
    settings.put(RunnerConfig.DECODE_THREADS.name(), "2");
    memory.failNextCommits(5);
    // still reading (and decoding ahead) when the commits fail: what was read ahead is read again, not kept
    Set<String> decodingThreads = ConcurrentHashMap.newKeySet();
    IngestRunner runner = IngestRunner.builder().consumerProperties(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")))
        .sink(memory).decoder(slowLines(200_000, decodingThreads)).settings(settings).topics(topic).build().start();
    await("every record landed", Duration.ofSeconds(30), () -> rowCount(LOGS) >= count
        && runner.metrics().positions().size() == 2 && runner.metrics().totalLag() == 0);
    runner.close();
    assertThat(runner.failure()).isNull();
    assertThat(payloads(LOGS)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expectedLogs(0, count));
    assertThat(decodingThreads).anyMatch(t -> t.startsWith("tributary-decode-"));
  }

  @Test
  void aTopicCreatedAfterTheStartIsConsumedWhenItMatchesThePattern() throws Exception {
    String prefix = EmbeddedKafka.uniqueName("pattern");
    String early = prefix + ".early";
    kafka.createTopic(early, 1);
    kafka.produce(logs(early, 1, 0, 10));
    Map<String, Object> consumer = new HashMap<>(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")));
    consumer.put("metadata.max.age.ms", "500");
    IngestRunner runner = IngestRunner.builder().consumerProperties(consumer).sink(memory)
        .decoder(new LinesDecoder()).settings(fastSettings())
        .topicPattern(Pattern.compile(Pattern.quote(prefix) + "\\..*")).build().start();
    await("the first topic is consumed", Duration.ofSeconds(30), () -> rowCount(LOGS) == 10);

    String late = prefix + ".late";
    kafka.createTopic(late, 1);
    kafka.produce(logs(late, 1, 10, 20));
    await("the topic created later is consumed", Duration.ofSeconds(30), () -> rowCount(LOGS) == 20);
    runner.close();
    assertThat(runner.failure()).isNull();
    assertThat(payloads(LOGS)).containsExactlyInAnyOrderElementsOf(expectedLogs(0, 20));
  }

  @Test
  void undecodableRecordsGoToTheDeadLetterTopicWithTheirOriginAndReason() throws Exception {
    String topic = EmbeddedKafka.uniqueName("poison");
    String dlq = topic + ".dlq";
    kafka.createTopic(topic, 1);
    kafka.createTopic(dlq, 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(logs(topic, 1, 0, 10));
    ProducerRecord<byte[], byte[]> bad = new ProducerRecord<>(topic, 0, "k".getBytes(StandardCharsets.UTF_8),
        "garbage".getBytes(StandardCharsets.UTF_8));
    bad.headers().add("origin-header", new byte[] {1, 2});
    records.add(5, bad);
    kafka.produce(records);
    Map<String, String> settings = fastSettings();
    settings.put("tributary.errors.tolerance", "all");
    settings.put("tributary.dead-letter.topic", dlq);
    IngestRunner runner = IngestRunner.builder().consumerProperties(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")))
        .sink(memory).decoder(new LinesDecoder()).settings(settings).topics(topic).build().start();
    await("the good records landed", Duration.ofSeconds(30), () -> rowCount(LOGS) == 10);
    runner.close();

    List<ConsumerRecord<byte[], byte[]>> letters = kafka.consume(dlq, 1, Duration.ofSeconds(10));
    assertThat(letters).singleElement().satisfies(r -> {
      assertThat(r.key()).isEqualTo(bad.key());
      assertThat(r.value()).isEqualTo(bad.value());
      assertThat(header(r, "origin-header")).isEqualTo("\u0001\u0002");
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_TOPIC)).isEqualTo(topic);
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_PARTITION)).isEqualTo("0");
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_OFFSET)).isEqualTo("5");
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_ERROR_CLASS)).isEqualTo("io.tributary.core.RecordException");
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_ERROR_MESSAGE)).contains("expected op,table,id,payload")
          .contains("offset 5");
    });
    assertThat(runner.metrics().deadLetters()).isEqualTo(1);
  }

  @Test
  void withoutToleranceAnUndecodableRecordStopsTheRunnerNamingIt() {
    String topic = EmbeddedKafka.uniqueName("strict");
    kafka.createTopic(topic, 1);
    kafka.produce(topic, null, "garbage".getBytes(StandardCharsets.UTF_8));
    IngestRunner runner = runner(EmbeddedKafka.uniqueName("g"), memory).topics(topic).build();
    assertThatThrownBy(runner::run).isInstanceOf(FatalException.class)
        .hasMessageContaining("topic " + topic + ", partition 0, offset 0");
  }

  /**
   * With a schema-change topic assigned, every poll first makes sure that topic is read to its end. A runner
   * already at its end learns so from its fetch responses; it must not ask the broker for end offsets at every
   * poll (a round trip each, which the embedded broker counts as ListOffsets requests).
   */
  @Test
  void aRunnerAtTheEndOfTheSchemaChangeTopicDoesNotAskTheBrokerForItAtEveryPoll() throws Exception {
    String prefix = EmbeddedKafka.uniqueName("ddl");
    String ddlTopic = prefix;
    String dataTopic = prefix + ".shop.logs";
    kafka.createTopic(ddlTopic, 1);
    kafka.createTopic(dataTopic, 2);
    int count = 4_000;
    kafka.produce(logs(dataTopic, 2, 0, count));
    Map<String, Object> consumer = new HashMap<>(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")));
    consumer.put("max.poll.records", 50); // at least 80 polls with records

    long before = listOffsetsRequests();
    IngestRunner runner = IngestRunner.builder().consumerProperties(consumer).sink(memory)
        .decoder(new LinesDecoder()).settings(fastSettings()).topics(dataTopic, ddlTopic).build().start();
    await("every record is consumed", Duration.ofSeconds(60), () -> runner.metrics().events() == count);
    runner.close();
    long asked = listOffsetsRequests() - before;

    assertThat(runner.failure()).isNull();
    assertThat(payloads(LOGS)).containsExactlyInAnyOrderElementsOf(expectedLogs(0, count));
    // the first poll has no fetch response yet to go by: at least one request shows the meters are read
    assertThat(asked).as("ListOffsets requests while %d records were read 50 at a time", count).isBetween(1L, 19L);
  }

  @Test
  void theEndOfABacklogIsCommittedAsSoonAsTheRunnerCatchesUpNotACommitIntervalLater() throws Exception {
    String topic = logsTopic("backlog-end", 1, 1_050);
    long interval = 3_000;
    Map<String, String> settings = fastSettings();
    settings.put("tributary.commit.interval-ms", String.valueOf(interval));
    settings.put("tributary.commit.max-records", "100");
    Map<String, Object> consumer = new HashMap<>(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")));
    consumer.put("max.poll.records", 100); // polls of 100 records, the last of 50: a tail under max-records
    List<long[]> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = memory.holdCommits();
    IngestRunner runner = IngestRunner.builder().consumerProperties(consumer).sink(memory)
        .decoder(new LinesDecoder()).settings(settings).topics(topic)
        .listener(new PipelineListener() {
          @Override
          public void onCommitted(CommitStats stats) {
            commits.add(new long[] {System.nanoTime(), stats.rows()});
          }
        })
        .build().start();
    try {
      // the first full buffer's commit is held: the runner stays behind for longer than the commit interval
      await("the first batch is being committed", Duration.ofSeconds(30), () -> memory.waitingCommits() == 1);
      Thread.sleep(interval + 200);
    } finally {
      release.countDown();
    }
    await("every record landed", Duration.ofSeconds(30), () -> rowCount(LOGS) == 1_050);
    runner.close();

    assertThat(runner.failure()).isNull();
    assertThat(commits).hasSizeGreaterThanOrEqualTo(2);
    long[] tail = commits.get(commits.size() - 1);
    long[] previous = commits.get(commits.size() - 2);
    assertThat(tail[1]).as("rows of the last commit").isLessThan(100);
    assertThat(TimeUnit.NANOSECONDS.toMillis(tail[0] - previous[0]))
        .as("ms from the backlog's last full batch to its tail's commit").isLessThan(interval / 2);
  }

  @Test
  void aRunnerThatKeepsUpCommitsOncePerIntervalNotAtEveryRecord() throws Exception {
    String topic = logsTopic("trickle", 1, 0);
    Map<String, String> settings = fastSettings();
    settings.put("tributary.commit.interval-ms", "1000");
    Map<String, Object> consumer = new HashMap<>(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")));
    consumer.put("max.poll.records", 1); // each pair of records puts the runner behind by one, for a moment
    List<CommitStats> commits = java.util.Collections.synchronizedList(new ArrayList<>());
    IngestRunner runner = IngestRunner.builder().consumerProperties(consumer)
        .sink(memory).decoder(new LinesDecoder()).settings(settings).topics(topic)
        .listener(new PipelineListener() {
          @Override
          public void onCommitted(CommitStats stats) {
            commits.add(stats);
          }
        })
        .build().start();
    int count = 100;
    long started = System.nanoTime();
    for (int i = 0; i < count; i += 2) {
      kafka.produce(logs(topic, 1, i, i + 2));
      Thread.sleep(50);
    }
    await("every record landed", Duration.ofSeconds(30), () -> rowCount(LOGS) == count);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    runner.close();

    assertThat(runner.failure()).isNull();
    assertThat(commits).as("commits of %d records trickling in over %d s", count, seconds)
        .hasSizeBetween(2, (int) seconds + 2);
  }

  /** ListOffsets requests the embedded broker has handled, from its request meters (made at the first one). */
  private static long listOffsetsRequests() throws Exception {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    Set<ObjectName> names = server.queryNames(new ObjectName(
        "kafka.network:type=RequestMetrics,name=RequestsPerSec,request=ListOffsets,*"), null);
    long total = 0;
    for (ObjectName name : names) {
      total += ((Number) server.getAttribute(name, "Count")).longValue();
    }
    return total;
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
