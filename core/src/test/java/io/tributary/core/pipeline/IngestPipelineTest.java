package io.tributary.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ChangeEvent;
import io.tributary.core.FatalException;
import io.tributary.core.RecordException;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.schema.ChangeKind;
import io.tributary.core.schema.EvolutionPolicy;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.testing.Events;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IngestPipelineTest {
  private static final StructType V1 = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()), Field.optional("score", Types.DoubleType.get()));
  private static final StructType V2 = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()), Field.optional("score", Types.DoubleType.get()),
      Field.required("loyalty", Types.IntegerType.get()).withDefault(0));
  private static final StructType RENAMED = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()), Field.optional("rating", Types.DoubleType.get()),
      Field.required("loyalty", Types.IntegerType.get()).withDefault(0));
  private static final TableId CUSTOMERS = TableId.of("inventory", "customers");

  private final InMemoryTableSink sink = new InMemoryTableSink();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final PipelineMetrics metrics = new PipelineMetrics();
  private final AtomicLong clock = new AtomicLong(1_000);

  private IngestPipeline pipeline(Map<String, String> settings) {
    return IngestPipeline.builder()
        .sink(sink)
        .settings(Settings.of(settings))
        .deadLetters(deadLetters::add)
        .listener(metrics)
        .clock(clock::get)
        .build();
  }

  private IngestPipeline pipeline() {
    return pipeline(Map.of());
  }

  private static void feed(IngestPipeline p, List<ChangeEvent> events) {
    for (ChangeEvent e : events) {
      p.accept(e, RawRecord.of(e.origin(), null, new byte[] {1}));
    }
  }

  /** The commits of the customers table; none before the commit thread created it. */
  private List<?> commits() {
    return sink.describe(CUSTOMERS).isPresent() ? sink.commits(CUSTOMERS) : List.of();
  }

  private List<Object> names() {
    return sink.rows(CUSTOMERS).stream().map(r -> r.get("name")).toList();
  }

  @Test
  void appliesUpsertsDeletesAndKeyChangesAndCreatesTheTableWithItsKey() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline();
    feed(p, List.of(
        ev.read(Row.of(V1, 1, "one", 1.0)),
        ev.read(Row.of(V1, 5, "five", 5.0)),
        ev.insert(Row.of(V1, 6, "six", 6.0)),
        ev.update(Row.of(V1, 1, "one", 1.0), Row.of(V1, 1, "uno", 1.5)),
        ev.delete(Row.of(V1, 5, "five", 5.0)),
        ev.insert(Row.of(V1, 1005, "five", 5.0)),
        ev.delete(Row.of(V1, 6, "six", 6.0))));
    p.flushAll();

    assertThat(sink.describe(CUSTOMERS).orElseThrow().keyColumns()).containsExactly("id");
    assertThat(sink.rows(CUSTOMERS)).containsExactlyInAnyOrder(Row.of(V1, 1, "uno", 1.5), Row.of(V1, 1005, "five", 5.0));
    assertThat(sink.commits(CUSTOMERS)).hasSize(1);
    assertThat(sink.commits(CUSTOMERS).get(0).nextOffsets())
        .containsExactly(Map.entry(StreamPartition.of(ev.topic(), 0), 7L));
    assertThat(metrics.table(CUSTOMERS).events()).isEqualTo(7);
    assertThat(metrics.table(CUSTOMERS).rows()).isEqualTo(2);
    assertThat(metrics.table(CUSTOMERS).deletes()).isEqualTo(2);
    assertThat(metrics.table(CUSTOMERS).created()).isTrue();
  }

  @Test
  void keylessTablesMatchDeletesAndUpdatesByTheFullBeforeImage() {
    TableId events = TableId.of("inventory", "events_nopk");
    Events ev = Events.of("inventory", "events_nopk");
    StructType s = StructType.of(Field.optional("kind", Types.StringType.get()), Field.optional("payload", Types.StringType.get()));
    IngestPipeline p = pipeline();
    feed(p, List.of(ev.read(Row.of(s, "login", "p1")), ev.read(Row.of(s, "logout", "p2"))));
    p.flushAll();
    feed(p, List.of(
        ev.update(Row.of(s, "login", "p1"), Row.of(s, "login", "edited")),
        ev.delete(Row.of(s, "logout", "p2")),
        ev.insert(Row.of(s, "click", "p3"))));
    p.flushAll();

    assertThat(sink.describe(events).orElseThrow().keyColumns()).isEmpty();
    assertThat(sink.rows(events)).containsExactlyInAnyOrder(Row.of(s, "login", "edited"), Row.of(s, "click", "p3"));
  }

  @Test
  void evolvesTheSchemaAndKeepsRowsWrittenBefore() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline();
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0)), ev.insert(Row.of(V1, 2, "b", 2.0))));
    p.flushAll();
    feed(p, List.of(ev.insert(Row.of(V1, 3, "c", 3.0)), ev.update(Row.of(V1, 1, "a", 1.0), Row.of(V2, 1, "a", 1.0, 100))));
    p.flushAll();

    assertThat(sink.schema(CUSTOMERS)).isEqualTo(V2);
    assertThat(sink.rows(CUSTOMERS)).containsExactlyInAnyOrder(
        Row.of(V2, 1, "a", 1.0, 100), Row.of(V2, 2, "b", 2.0, 0), Row.of(V2, 3, "c", 3.0, 0));
    assertThat(sink.evolutions(CUSTOMERS)).singleElement()
        .satisfies(e -> assertThat(e.cause().offset()).isEqualTo(3));
    assertThat(metrics.table(CUSTOMERS).schemaChanges()).isEqualTo(1);
    // the rows of the old schema were committed before the evolution, the new ones after
    assertThat(sink.commits(CUSTOMERS)).hasSize(3);
  }

  @Test
  void appliesDdlRenamesInOrderWithTheRowsAroundThem() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline();
    feed(p, List.of(ev.insert(Row.of(V2, 1, "a", 1.0, 0)), ev.insert(Row.of(V2, 2, "b", 2.0, 0))));
    p.flushAll();
    feed(p, List.of(ev.update(Row.of(V2, 2, "b", 2.0, 0), Row.of(V2, 2, "b", 2.5, 0))));
    p.acceptSchemaChange(ev.rename("server", 0, "score", "rating"), null);
    feed(p, List.of(ev.insert(Row.of(RENAMED, 3, "c", 3.0, 0))));
    p.flushAll();

    assertThat(sink.schema(CUSTOMERS)).isEqualTo(RENAMED);
    assertThat(sink.rows(CUSTOMERS)).containsExactlyInAnyOrder(
        Row.of(RENAMED, 1, "a", 1.0, 0), Row.of(RENAMED, 2, "b", 2.5, 0), Row.of(RENAMED, 3, "c", 3.0, 0));
    assertThat(sink.lastCommitted(CUSTOMERS, "tributary").nextOffsets())
        .containsEntry(StreamPartition.of("server", 0), 1L);
  }

  @Test
  void aRenameReadAheadOfTheTablesChangesWaitsForItsPlaceInTheSourceLog() {
    // a consumer with a backlog reads the DDL topic before the table topic: the rename arrives first
    Events ev = Events.of("inventory", "customers", "id");
    List<ChangeEvent> before = List.of(ev.insert(Row.of(V2, 1, "a", 1.0, 0)), ev.insert(Row.of(V2, 2, "b", 2.0, 0)));
    var rename = ev.rename("server", 0, "score", "rating");
    List<ChangeEvent> after = List.of(ev.insert(Row.of(RENAMED, 3, "c", 3.0, 0)));
    IngestPipeline p = pipeline();
    p.acceptSchemaChange(rename, null);
    feed(p, before);
    p.flushAll();
    assertThat(sink.schema(CUSTOMERS)).isEqualTo(V2);
    // not yet applied, so not committed either: the DDL's offset stays below the watermark
    assertThat(p.safeOffsets()).containsEntry(StreamPartition.of("server", 0), 0L);
    feed(p, after);
    p.flushAll();

    assertThat(sink.schema(CUSTOMERS)).isEqualTo(RENAMED);
    assertThat(sink.rows(CUSTOMERS)).containsExactlyInAnyOrder(
        Row.of(RENAMED, 1, "a", 1.0, 0), Row.of(RENAMED, 2, "b", 2.0, 0), Row.of(RENAMED, 3, "c", 3.0, 0));
    assertThat(p.safeOffsets()).containsEntry(StreamPartition.of("server", 0), 1L);
  }

  @Test
  void aRenameReadBehindTheRowsAfterItStillSeparatesThem() {
    // an engine source delivers the table topic first: the rename arrives after rows that follow it
    Events ev = Events.of("inventory", "customers", "id");
    List<ChangeEvent> before = List.of(ev.insert(Row.of(V2, 1, "a", 1.0, 0)), ev.insert(Row.of(V2, 2, "b", 2.0, 0)));
    var rename = ev.rename("server", 0, "score", "rating");
    List<ChangeEvent> after = List.of(ev.insert(Row.of(RENAMED, 3, "c", 3.0, 0)));
    IngestPipeline p = pipeline();
    feed(p, before);
    feed(p, after);
    p.acceptSchemaChange(rename, null);
    p.flushAll();

    assertThat(sink.schema(CUSTOMERS)).isEqualTo(RENAMED);
    assertThat(sink.rows(CUSTOMERS)).containsExactlyInAnyOrder(
        Row.of(RENAMED, 1, "a", 1.0, 0), Row.of(RENAMED, 2, "b", 2.0, 0), Row.of(RENAMED, 3, "c", 3.0, 0));
  }

  @Test
  void rowsReadAgainAfterARestartGoUnderTheNameTheirColumnWasRenamedTo() {
    // an engine task applied the rename (schema changes are immediate), then failed before the commit of the
    // rows before it: they are read again, older than the table's schema
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline first = pipeline();
    feed(first, List.of(ev.insert(Row.of(V2, 1, "a", 1.0, 0))));
    first.flushAll();
    List<ChangeEvent> before = List.of(ev.insert(Row.of(V2, 2, "b", 2.0, 0)));
    var rename = ev.rename("server", 0, "score", "rating");
    List<ChangeEvent> after = List.of(ev.insert(Row.of(RENAMED, 3, "c", 3.0, 0)));
    sink.evolve(CUSTOMERS, new SchemaEvolution(SchemaChangePlan.of(List.of(new SchemaChange.RenameColumn(
        List.of("score"), "rating", SchemaChange.RenameColumn.Evidence.DDL))), rename.origin(), 0L));
    assertThat(sink.schema(CUSTOMERS)).isEqualTo(RENAMED);

    IngestPipeline second = pipeline();
    second.acceptSchemaChange(rename, null);
    feed(second, before);
    second.flushAll(); // the rename still waits for the first row after it
    feed(second, after);
    second.flushAll();

    assertThat(sink.schema(CUSTOMERS)).isEqualTo(RENAMED);
    assertThat(sink.rows(CUSTOMERS)).containsExactlyInAnyOrder(
        Row.of(RENAMED, 1, "a", 1.0, 0), Row.of(RENAMED, 2, "b", 2.0, 0), Row.of(RENAMED, 3, "c", 3.0, 0));
  }

  @Test
  void aTruncateDeletesWhatCameBeforeItOnly() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline();
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0))));
    p.flushAll();
    feed(p, List.of(ev.insert(Row.of(V1, 2, "b", 1.0)), ev.truncate(), ev.insert(Row.of(V1, 3, "c", 1.0))));
    p.flushAll();

    assertThat(names()).containsExactly("c");
    assertThat(metrics.table(CUSTOMERS).truncates()).isEqualTo(1);
  }

  @Test
  void aRestartedPipelineSkipsWhatTheTableHoldsEvenAfterACrashRightAfterACommit() {
    Events ev = Events.of("inventory", "events_nopk");
    TableId events = TableId.of("inventory", "events_nopk");
    StructType s = StructType.of(Field.optional("payload", Types.StringType.get()));
    List<ChangeEvent> batch1 = List.of(ev.insert(Row.of(s, "p1")), ev.insert(Row.of(s, "p2")));
    List<ChangeEvent> batch2 = List.of(ev.insert(Row.of(s, "p3")));

    IngestPipeline first = pipeline();
    feed(first, batch1);
    sink.failAfterNextCommit(new IllegalStateException("crash after the table commit"));
    assertThatThrownBy(first::flushAll).hasMessageContaining("crash");
    feed(first, batch2);
    first.close(); // p3 was never committed

    IngestPipeline second = pipeline();
    feed(second, batch1);
    feed(second, batch2);
    second.flushAll();
    feed(second, batch1);
    second.flushAll();

    assertThat(sink.rows(events)).extracting(r -> r.get("payload")).containsExactly("p1", "p2", "p3");
    assertThat(metrics.table(events).skipped()).isEqualTo(4);
  }

  @Test
  void transientCommitFailuresAreRetried() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline(Map.of("tributary.commit.retry-backoff-ms", "1"));
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0))));
    sink.failNextCommits(3);
    p.flushAll();
    assertThat(names()).containsExactly("a");

    feed(p, List.of(ev.insert(Row.of(V1, 2, "b", 1.0))));
    sink.failNextCommits(100);
    assertThatThrownBy(p::flushAll).isInstanceOf(RetryableException.class)
        .hasMessageContaining("inventory.customers").hasMessageContaining("Nothing was lost");
  }

  @Test
  void aCommitThatReadStaleRowsIsWrittenAgainAndBadRecordsAreDeadLetteredOnce() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline(Map.of("tributary.errors.tolerance", "all"));
    StructType nullName = StructType.of(Field.required("id", Types.IntegerType.get()), Field.required("name", Types.StringType.get()));
    feed(p, List.of(ev.insert(Row.of(nullName, 1, "a"))));
    p.flushAll();
    int writers = sink.writersOpened();
    feed(p, List.of(ev.insert(Row.of(nullName, 2, null)), ev.insert(Row.of(nullName, 3, "c"))));
    sink.failNextCommitsAsStale(2);
    p.flushAll();

    assertThat(sink.writersOpened() - writers).isEqualTo(3);
    assertThat(names()).containsExactlyInAnyOrder("a", "c");
    assertThat(deadLetters).hasSize(1);
  }

  @Test
  void recordsThatCannotBeWrittenAreDeadLetteredWithTheirOriginAndTable() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline(Map.of("tributary.errors.tolerance", "all"));
    StructType nullName = StructType.of(Field.required("id", Types.IntegerType.get()), Field.required("name", Types.StringType.get()));
    feed(p, List.of(ev.insert(Row.of(nullName, 1, "a"))));
    p.flushAll();
    feed(p, List.of(ev.insert(Row.of(nullName, 2, null)), ev.insert(Row.of(nullName, 3, "c"))));
    p.flushAll();

    assertThat(names()).containsExactlyInAnyOrder("a", "c");
    assertThat(deadLetters).singleElement().satisfies(d -> {
      assertThat(d.origin().offset()).isEqualTo(1);
      assertThat(d.table()).isEqualTo(CUSTOMERS);
      assertThat(d.reason()).contains("name").contains("topic server.inventory.customers, partition 0, offset 1");
      assertThat(d.raw()).isNotNull();
    });
    assertThat(metrics.totalDeadLetters()).isEqualTo(1);
    // the dead-lettered record's offset is committed: a replay does not dead-letter it again
    assertThat(sink.lastCommitted(CUSTOMERS, "tributary").nextOffset(StreamPartition.of(ev.topic(), 0))).isEqualTo(3);
  }

  @Test
  void aRecordThatFailsAtWriteIsDeadLetteredWithTheBytesItWasReadWith() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline(Map.of("tributary.errors.tolerance", "all"));
    StructType nullName = StructType.of(Field.required("id", Types.IntegerType.get()), Field.required("name", Types.StringType.get()));
    // values that begin alike, as Connect JSON values with their schema block do, and one that does not
    byte[] head = new byte[2_000];
    new Random(3).nextBytes(head);
    List<ChangeEvent> events = List.of(ev.insert(Row.of(nullName, 1, "a")), ev.insert(Row.of(nullName, 2, null)),
        ev.insert(Row.of(nullName, 3, "c")), ev.insert(Row.of(nullName, 4, null)));
    List<RawRecord> raws = new ArrayList<>();
    for (ChangeEvent e : events) {
      byte[] value = e.origin().offset() == 3 ? new byte[900] : Arrays.copyOf(head, head.length + 10);
      Arrays.fill(value, value.length - 10, value.length, (byte) e.origin().offset());
      RawRecord raw = new RawRecord(e.origin(), ("k" + e.origin().offset()).getBytes(StandardCharsets.UTF_8), value,
          List.of(new RawRecord.Header("h", new byte[] {7})), 1_000 + e.origin().offset());
      raws.add(raw);
      p.accept(e, raw);
    }
    p.flushAll();

    assertThat(names()).containsExactlyInAnyOrder("a", "c");
    assertThat(deadLetters).hasSize(2);
    for (DeadLetter letter : deadLetters) {
      RawRecord read = raws.get((int) letter.origin().offset());
      assertThat(letter.raw().value()).isEqualTo(read.value());
      assertThat(letter.raw().key()).isEqualTo(read.key());
      assertThat(letter.raw().headers()).singleElement().satisfies(h -> assertThat(h.value()).containsExactly(7));
      assertThat(letter.raw().timestamp()).isEqualTo(read.timestamp());
      assertThat(letter.raw().origin()).isEqualTo(read.origin());
    }
  }

  @Test
  void theBufferCountsWhatItsRecordsCostWhetherItKeepsTheirBytesForDeadLettersOrNot() {
    Events ev = Events.of("inventory", "customers", "id");
    byte[] head = new byte[2_000];
    new Random(5).nextBytes(head);
    List<ChangeEvent> events = List.of(ev.insert(Row.of(V1, 1, "a", 1.0)), ev.insert(Row.of(V1, 2, "b", 2.0)),
        ev.delete(Row.of(V1, 3, "c", 3.0)));
    long expected = 0;
    List<RawRecord> raws = new ArrayList<>();
    for (ChangeEvent e : events) {
      byte[] value = Arrays.copyOf(head, head.length + 20); // shares its head with the first record's
      RawRecord raw = RawRecord.of(e.origin(), new byte[] {(byte) e.origin().offset()}, value);
      raws.add(raw);
      expected += raw.sizeInBytes();
    }
    IngestPipeline stopping = pipeline(Map.of("tributary.commit.interval-ms", "600000"));
    IngestPipeline deadLettering = pipeline(Map.of("tributary.commit.interval-ms", "600000",
        "tributary.errors.tolerance", "all"));
    for (int i = 0; i < events.size(); i++) {
      stopping.accept(events.get(i), raws.get(i));
      deadLettering.accept(events.get(i), raws.get(i));
    }

    // the byte bounds (tributary.commit.max-bytes, tributary.buffer.max-bytes) trigger alike in either mode
    assertThat(stopping.bufferedBytes()).isEqualTo(expected);
    assertThat(deadLettering.bufferedBytes()).isEqualTo(expected);
  }

  @Test
  void withoutToleranceABadRecordStopsThePipelineNamingIt() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline();
    StructType nullName = StructType.of(Field.required("id", Types.IntegerType.get()), Field.required("name", Types.StringType.get()));
    feed(p, List.of(ev.insert(Row.of(nullName, 1, "a"))));
    p.flushAll();
    feed(p, List.of(ev.insert(Row.of(nullName, 2, null))));
    assertThatThrownBy(p::flushAll).isInstanceOf(RecordException.class)
        .hasMessageContaining("topic server.inventory.customers, partition 0, offset 1, table inventory.customers");
    assertThat(names()).containsExactly("a");
  }

  @Test
  void incompatibleSchemaChangesFailByDefaultOrDeadLetterWhenConfigured() {
    Events ev = Events.of("inventory", "customers", "id");
    StructType asText = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.optional("name", Types.StringType.get()), Field.optional("score", Types.StringType.get()));
    IngestPipeline failing = pipeline();
    feed(failing, List.of(ev.insert(Row.of(V1, 1, "a", 1.0))));
    failing.flushAll();
    feed(failing, List.of(ev.insert(Row.of(asText, 2, "b", "high"))));
    assertThatThrownBy(failing::flushAll).isInstanceOf(FatalException.class)
        .hasMessageContaining("inventory.customers").hasMessageContaining("score")
        .hasMessageContaining("offset 1").hasMessageContaining("tributary.schema.on-incompatible");

    IngestPipeline tolerant = IngestPipeline.builder().sink(sink).deadLetters(deadLetters::add)
        .settings(Settings.of(Map.of("tributary.errors.tolerance", "all")))
        .policy(EvolutionPolicy.builder().on(ChangeKind.INCOMPATIBLE, EvolutionPolicy.Action.DEAD_LETTER).build())
        .build();
    feed(tolerant, List.of(ev.offset(1).insert(Row.of(asText, 2, "b", "high")), ev.insert(Row.of(V1, 3, "c", 3.0))));
    tolerant.flushAll();
    assertThat(names()).containsExactlyInAnyOrder("a", "c");
    assertThat(deadLetters).singleElement().satisfies(d -> assertThat(d.reason()).contains("incompatible"));
  }

  @Test
  void commitsWhenABufferIsFullOrOld() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline(Map.of("tributary.commit.max-records", "3", "tributary.commit.interval-ms", "500"));
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0)), ev.insert(Row.of(V1, 2, "a", 1.0))));
    p.flushDue();
    assertThat(sink.describe(CUSTOMERS)).isEmpty();
    feed(p, List.of(ev.insert(Row.of(V1, 3, "a", 1.0))));
    p.awaitCommits();
    assertThat(sink.rows(CUSTOMERS)).hasSize(3);

    feed(p, List.of(ev.insert(Row.of(V1, 4, "a", 1.0))));
    clock.addAndGet(499);
    p.flushDue();
    p.awaitCommits();
    assertThat(sink.rows(CUSTOMERS)).hasSize(3);
    clock.addAndGet(1);
    p.flushDue();
    p.awaitCommits();
    assertThat(sink.rows(CUSTOMERS)).hasSize(4);
    assertThat(p.bufferedBytes()).isZero();
  }

  @Test
  void aFullBatchIsCommittedOnTheCommitThreadWhileTheNextOneIsBuffered() {
    Events ev = Events.of("inventory", "customers", "id");
    StreamPartition partition = StreamPartition.of(ev.topic(), 0);
    IngestPipeline p = pipeline(Map.of("tributary.commit.max-records", "2"));
    CountDownLatch release = sink.holdCommits();
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0)), ev.insert(Row.of(V1, 2, "b", 1.0))));
    long heldByFirstBatch = p.bufferedBytes();
    feed(p, List.of(ev.insert(Row.of(V1, 3, "c", 1.0))));

    // the caller went on while the first batch waits for its commit, which still counts as held memory
    assertThat(p.bufferedBytes()).isGreaterThan(heldByFirstBatch).isGreaterThan(0);
    assertThat(p.safeOffsets()).containsEntry(partition, 0L);
    assertThat(commits()).isEmpty();

    release.countDown();
    p.awaitCommits();
    assertThat(names()).containsExactlyInAnyOrder("a", "b");
    assertThat(sink.lastCommitThread()).startsWith("tributary-commit-");
    assertThat(p.safeOffsets()).containsEntry(partition, 2L);
    p.flushAll();
    assertThat(names()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(p.safeOffsets()).containsEntry(partition, 3L);
    p.close();
  }

  @Test
  void aFailedBackgroundCommitIsThrownByEveryLaterFlushAndItsRecordsStayUnsafe() {
    Events ev = Events.of("inventory", "customers", "id");
    StreamPartition partition = StreamPartition.of(ev.topic(), 0);
    IngestPipeline p = pipeline(Map.of("tributary.commit.max-records", "2", "tributary.commit.retries", "0"));
    sink.failNextCommits(1);
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0)), ev.insert(Row.of(V1, 2, "b", 1.0))));
    feed(p, List.of(ev.insert(Row.of(V1, 3, "c", 1.0))));

    assertThatThrownBy(p::flushAll).isInstanceOf(RetryableException.class)
        .hasMessageContaining("inventory.customers");
    assertThat(p.safeOffsets()).containsEntry(partition, 0L);
    // nothing after the failed batch may be committed over it
    assertThatThrownBy(p::flushAll).isInstanceOf(RetryableException.class);
    assertThat(commits()).isEmpty();
    p.close();
  }

  @Test
  void withoutTheBackgroundModeTheCallersThreadCommits() {
    Events ev = Events.of("inventory", "customers", "id");
    IngestPipeline p = pipeline(Map.of("tributary.commit.max-records", "2", "tributary.commit.in-background", "false"));
    feed(p, List.of(ev.insert(Row.of(V1, 1, "a", 1.0)), ev.insert(Row.of(V1, 2, "b", 1.0))));
    assertThat(names()).containsExactlyInAnyOrder("a", "b");
    assertThat(sink.lastCommitThread()).isEqualTo(Thread.currentThread().getName());
  }

  @Test
  void watermarksLetAConsumerResumeWithoutLosingAnotherTablesPendingRecords() {
    // one partition feeds two tables: committing table a must not let a consumer skip b's pending record
    Events a = Events.of("inventory", "a", "id");
    Events b = Events.of("inventory", "b", "id");
    IngestPipeline p = pipeline();
    StreamPartition shared = StreamPartition.of("shared", 0);
    ChangeEvent a0 = reTopic(a.insert(Row.of(V1, 1, "a", 1.0)), 0);
    ChangeEvent b1 = reTopic(b.insert(Row.of(V1, 1, "b", 1.0)), 1);
    ChangeEvent a2 = reTopic(a.insert(Row.of(V1, 2, "a", 1.0)), 2);
    feed(p, List.of(a0, b1, a2));
    p.flush(TableId.of("inventory", "a"));

    assertThat(p.resumeOffsets(List.of(shared))).containsEntry(shared, 1L);
    assertThat(p.safeOffsets()).containsEntry(shared, 1L);
    p.flush(TableId.of("inventory", "b"));
    assertThat(p.resumeOffsets(List.of(shared))).containsEntry(shared, 3L);

    // a restarted pipeline resuming at 1 skips a's record at 2 and applies nothing twice
    IngestPipeline restarted = pipeline();
    feed(restarted, List.of(b1, a2));
    restarted.flushAll();
    assertThat(metrics.table(TableId.of("inventory", "a")).skipped()).isEqualTo(1);
    assertThat(sink.rows(TableId.of("inventory", "a"))).hasSize(2);
  }

  private static ChangeEvent reTopic(ChangeEvent e, long offset) {
    return ChangeEvent.builder(e.operation()).key(e.key()).before(e.before()).after(e.after())
        .rowSchema(e.rowSchema()).source(e.source())
        .origin(io.tributary.core.Origin.of("shared", 0, offset)).build();
  }
}
