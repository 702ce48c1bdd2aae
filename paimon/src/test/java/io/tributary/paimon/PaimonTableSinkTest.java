package io.tributary.paimon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.config.Settings;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.SchemaHistoryEntry;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaimonTableSinkTest {
  private static final String SINK = "sink-1";
  private static final String TOPIC = "db.inventory.customers";
  private static final StructType CUSTOMERS = StructType.of(
      Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()),
      Field.optional("email", Types.StringType.get()));

  @TempDir Path warehouse;
  private PaimonTableSink sink;
  private long offset;
  private long token;

  @BeforeEach
  void open() {
    sink = newSink();
  }

  @AfterEach
  void close() {
    sink.close();
  }

  private PaimonTableSink newSink() {
    return PaimonTableSink.builder()
        .localWarehouse(warehouse)
        .settings(Settings.of(Map.of(PaimonSinkConfig.BUCKET.name(), "2")))
        .build();
  }

  private static Row row(StructType schema, Object... values) {
    return Row.of(schema, values);
  }

  private RowChange upsert(StructType schema, Object... values) {
    Row r = row(schema, values);
    return RowChange.upsert(Row.of(StructType.of(schema.field(0)), values[0]), r, Origin.of(TOPIC, 0, offset++));
  }

  private RowChange delete(StructType schema, Object id) {
    return RowChange.delete(Row.of(StructType.of(schema.field(0)), id), null, Origin.of(TOPIC, 0, offset++));
  }

  private Origin next() {
    return Origin.of(TOPIC, 0, offset++);
  }

  private CommitRequest request() {
    return new CommitRequest(SINK, Long.toString(++token),
        Map.of(StreamPartition.of(TOPIC, 0), offset), Map.of(StreamPartition.of(TOPIC, 0), offset));
  }

  private WriteResult write(TableId table, RowChange... changes) {
    try (TableWriter writer = sink.newWriter(table)) {
      for (RowChange c : changes) {
        writer.write(c);
      }
      return writer.complete();
    }
  }

  private void commit(TableId table, RowChange... changes) {
    sink.commit(table, write(table, changes), request());
  }

  private List<Map<String, Object>> rows(TableId table) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : sink.read(table)) {
      out.add(r.toMap());
    }
    out.sort(Comparator.comparing(m -> String.valueOf(m.values().iterator().next())));
    return out;
  }

  @Test
  void describeOfCreatedTableEqualsStorageSchemaAndValuesRoundTrip() {
    StructType address = StructType.of(
        Field.optional("street", Types.StringType.get()), Field.required("zip", Types.IntegerType.ofBits(16)));
    StructType schema = StructType.of(
        Field.required("id", Types.LongType.get()),
        Field.optional("flag", Types.BooleanType.get()),
        Field.optional("tiny", Types.IntegerType.ofBits(8)),
        Field.optional("small", Types.IntegerType.ofBits(16)),
        Field.optional("i", Types.IntegerType.get()).withDefault(7).withDoc("an int"),
        Field.optional("f", Types.FloatType.get()),
        Field.optional("d", Types.DoubleType.get()),
        Field.optional("amount", Types.DecimalType.of(38, 10)),
        Field.optional("s", Types.StringType.get()).withDefault("n/a"),
        Field.optional("bytes", Types.BinaryType.get()),
        Field.optional("day", Types.DateType.get()),
        Field.optional("t", Types.TimeType.get()),
        Field.optional("ts", Types.TimestampType.local()),
        Field.optional("ts_ns", Types.TimestampType.localNanos()),
        Field.optional("tstz", Types.TimestampType.zoned()),
        Field.optional("tstz_ns", Types.TimestampType.zonedNanos()),
        Field.optional("uuid", Types.UuidType.get()),
        Field.optional("doc", Types.JsonType.get()),
        Field.optional("color", Types.EnumType.of(List.of("red", "green"))),
        Field.optional("address", address),
        Field.optional("tags", Types.ListType.of(Types.StringType.get(), true)),
        Field.optional("attrs", Types.MapType.of(Types.StringType.get(), Types.LongType.get(), true)),
        Field.optional("huge", Types.DecimalType.of(65, 30)));
    TableId table = TableId.of("inventory", "all_types");
    TableDescriptor created = sink.create(table, schema, List.of("id"));
    StructType storage = sink.storageSchema(schema);
    assertThat(created.schema()).isEqualTo(storage);
    assertThat(sink.describe(table).orElseThrow().schema()).isEqualTo(storage);
    assertThat(created.keyColumns()).containsExactly("id");
    assertThat(storage.field("uuid").type()).isEqualTo(Types.StringType.get());
    assertThat(storage.field("color").type()).isEqualTo(Types.StringType.get());
    assertThat(storage.field("huge").type()).isEqualTo(Types.StringType.get());

    UUID uuid = UUID.fromString("0b7f3c8e-7a4b-4c1e-9c55-2f1f0d9e6a11");
    ByteBuffer bytes = ByteBuffer.wrap("\u0000\u00ffbin".getBytes(StandardCharsets.ISO_8859_1)).asReadOnlyBuffer();
    Object[] values = {
        Long.MAX_VALUE, true, -128, 32767, Integer.MIN_VALUE, 1.5f, -2.25e300,
        new BigDecimal("-9999999999999999999999999999.9999999999"), "héllo ✓ 日本", bytes, -719162,
        (13 * 3600 + 4 * 60 + 5) * 1_000_000L + 123_456L, 1_700_000_000_123_456L, 1_700_000_000_123_456_789L,
        -1L, 1_700_000_000_123_456_789L, uuid, "{\"a\":1}", "green",
        Row.of(address, "Main St", 1234), List.of("a", "b"), Map.of("k", 3L),
        new BigDecimal("12345678901234567890123456789012345.123456789012345678901234567890")};
    commit(table, upsert(schema, values));

    List<Row> read = sink.read(table);
    assertThat(read).hasSize(1);
    Row got = read.get(0);
    Object[] expected = values.clone();
    expected[11] = (13 * 3600 + 4 * 60 + 5) * 1_000_000L + 123_000L; // Paimon TIME holds milliseconds
    expected[16] = uuid.toString();
    expected[22] = "12345678901234567890123456789012345.123456789012345678901234567890";
    for (int i = 0; i < expected.length; i++) {
      assertThat(got.get(i)).as(schema.field(i).name()).isEqualTo(expected[i]);
    }
  }

  @Test
  void upsertDeleteAndReinsertAcrossCommits() {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", "a@x"), upsert(CUSTOMERS, 2, "Bob", "b@x"),
        upsert(CUSTOMERS, 3, "Cid", null));
    commit(table, upsert(CUSTOMERS, 1, "Anne K", "a@x"), delete(CUSTOMERS, 2));
    assertThat(rows(table)).containsExactly(
        Map.of("id", 1, "name", "Anne K", "email", "a@x"), mapOf("id", 3, "name", "Cid", "email", null));
    commit(table, upsert(CUSTOMERS, 2, "Bob again", null), delete(CUSTOMERS, 3));
    assertThat(rows(table)).containsExactly(
        Map.of("id", 1, "name", "Anne K", "email", "a@x"), mapOf("id", 2, "name", "Bob again", "email", null));
    assertThat(sink.listTables()).contains(table);
  }

  private static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void keylessTableAppliesFullBeforeImageDeletesAndKeepsDuplicatesOnce() {
    StructType schema = StructType.of(
        Field.optional("sku", Types.StringType.get()), Field.optional("qty", Types.IntegerType.get()));
    TableId table = TableId.of("inventory", "movements");
    TableDescriptor created = sink.create(table, schema, List.of());
    assertThat(created.keyColumns()).isEmpty();
    assertThat(created.schema()).isEqualTo(schema);
    try (TableWriter w = sink.newWriter(table)) {
      w.write(RowChange.upsert(null, row(schema, "a", 1), next()));
      w.write(RowChange.upsert(null, row(schema, "a", 1), next()));
      w.write(RowChange.upsert(null, row(schema, "b", null), next()));
      w.write(RowChange.upsert(null, row(schema, null, 5), next()));
      sink.commit(table, w.complete(), request());
    }
    // identical rows share one hidden key: a duplicate is stored once
    assertThat(sink.read(table)).containsExactlyInAnyOrder(
        row(schema, "a", 1), row(schema, "b", null), row(schema, null, 5));
    try (TableWriter w = sink.newWriter(table)) {
      w.write(RowChange.delete(null, row(schema, "b", null), next()));
      w.write(RowChange.delete(null, row(schema, "a", 1), next()));
      w.write(RowChange.upsert(null, row(schema, "c", 2), next()));
      sink.commit(table, w.complete(), request());
    }
    assertThat(sink.read(table)).containsExactlyInAnyOrder(row(schema, null, 5), row(schema, "c", 2));
  }

  @Test
  void unavailableValuesKeepTheCurrentValueAndRealNullsStayNull() {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", "a@x"), upsert(CUSTOMERS, 2, "Bob", "b@x"));
    commit(table, upsert(CUSTOMERS, 1, "Anne K", Unavailable.VALUE), upsert(CUSTOMERS, 2, Unavailable.VALUE, null),
        upsert(CUSTOMERS, 3, "New", Unavailable.VALUE));
    assertThat(rows(table)).containsExactly(
        Map.of("id", 1, "name", "Anne K", "email", "a@x"),
        mapOf("id", 2, "name", "Bob", "email", null),
        mapOf("id", 3, "name", "New", "email", null));
  }

  @Test
  void aLaterFullChangeOrDeleteInTheBatchSupersedesAHeldBackPartialOne() {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", "a@x"), upsert(CUSTOMERS, 2, "Bob", "b@x"));
    commit(table, upsert(CUSTOMERS, 1, "Anne K", Unavailable.VALUE), upsert(CUSTOMERS, 2, Unavailable.VALUE, "c@x"),
        upsert(CUSTOMERS, 3, "Cleo", "c@x"), upsert(CUSTOMERS, 1, "Anne L", "l@x"), delete(CUSTOMERS, 2));
    assertThat(rows(table)).containsExactly(
        Map.of("id", 1, "name", "Anne L", "email", "l@x"),
        Map.of("id", 3, "name", "Cleo", "email", "c@x"));
  }

  @Test
  void widenIntToLongKeepsRowsAndAcceptsLongs() {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    StructType narrow = StructType.of(CUSTOMERS.field(0), Field.optional("visits", Types.IntegerType.get()));
    sink.evolve(table, evolution(new SchemaChange.AddColumn(List.of(), narrow.field(1), "email")));
    commit(table, upsert(narrow, 1, 42));
    SchemaChange widen = new SchemaChange.WidenType(List.of("visits"), Types.IntegerType.get(), Types.LongType.get());
    TableDescriptor evolved = sink.evolve(table, evolution(widen));
    assertThat(evolved.schema().field("visits").type()).isEqualTo(Types.LongType.get());
    StructType wide = StructType.of(CUSTOMERS.field(0), Field.optional("visits", Types.LongType.get()));
    commit(table, upsert(wide, 2, 5_000_000_000L), upsert(narrow, 3, 7));
    assertThat(rows(table)).containsExactly(
        mapOf("id", 1, "name", null, "email", null, "visits", 42L),
        mapOf("id", 2, "name", null, "email", null, "visits", 5_000_000_000L),
        mapOf("id", 3, "name", null, "email", null, "visits", 7L));
    // applying the same plan again is a no-op
    assertThat(sink.evolve(table, evolution(widen)).schema()).isEqualTo(evolved.schema());
    assertThat(sink.schemaHistory(table)).hasSize(2);
  }

  private SchemaEvolution evolution(SchemaChange... changes) {
    return new SchemaEvolution(SchemaChangePlan.of(List.of(changes)), Origin.of(TOPIC, 0, offset), 1_700_000_000_000L);
  }

  @Test
  void addedNotNullColumnWithDefaultReadsTheDefaultInOldRows() {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", "a@x"), upsert(CUSTOMERS, 2, "Bob", null));
    Field loyalty = Field.required("loyalty", Types.IntegerType.get()).withDefault(0);
    Origin cause = Origin.of(TOPIC, 0, offset);
    TableDescriptor evolved = sink.evolve(table, evolution(new SchemaChange.AddColumn(List.of(), loyalty, "name")));
    assertThat(evolved.schema().fieldNames()).containsExactly("id", "name", "loyalty", "email");
    assertThat(evolved.schema().field("loyalty")).isEqualTo(loyalty);
    StructType withLoyalty = StructType.of(CUSTOMERS.field(0), CUSTOMERS.field(1), loyalty);
    // an old-schema row written after the change gets the default too
    commit(table, upsert(withLoyalty, 3, "Cid", 9), upsert(CUSTOMERS, 4, "Dee", null));
    assertThat(rows(table)).containsExactly(
        mapOf("id", 1, "name", "Anne", "loyalty", 0, "email", "a@x"),
        mapOf("id", 2, "name", "Bob", "loyalty", 0, "email", null),
        mapOf("id", 3, "name", "Cid", "loyalty", 9, "email", null),
        mapOf("id", 4, "name", "Dee", "loyalty", 0, "email", null));
    List<SchemaHistoryEntry> history = sink.schemaHistory(table);
    assertThat(history).hasSize(1);
    assertThat(history.get(0).changes().get(0)).contains("loyalty");
    assertThat(history.get(0).cause()).isEqualTo(cause);
    assertThat(history.get(0).timestampMillis()).isEqualTo(1_700_000_000_000L);
  }

  @Test
  void keylessTableFindsOldRowsAfterADefaultWasAdded() {
    StructType schema = StructType.of(Field.optional("sku", Types.StringType.get()));
    TableId table = TableId.of("inventory", "skus");
    sink.create(table, schema, List.of());
    try (TableWriter w = sink.newWriter(table)) {
      w.write(RowChange.upsert(null, row(schema, "a"), next()));
      w.write(RowChange.upsert(null, row(schema, "b"), next()));
      sink.commit(table, w.complete(), request());
    }
    Field qty = Field.optional("qty", Types.IntegerType.get()).withDefault(1);
    sink.evolve(table, evolution(new SchemaChange.AddColumn(List.of(), qty, "sku")));
    StructType evolved = StructType.of(schema.field(0), qty);
    assertThat(sink.read(table)).containsExactlyInAnyOrder(row(evolved, "a", 1), row(evolved, "b", 1));
    try (TableWriter w = sink.newWriter(table)) {
      w.write(RowChange.delete(null, row(evolved, "a", 1), next()));
      sink.commit(table, w.complete(), request());
    }
    assertThat(sink.read(table)).containsExactly(row(evolved, "b", 1));
  }

  @Test
  void renameKeepsValuesAndMakeOptionalAcceptsNull() {
    TableId table = TableId.of("inventory", "customers");
    StructType schema = StructType.of(CUSTOMERS.field(0), Field.required("name", Types.StringType.get()));
    sink.create(table, schema, List.of("id"));
    commit(table, upsert(schema, 1, "Anne"));
    TableDescriptor renamed = sink.evolve(table, evolution(
        new SchemaChange.RenameColumn(List.of("name"), "full_name", SchemaChange.RenameColumn.Evidence.DDL)));
    assertThat(renamed.schema().fieldNames()).containsExactly("id", "full_name");
    assertThat(renamed.schema().field("full_name").isRequired()).isTrue();
    TableDescriptor optional = sink.evolve(table, evolution(
        new SchemaChange.MakeOptional(List.of("full_name"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE)));
    assertThat(optional.schema().field("full_name").isOptional()).isTrue();
    StructType now = optional.schema();
    // the key stays NOT NULL (a Paimon rule); the change is skipped rather than failing every batch
    assertThat(sink.evolve(table, evolution(
        new SchemaChange.MakeOptional(List.of("id"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE))).schema())
        .isEqualTo(now);
    commit(table, upsert(now, 2, null));
    assertThat(rows(table)).containsExactly(mapOf("id", 1, "full_name", "Anne"), mapOf("id", 2, "full_name", null));
  }

  @Test
  void truncateRemovesEveryRowInOneCommitThatRecordsTheOffsets() {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", null), upsert(CUSTOMERS, 2, "Bob", null));
    offset += 3;
    CommitRequest truncate = request();
    sink.truncate(table, truncate);
    assertThat(sink.read(table)).isEmpty();
    assertThat(sink.lastCommitted(table, SINK).nextOffset(StreamPartition.of(TOPIC, 0))).isEqualTo(offset);
    assertThat(sink.lastCommitted(table, SINK).lastToken()).isEqualTo(truncate.token());
    commit(table, upsert(CUSTOMERS, 3, "Cid", null));
    assertThat(rows(table)).containsExactly(mapOf("id", 3, "name", "Cid", "email", null));
  }

  @Test
  void retriedCommitWithACommittedTokenChangesNothingEvenAfterRestart() throws Exception {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", null));
    WriteResult result = write(table, upsert(CUSTOMERS, 2, "Bob", null), delete(CUSTOMERS, 1));
    WriteResult shipped = roundTrip(result);
    assertThat(shipped.rowCount()).isEqualTo(1);
    assertThat(shipped.deleteCount()).isEqualTo(1);
    CommitRequest request = request();
    sink.commit(table, shipped, request);
    long snapshots = sink.catalog().getTable(org.apache.paimon.catalog.Identifier.create("inventory", "customers"))
        .latestSnapshot().orElseThrow().id();

    sink.commit(table, shipped, request); // a retry in the same process
    sink.close();
    sink = newSink(); // a restarted committer with the same sink id
    sink.commit(table, roundTrip(result), request);
    // an older token replayed with offsets already covered is skipped too
    sink.commit(table, roundTrip(result), new CommitRequest(SINK, "older", request.nextOffsets(), Map.of()));

    assertThat(sink.catalog().getTable(org.apache.paimon.catalog.Identifier.create("inventory", "customers"))
        .latestSnapshot().orElseThrow().id()).isEqualTo(snapshots);
    assertThat(rows(table)).containsExactly(mapOf("id", 2, "name", "Bob", "email", null));
    CommittedState state = sink.lastCommitted(table, SINK);
    assertThat(state.lastToken()).isEqualTo(request.token());
    assertThat(state.nextOffsets()).isEqualTo(request.nextOffsets());
    assertThat(state.watermarks()).isEqualTo(request.watermarks());
  }

  @Test
  void lastCommittedKeepsTheHighestOffsetPerPartitionAndSeparatesSinkIds() {
    TableId table = TableId.of("inventory", "customers");
    assertThat(sink.lastCommitted(table, SINK)).isEqualTo(CommittedState.none());
    sink.create(table, CUSTOMERS, List.of("id"));
    assertThat(sink.lastCommitted(table, SINK).isEmpty()).isTrue();
    StreamPartition p0 = StreamPartition.of(TOPIC, 0);
    StreamPartition p1 = StreamPartition.of(TOPIC, 1);
    sink.commit(table, write(table, upsert(CUSTOMERS, 1, "a", null)),
        new CommitRequest(SINK, "t1", Map.of(p0, 10L, p1, 4L), Map.of(p0, 8L)));
    sink.commit(table, write(table, upsert(CUSTOMERS, 2, "b", null)),
        new CommitRequest(SINK, "t2", Map.of(p0, 12L), Map.of(p0, 12L)));
    sink.commit(table, write(table, upsert(CUSTOMERS, 3, "c", null)),
        new CommitRequest("other", "x", Map.of(p0, 99L), Map.of()));
    CommittedState state = sink.lastCommitted(table, SINK);
    assertThat(state.nextOffsets()).isEqualTo(Map.of(p0, 12L, p1, 4L));
    assertThat(state.watermarks()).isEqualTo(Map.of(p0, 12L));
    assertThat(state.lastToken()).isEqualTo("t2");
    assertThat(sink.lastCommitted(table, "other").nextOffset(p0)).isEqualTo(99L);
    assertThat(sink.read(table)).hasSize(3);

    // a batch whose records were all filtered out still records its offsets
    TableWriter empty = sink.newWriter(table);
    WriteResult nothing = empty.complete();
    assertThat(nothing.isEmpty()).isTrue();
    sink.commit(table, nothing, new CommitRequest(SINK, "t3", Map.of(p1, 9L), Map.of()));
    try (PaimonTableSink restarted = newSink()) {
      assertThat(restarted.lastCommitted(table, SINK).nextOffsets()).isEqualTo(Map.of(p0, 12L, p1, 9L));
      assertThat(restarted.lastCommitted(table, SINK).lastToken()).isEqualTo("t3");
      assertThat(restarted.lastCommitted(table, "other").nextOffset(p0)).isEqualTo(99L);
    }
  }

  @Test
  void reusedWritersNeverCarryUncommittedBatchesIntoLaterCommits() {
    sink.close();
    sink = PaimonTableSink.builder()
        .localWarehouse(warehouse)
        .settings(Settings.of(Map.of(PaimonSinkConfig.BUCKET.name(), "1", PaimonSinkConfig.WRITER_REUSE.name(), "true",
            PaimonSinkConfig.TABLE_OPTIONS_PREFIX + "num-sorted-run.compaction-trigger", "2")))
        .build();
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    Map<Integer, String> expected = new java.util.TreeMap<>();
    for (int batch = 0; batch < 12; batch++) {
      if (batch == 7) {
        commit(table, delete(CUSTOMERS, 1));
        expected.remove(1);
      }
      List<RowChange> changes = new ArrayList<>();
      for (int id = batch % 3; id < 30; id += 3) {
        changes.add(upsert(CUSTOMERS, id, "v" + batch, null));
      }
      WriteResult result = write(table, changes.toArray(new RowChange[0]));
      if (batch % 4 == 2) {
        continue; // dropped before its commit: its rows must never appear
      }
      for (int id = batch % 3; id < 30; id += 3) {
        expected.put(id, "v" + batch);
      }
      sink.commit(table, result, request());
    }
    Map<Integer, String> actual = new java.util.TreeMap<>();
    for (Row r : sink.read(table)) {
      actual.put((Integer) r.get("id"), (String) r.get("name"));
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void anInterruptedBackfillIsFinishedByTheNextWriter() throws Exception {
    TableId table = TableId.of("inventory", "customers");
    sink.create(table, CUSTOMERS, List.of("id"));
    commit(table, upsert(CUSTOMERS, 1, "Anne", null));
    // the state a crash right after evolve's alterTable leaves behind: column, default and marker, no backfill
    org.apache.paimon.catalog.Identifier id = org.apache.paimon.catalog.Identifier.create("inventory", "customers");
    sink.catalog().alterTable(id, List.of(
        org.apache.paimon.schema.SchemaChange.addColumn("loyalty", org.apache.paimon.types.DataTypes.INT()),
        org.apache.paimon.schema.SchemaChange.setOption("tributary.default.loyalty", "0"),
        org.apache.paimon.schema.SchemaChange.setOption("tributary.backfill-pending", "loyalty:required")), false);
    assertThat(sink.read(table).get(0).get("loyalty")).isNull();
    sink.newWriter(table).abort();
    assertThat(sink.read(table).get(0).get("loyalty")).isEqualTo(0);
    assertThat(sink.describe(table).orElseThrow().schema().field("loyalty"))
        .isEqualTo(Field.required("loyalty", Types.IntegerType.get()).withDefault(0));
  }

  @Test
  void aChangeThatDoesNotFitIsARecordExceptionAndTheWriterStaysUsable() {
    StructType schema = StructType.of(
        Field.required("id", Types.IntegerType.get()), Field.optional("tiny", Types.IntegerType.ofBits(8)),
        Field.required("name", Types.StringType.get()));
    TableId table = TableId.of("inventory", "tiny");
    sink.create(table, schema, List.of("id"));
    try (TableWriter w = sink.newWriter(table)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.write(upsert(schema, 1, 300, "x")))
          .isInstanceOf(io.tributary.core.RecordException.class)
          .hasMessageContaining("inventory.tiny");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.write(upsert(schema, 2, 1, null)))
          .isInstanceOf(io.tributary.core.RecordException.class)
          .hasMessageContaining("name");
      w.write(upsert(schema, 3, -5, "ok"));
      sink.commit(table, w.complete(), request());
    }
    assertThat(sink.read(table)).containsExactly(row(schema, 3, -5, "ok"));
  }

  private static WriteResult roundTrip(WriteResult result) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(result);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (WriteResult) in.readObject();
    }
  }
}
