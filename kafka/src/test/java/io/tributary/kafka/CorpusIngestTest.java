package io.tributary.kafka;

import static io.tributary.kafka.IngestRunnerTest.await;
import static io.tributary.kafka.IngestRunnerTest.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.FatalException;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.testing.Corpus;
import io.tributary.core.testing.FinalState;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.testing.EmbeddedKafka;
import io.tributary.kafka.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replays the recorded Debezium MariaDB corpus through a real broker and the runner (with the real JSON
 * decoder) into the in-memory sink, and compares every table with the source database's final state —
 * also across crashes at the worst moments.
 */
@ExtendWith(EmbeddedKafkaExtension.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorpusIngestTest {
  private static final TableId CUSTOMERS = TableId.of("inventory", "customers");
  private static final TableId ORDER_LINES = TableId.of("inventory", "order_lines");
  private static final TableId EVENTS_NOPK = TableId.of("inventory", "events_nopk");

  private final EmbeddedKafka kafka;
  private final InMemoryTableSink memory = new InMemoryTableSink();
  private Path mariadb;
  private List<CorpusTopics.Line> lines;

  CorpusIngestTest(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void loadCorpus() {
    mariadb = Corpus.mariadb();
    lines = CorpusTopics.load(mariadb.resolve("json-schemas"));
  }

  /** Feeds the corpus chunk by chunk to runners made by {@code runners}; {@code atChunk} may replace the runner. */
  private final class Replay {
    final String prefix = EmbeddedKafka.uniqueName("corpus") + "-";
    final String group = EmbeddedKafka.uniqueName("g");
    final List<String> topics = new ArrayList<>();
    final Map<String, Long> produced = new HashMap<>();
    IngestRunner runner;

    Replay() {
      for (String t : CorpusTopics.topics(lines)) {
        kafka.createTopic(prefix + t, 1);
        topics.add(prefix + t);
      }
    }

    IngestRunner.Builder builder(TableSink sink, Map<String, String> settings) {
      return IngestRunner.builder().consumerProperties(kafka.consumerProperties(group)).topics(topics)
          .sink(sink).settings(settings);
    }

    void produce(List<CorpusTopics.Line> chunk) {
      kafka.produce(chunk.stream().map(l -> l.toRecord(prefix)).toList());
      chunk.forEach(l -> produced.merge(prefix + l.corpusTopic(), 1L, Long::sum));
    }

    /** Waits until the runner has read everything produced and committed it to the tables. */
    void awaitCaughtUp() throws InterruptedException {
      await("the runner read and committed everything produced", Duration.ofSeconds(60), () -> {
        Map<StreamPartition, Long> committed = runner.metrics().committedOffsets();
        return produced.entrySet().stream().allMatch(e ->
            committed.getOrDefault(StreamPartition.of(e.getKey(), 0), -1L) >= e.getValue());
      });
    }

    /** Waits until the runner has read everything produced (not necessarily committed). */
    void awaitRead() throws InterruptedException {
      await("the runner read everything produced", Duration.ofSeconds(60), () -> {
        Map<StreamPartition, Long> positions = runner.metrics().positions();
        return produced.entrySet().stream().allMatch(e ->
            positions.getOrDefault(StreamPartition.of(e.getKey(), 0), -1L) >= e.getValue());
      });
    }
  }

  private int chunkOfLastKeylessEvent(List<List<CorpusTopics.Line>> chunks) {
    int found = -1;
    for (int i = 0; i < chunks.size(); i++) {
      if (chunks.get(i).stream().anyMatch(l -> l.corpusTopic().endsWith(".events_nopk") && l.value() != null)) {
        found = i;
      }
    }
    return found;
  }

  private void assertFinalState() {
    assertThat(FinalState.load(mariadb, "customers").differences(memory.rows(CUSTOMERS))).as("customers").isEmpty();
    assertThat(FinalState.load(mariadb, "order_lines").differences(memory.rows(ORDER_LINES))).as("order_lines").isEmpty();
    assertThat(FinalState.load(mariadb, "events_nopk").differences(memory.rows(EVENTS_NOPK))).as("events_nopk").isEmpty();
  }

  @Test
  void replaysTheCorpusIntoTheSourcesFinalState() throws Exception {
    Replay replay = new Replay();
    replay.runner = replay.builder(memory, IngestRunnerTest.fastSettings()).build().start();
    for (List<CorpusTopics.Line> chunk : CorpusTopics.chunks(lines, mariadb)) {
      replay.produce(chunk);
      replay.awaitCaughtUp();
    }
    RunnerMetrics metrics = replay.runner.metrics();
    replay.runner.close();
    assertThat(replay.runner.failure()).isNull();

    assertFinalState();
    assertThat(memory.rows(CUSTOMERS)).hasSize(65);
    assertThat(memory.rows(ORDER_LINES)).hasSize(1016);
    assertThat(memory.rows(EVENTS_NOPK)).hasSize(2);
    assertThat(memory.schema(ORDER_LINES).field("qty").type()).isEqualTo(io.tributary.core.type.Types.LongType.get());
    assertThat(metrics.tables().get(CUSTOMERS).schemaChanges()).isPositive();
  }

  /** Crashes a runner during the chunk that holds the last key-less events, then lets a new one finish. */
  private void replayWithCrash(Function<Replay, IngestRunner> firstRunner, Runnable arm, boolean abort)
      throws Exception {
    Replay replay = new Replay();
    replay.runner = firstRunner.apply(replay).start();
    List<List<CorpusTopics.Line>> chunks = CorpusTopics.chunks(lines, mariadb);
    int crashAt = chunkOfLastKeylessEvent(chunks);
    assertThat(crashAt).isPositive();
    for (int i = 0; i < chunks.size(); i++) {
      if (i == crashAt) {
        arm.run();
      }
      replay.produce(chunks.get(i));
      if (i == crashAt) {
        if (abort) {
          replay.awaitRead();
          replay.runner.abort();
        }
        assertThat(replay.runner.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(replay.runner.failure() != null || abort).isTrue();
        replay.runner = replay.builder(memory, IngestRunnerTest.fastSettings()).build().start();
      }
      replay.awaitCaughtUp();
    }
    replay.runner.close();
    assertThat(replay.runner.failure()).isNull();
    assertFinalState();
  }

  @Test
  void aCrashAfterATableCommitBeforeTheOffsetCommitDuplicatesNothing() throws Exception {
    replayWithCrash(r -> r.builder(memory, IngestRunnerTest.fastSettings()).build(),
        () -> memory.failAfterNextCommit(new IllegalStateException("simulated crash after the table commit")), false);
  }

  @Test
  void aCrashAfterTheFilesWereWrittenBeforeTheTableCommitLosesNothing() throws Exception {
    AtomicBoolean armed = new AtomicBoolean();
    TableSink dying = new ForwardingSink(memory) {
      @Override
      public void commit(TableId table, WriteResult result, CommitRequest request) {
        if (armed.get()) {
          throw new FatalException("simulated process death before the table commit of " + table);
        }
        super.commit(table, result, request);
      }
    };
    replayWithCrash(r -> r.builder(dying, IngestRunnerTest.fastSettings()).build(), () -> armed.set(true), false);
  }

  @Test
  void anAbortWithRecordsBufferedLosesNothing() throws Exception {
    // the abort comes as soon as the chunk is read, before the commit interval has passed for it
    replayWithCrash(r -> r.builder(memory, IngestRunnerTest.fastSettings()).build(), () -> { }, true);
  }

  @Test
  void malformedRecordsGoToTheDeadLetterTopicAndEveryGoodRecordLands() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String prefix = EmbeddedKafka.uniqueName("poison") + "-";
    String topic = prefix + "mariadb.inventory.customers";
    String dlq = prefix + "dlq";
    kafka.createTopic(topic, 1);
    kafka.createTopic(dlq, 1);
    List<CorpusTopics.Line> snapshot = lines.stream()
        .filter(l -> l.corpusTopic().equals("mariadb.inventory.customers")).limit(20).toList();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < snapshot.size(); i++) {
      CorpusTopics.Line line = snapshot.get(i);
      records.add(new ProducerRecord<>(topic, 0, null, line.key(), line.value()));
      if (i == 3) {
        records.add(new ProducerRecord<>(topic, 0, null, line.key(), "{not json".getBytes(StandardCharsets.UTF_8)));
        reasons.add("not json");
      } else if (i == 7) {
        ObjectNode value = (ObjectNode) mapper.readTree(line.value());
        ((ObjectNode) value.get("payload")).remove("op");
        records.add(new ProducerRecord<>(topic, 0, null, line.key(), mapper.writeValueAsBytes(value)));
        reasons.add("missing op");
      } else if (i == 11) {
        ObjectNode value = (ObjectNode) mapper.readTree(line.value());
        ((ObjectNode) value.get("payload").get("after")).put("balance", "%%% not base64 %%%");
        records.add(new ProducerRecord<>(topic, 0, null, line.key(), mapper.writeValueAsBytes(value)));
        reasons.add("bad decimal");
      }
    }
    kafka.produce(records);
    Map<String, String> settings = IngestRunnerTest.fastSettings();
    settings.put("tributary.errors.tolerance", "all");
    IngestRunner runner = IngestRunner.builder().consumerProperties(kafka.consumerProperties(EmbeddedKafka.uniqueName("g")))
        .topics(topic).sink(memory).settings(settings).deadLetterTopic(dlq).build().start();
    await("every record was read", Duration.ofSeconds(60), () -> runner.metrics().positions()
        .getOrDefault(StreamPartition.of(topic, 0), -1L) >= records.size());
    runner.close();
    assertThat(runner.failure()).isNull();

    long goodIds = snapshot.stream().map(l -> new String(l.key(), StandardCharsets.UTF_8)).distinct().count();
    assertThat(memory.rows(CUSTOMERS)).hasSize((int) goodIds);
    List<ConsumerRecord<byte[], byte[]>> letters = kafka.consume(dlq, 3, Duration.ofSeconds(20));
    assertThat(letters).hasSize(3);
    assertThat(letters).allSatisfy(r -> {
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_TOPIC)).isEqualTo(topic);
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_ERROR_CLASS)).isNotBlank();
      assertThat(header(r, KafkaDeadLetterHandler.HEADER_ERROR_MESSAGE))
          .contains("offset " + header(r, KafkaDeadLetterHandler.HEADER_OFFSET));
    });
    assertThat(letters).extracting(r -> Long.parseLong(header(r, KafkaDeadLetterHandler.HEADER_OFFSET)))
        .containsExactly(4L, 9L, 14L);
    assertThat(letters.get(0).value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
    assertThat(header(letters.get(2), KafkaDeadLetterHandler.HEADER_ERROR_MESSAGE)).contains("balance");
    assertThat(runner.metrics().deadLetters()).isEqualTo(3);
  }

  /** Forwards every call to another sink; tests override one method to inject a failure. */
  static class ForwardingSink implements TableSink {
    private final TableSink delegate;

    ForwardingSink(TableSink delegate) {
      this.delegate = delegate;
    }

    @Override public io.tributary.core.type.StructType storageSchema(io.tributary.core.type.StructType s) { return delegate.storageSchema(s); }
    @Override public Optional<io.tributary.core.sink.TableDescriptor> describe(TableId t) { return delegate.describe(t); }
    @Override public io.tributary.core.sink.TableDescriptor create(TableId t, io.tributary.core.type.StructType s, List<String> k) { return delegate.create(t, s, k); }
    @Override public io.tributary.core.sink.TableDescriptor evolve(TableId t, io.tributary.core.sink.SchemaEvolution e) { return delegate.evolve(t, e); }
    @Override public io.tributary.core.sink.TableWriter newWriter(TableId t) { return delegate.newWriter(t); }
    @Override public void commit(TableId t, WriteResult r, CommitRequest c) { delegate.commit(t, r, c); }
    @Override public void truncate(TableId t, CommitRequest r) { delegate.truncate(t, r); }
    @Override public io.tributary.core.sink.CommittedState lastCommitted(TableId t, String id) { return delegate.lastCommitted(t, id); }
    @Override public List<TableId> listTables() { return delegate.listTables(); }
    @Override public void close() {}
  }
}
