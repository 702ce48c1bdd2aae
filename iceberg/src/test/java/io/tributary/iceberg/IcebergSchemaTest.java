package io.tributary.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.FatalException;
import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IcebergSchemaTest extends IcebergSinkTestBase {
  static final StructType ADDRESS = StructType.of(
      Field.optional("city", Types.StringType.get()), Field.optional("zip", Types.IntegerType.ofBits(16)));

  /** One column of every core type, nested ones included, with defaults where a source may declare one. */
  static final StructType EVERY_TYPE = StructType.of(
      Field.required("id", Types.LongType.get()).withDoc("the key"),
      Field.optional("flag", Types.BooleanType.get()).withDefault(true),
      Field.optional("tiny", Types.IntegerType.ofBits(8)),
      Field.required("small", Types.IntegerType.ofBits(16)).withDefault(7),
      Field.optional("num", Types.IntegerType.get()),
      Field.optional("f", Types.FloatType.get()),
      Field.optional("d", Types.DoubleType.get()),
      Field.optional("amount", Types.DecimalType.of(38, 10)).withDefault(new BigDecimal("1.5000000000")),
      Field.optional("s", Types.StringType.get()).withDefault("none"),
      Field.optional("bytes", Types.BinaryType.get()),
      Field.optional("day", Types.DateType.get()).withDefault(19000),
      Field.optional("clock", Types.TimeType.get()).withDefault(3_600_000_000L),
      Field.optional("local_ts", Types.TimestampType.local()).withDefault(1_700_000_000_000_000L),
      Field.optional("zoned_ts", Types.TimestampType.zoned()),
      Field.optional("nano_ts", Types.TimestampType.localNanos()).withDefault(1_700_000_000_123_456_789L),
      Field.optional("uid", Types.UuidType.get()),
      Field.optional("doc_json", Types.JsonType.get()),
      Field.optional("mood", Types.EnumType.of(List.of("happy", "sad"))),
      Field.optional("address", ADDRESS),
      Field.optional("tags", Types.ListType.of(Types.StringType.get(), true)),
      Field.optional("attrs", Types.MapType.of(Types.StringType.get(), Types.IntegerType.ofBits(8), true)));

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"defaults", "time-mapping=time", "time-mapping=string", "uuid-as=string", "timestamp-ns=true",
      "format-version=2"})
  void describeOfCreateEqualsStorageSchema(String option) {
    Map<String, String> settings = option.equals("defaults") ? Map.of()
        : Map.of(IcebergSinkConfig.PREFIX + option.split("=")[0], option.split("=")[1]);
    IcebergSinkTestBase base = this;
    IcebergTableSink sink = base.sink(settings);
    TableId id = TableId.of("types", "every_type");
    TableDescriptor created = sink.create(id, EVERY_TYPE, List.of("id"));
    StructType storage = sink.storageSchema(EVERY_TYPE);
    assertThat(created.schema()).isEqualTo(storage);
    assertThat(sink.describe(id).orElseThrow().schema()).isEqualTo(storage);
    assertThat(sink.describe(id).orElseThrow().keyColumns()).containsExactly("id");
    // creating again returns the table unchanged
    assertThat(sink.create(id, EVERY_TYPE, List.of("id")).schema()).isEqualTo(storage);
  }

  @Test
  void storageSchemaMapsTypesPerOption() {
    StructType defaults = sink().storageSchema(EVERY_TYPE);
    assertThat(type(defaults, "tiny")).isEqualTo(Types.IntegerType.get());
    assertThat(type(defaults, "clock")).isEqualTo(Types.LongType.get());
    assertThat(type(defaults, "nano_ts")).isEqualTo(Types.TimestampType.local());
    assertThat(type(defaults, "uid")).isEqualTo(Types.UuidType.get());
    assertThat(type(defaults, "doc_json")).isEqualTo(Types.StringType.get());
    assertThat(type(defaults, "mood")).isEqualTo(Types.StringType.get());
    assertThat(type((StructType) type(defaults, "address"), "zip")).isEqualTo(Types.IntegerType.get());
    assertThat(type(defaults, "attrs")).isEqualTo(
        Types.MapType.of(Types.StringType.get(), Types.IntegerType.get(), true));
    assertThat(defaults.field("small").defaultValue()).isEqualTo(7);
    assertThat(defaults.field("small").isRequired()).isTrue();

    StructType strings = sink(Map.of(IcebergSinkConfig.TIME_MAPPING.name(), "string",
        IcebergSinkConfig.UUID_AS.name(), "string")).storageSchema(EVERY_TYPE);
    assertThat(type(strings, "clock")).isEqualTo(Types.StringType.get());
    assertThat(type(strings, "uid")).isEqualTo(Types.StringType.get());
    StructType v2 = sink(Map.of(IcebergSinkConfig.FORMAT_VERSION.name(), "2")).storageSchema(EVERY_TYPE);
    assertThat(v2.field("small").hasDefault()).isFalse();
  }

  private static DataType type(StructType s, String name) {
    return s.field(name).type();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"long-micros", "time", "string"})
  void valuesOfEveryTypeRoundTrip(String timeMapping) {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.TIME_MAPPING.name(), timeMapping));
    TableId id = TableId.of("types", "values");
    sink.create(id, EVERY_TYPE, List.of("id"));
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    long clock = (13 * 3600 + 14 * 60 + 15) * 1_000_000L + 123456;
    Row row = Row.of(EVERY_TYPE, 1L, false, -3, 300, 70000, 1.25f, 2.5, new BigDecimal("-12345.6789012345"),
        "héllo ✓", ByteBuffer.wrap("bin".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(), -719162,
        clock, -1_000_000L, 1_700_000_000_123_456L, 1_700_000_000_123_456_789L, uuid, "{\"a\":1}", "sad",
        Row.of(ADDRESS, "Oslo", 150), List.of("a", "b"), Map.of("k", 8));
    StructType small = StructType.of(Field.required("id", Types.LongType.get()));
    commitBatch(sink, id, List.of(RowChange.upsert(Row.of(small, 1L), row, origin())));

    StructType described = sink.describe(id).orElseThrow().schema();
    Row read = sink.read(id).get(0);
    assertThat(read.schema()).isEqualTo(described);
    Object expectedClock = switch (timeMapping) {
      case "string" -> "13:14:15.123456";
      default -> clock;
    };
    StructType storedAddress = (StructType) described.field("address").type();
    Row expected = Row.of(described, 1L, false, -3, 300, 70000, 1.25f, 2.5, new BigDecimal("-12345.6789012345"),
        "héllo ✓", ByteBuffer.wrap("bin".getBytes(StandardCharsets.UTF_8)), -719162,
        expectedClock, -1_000_000L, 1_700_000_000_123_456L, 1_700_000_000_123_456L, uuid, "{\"a\":1}", "sad",
        Row.of(storedAddress, "Oslo", 150), List.of("a", "b"), Map.of("k", 8));
    assertThat(read).isEqualTo(expected);
  }

  @Test
  void unavailableValuesOfEveryTypeAreTakenFromTheRowTheTableHolds() {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.TIME_MAPPING.name(), "time"));
    TableId id = TableId.of("types", "toast");
    sink.create(id, EVERY_TYPE, List.of("id"));
    UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
    long clock = (13 * 3600 + 14 * 60 + 15) * 1_000_000L + 123456;
    Object[] values = {1L, false, -3, 300, 70000, 1.25f, 2.5, new BigDecimal("-12345.6789012345"), "héllo ✓",
        ByteBuffer.wrap("bin".getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer(), -719162, clock, -1_000_000L,
        1_700_000_000_123_456L, 1_700_000_000_123_456_789L, uuid, "{\"a\":1}", "sad", Row.of(ADDRESS, "Oslo", 150),
        List.of("a", "b"), Map.of("k", 8)};
    StructType small = StructType.of(Field.required("id", Types.LongType.get()));
    commitBatch(sink, id, List.of(RowChange.upsert(Row.of(small, 1L), Row.of(EVERY_TYPE, values), origin())));
    Row stored = sink.read(id).get(0);

    // a later change carries only its key and a new string; every other column is unavailable (TOAST)
    Object[] toasted = new Object[values.length];
    java.util.Arrays.fill(toasted, Unavailable.VALUE);
    toasted[0] = 1L;
    toasted[8] = "changed";
    commitBatch(sink, id, List.of(RowChange.upsert(Row.of(small, 1L), Row.of(EVERY_TYPE, toasted), origin())));

    Row read = sink.read(id).get(0);
    for (int i = 0; i < values.length; i++) {
      String column = read.schema().field(i).name();
      assertThat(read.get(i)).as(column).isEqualTo(i == 8 ? "changed" : stored.get(i));
    }
  }

  @Test
  void nanosecondTimestampsAndUuidStringsRoundTripWhenConfigured() {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.TIMESTAMP_NS.name(), "true",
        IcebergSinkConfig.UUID_AS.name(), "string"));
    StructType schema = StructType.of(Field.required("id", Types.LongType.get()),
        Field.optional("local_ns", Types.TimestampType.localNanos()),
        Field.optional("zoned_ns", Types.TimestampType.zonedNanos()),
        Field.optional("zoned_us", Types.TimestampType.zoned()),
        Field.optional("uid", Types.UuidType.get()));
    TableId id = TableId.of("types", "nanos");
    sink.create(id, schema, List.of("id"));
    UUID uuid = UUID.randomUUID();
    commitBatch(sink, id, List.of(RowChange.upsert(null,
        Row.of(schema, 1L, 1_700_000_000_123_456_789L, -1L, 5L, uuid), origin())));
    StructType described = sink.describe(id).orElseThrow().schema();
    assertThat(described.field("uid").type()).isEqualTo(Types.StringType.get());
    assertThat(sink.read(id)).containsExactly(
        Row.of(described, 1L, 1_700_000_000_123_456_789L, -1L, 5L, uuid.toString()));
  }

  @Test
  void negativeAndLongDurationTimesSurviveAsLongMicrosOrString() {
    StructType schema = StructType.of(Field.required("id", Types.LongType.get()),
        Field.optional("duration", Types.TimeType.get()));
    long mysqlMax = -(838L * 3600 + 59 * 60 + 59) * 1_000_000L;
    for (String mapping : List.of("long-micros", "string")) {
      IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.TIME_MAPPING.name(), mapping));
      TableId id = TableId.of("types", "durations_" + mapping.replace('-', '_'));
      sink.create(id, schema, List.of("id"));
      commitBatch(sink, id, List.of(RowChange.upsert(null, Row.of(schema, 1L, mysqlMax), origin())));
      Object stored = sink.read(id).get(0).get("duration");
      assertThat(stored).isEqualTo(mapping.equals("string") ? "-838:59:59.000000" : mysqlMax);
    }
    IcebergTableSink typed = sink(Map.of(IcebergSinkConfig.TIME_MAPPING.name(), "time"));
    TableId id = TableId.of("types", "durations_time");
    typed.create(id, schema, List.of("id"));
    assertThatThrownBy(() -> write(typed, id,
        List.of(RowChange.upsert(null, Row.of(schema, 1L, mysqlMax), origin()))))
        .isInstanceOf(io.tributary.core.RecordException.class).hasMessageContaining("duration");
  }

  // ------------------------------------------------------------------------------ evolution

  private SchemaEvolution evolution(SchemaChange... changes) {
    return new SchemaEvolution(SchemaChangePlan.of(List.of(changes)), Origin.of(TOPIC, 0, 42), 1_700_000_000_000L);
  }

  @Test
  void widenIntToLongThenWriteBigLongs() {
    IcebergTableSink sink = sink();
    StructType v1 = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.optional("points", Types.IntegerType.get()));
    sink.create(TABLE, v1, List.of("id"));
    commitBatch(sink, TABLE, List.of(RowChange.upsert(null, Row.of(v1, 1, 5), origin())));
    TableDescriptor d = sink.evolve(TABLE, evolution(
        new SchemaChange.WidenType(List.of("points"), Types.IntegerType.get(), Types.LongType.get())));
    assertThat(d.schema().field("points").type()).isEqualTo(Types.LongType.get());
    StructType v2 = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.optional("points", Types.LongType.get()));
    commitBatch(sink, TABLE, List.of(
        RowChange.upsert(null, Row.of(v2, 2, 5_000_000_000L), origin()),
        // a row still in the old schema is widened on write
        RowChange.upsert(null, Row.of(v1, 3, 7), origin())));
    assertThat(rows(sink, TABLE)).extracting(r -> r.get("points")).containsExactly(5L, 5_000_000_000L, 7L);
  }

  @Test
  void requiredColumnWithDefaultInV3ReadsDefaultForOldRows() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", null))));
    SchemaEvolution add = evolution(new SchemaChange.AddColumn(List.of(),
        Field.required("loyalty", Types.IntegerType.ofBits(16)).withDefault(0), "name"));
    TableDescriptor d = sink.evolve(TABLE, add);
    assertThat(d.schema().fieldNames()).containsExactly("id", "name", "loyalty", "bio");
    assertThat(d.schema().field("loyalty")).isEqualTo(
        Field.required("loyalty", Types.IntegerType.get()).withDefault(0));
    // the plan applied again (a retry after a crash) changes nothing
    int schemaId = sink.loadTable(TABLE).schema().schemaId();
    sink.evolve(TABLE, add);
    assertThat(sink.loadTable(TABLE).schema().schemaId()).isEqualTo(schemaId);

    StructType withLoyalty = d.schema();
    commitBatch(sink, TABLE, List.of(
        RowChange.upsert(Row.of(KEY, 2), Row.of(withLoyalty, 2, "bob", 9, null), origin()),
        // an old-schema row gets the write default
        upsert(customer(3, "cy", null))));
    assertThat(rows(sink, TABLE)).extracting(r -> r.get("loyalty")).containsExactly(0, 9, 0);

    assertThat(sink.schemaHistory(TABLE)).singleElement().satisfies(h -> {
      assertThat(h.schemaId()).isEqualTo(schemaId);
      assertThat(h.cause()).isEqualTo(Origin.of(TOPIC, 0, 42));
      assertThat(h.timestampMillis()).isEqualTo(1_700_000_000_000L);
      assertThat(h.changes()).containsExactly(add.plan().changes().get(0).toString());
    });
  }

  @Test
  void aBatchWritesTheSchemaAnotherWriterEvolvedAfterTheLastBatch() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", null))));
    // another process, with a catalog of its own, adds a column between this sink's batches
    IcebergTableSink other = sink();
    TableDescriptor evolved = other.evolve(TABLE, evolution(new SchemaChange.AddColumn(List.of(),
        Field.optional("loyalty", Types.IntegerType.get()), "name")));

    commitBatch(sink, TABLE, List.of(
        RowChange.upsert(Row.of(KEY, 2), Row.of(evolved.schema(), 2, "bob", 9, null), origin())));
    assertThat(rows(other, TABLE)).extracting(r -> r.get("loyalty")).containsExactly(null, 9);
    assertThat(sink.describe(TABLE).orElseThrow().schema()).isEqualTo(evolved.schema());
  }

  @Test
  void requiredColumnWithDefaultInV2BecomesOptional() {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.FORMAT_VERSION.name(), "2"));
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", null))));
    TableDescriptor d = sink.evolve(TABLE, evolution(new SchemaChange.AddColumn(List.of(),
        Field.required("loyalty", Types.IntegerType.get()).withDefault(0), null)));
    assertThat(d.schema().fieldNames()).containsExactly("loyalty", "id", "name", "bio");
    assertThat(d.schema().field("loyalty")).isEqualTo(Field.optional("loyalty", Types.IntegerType.get()));
    commitBatch(sink, TABLE, List.of(
        RowChange.upsert(Row.of(KEY, 2), Row.of(d.schema(), 4, 2, "bob", null), origin())));
    assertThat(rows(sink, TABLE)).extracting(r -> r.get("loyalty")).containsExactly(null, 4);
  }

  @Test
  void renameKeepsValuesAndMakeOptionalAllowsNulls() {
    IcebergTableSink sink = sink();
    StructType v1 = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.required("name", Types.StringType.get()), Field.optional("address", ADDRESS));
    sink.create(TABLE, v1, List.of("id"));
    commitBatch(sink, TABLE, List.of(RowChange.upsert(null, Row.of(v1, 1, "ann", Row.of(ADDRESS, "Oslo", 1)), origin())));
    TableDescriptor d = sink.evolve(TABLE, evolution(
        new SchemaChange.RenameColumn(List.of("name"), "full_name", SchemaChange.RenameColumn.Evidence.DDL),
        new SchemaChange.MakeOptional(List.of("full_name"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE),
        new SchemaChange.AddColumn(List.of("address"), Field.optional("street", Types.StringType.get()), "city")));
    assertThat(d.schema().fieldNames()).containsExactly("id", "full_name", "address");
    assertThat(d.schema().field("full_name").isOptional()).isTrue();
    StructType address = (StructType) d.schema().field("address").type();
    assertThat(address.fieldNames()).containsExactly("city", "street", "zip");

    StructType v2 = d.schema();
    commitBatch(sink, TABLE, List.of(
        RowChange.upsert(null, Row.of(v2, 2, null, Row.of(address, "Rome", "Via Roma", 2)), origin())));
    assertThat(rows(sink, TABLE)).containsExactly(
        Row.of(v2, 1, "ann", Row.of(address, "Oslo", null, 1)),
        Row.of(v2, 2, null, Row.of(address, "Rome", "Via Roma", 2)));
    // applying the same plan again is a no-op
    sink.evolve(TABLE, evolution(
        new SchemaChange.RenameColumn(List.of("name"), "full_name", SchemaChange.RenameColumn.Evidence.DDL)));
    assertThat(sink.schemaHistory(TABLE)).hasSize(1);
  }

  @Test
  void columnsAddedTogetherKeepSourceOrderAndUnknownPositionsGoLast() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    TableDescriptor d = sink.evolve(TABLE, evolution(
        new SchemaChange.AddColumn(List.of(), Field.optional("a", Types.StringType.get()), "id"),
        new SchemaChange.AddColumn(List.of(), Field.optional("b", Types.StringType.get()), "a"),
        new SchemaChange.AddColumn(List.of(), Field.optional("c", Types.StringType.get()), "dropped_at_source")));
    assertThat(d.schema().fieldNames()).containsExactly("id", "a", "b", "name", "bio", "c");
  }

  @Test
  void concurrentEvolutionsOfTheSamePlanBothSucceed() throws Exception {
    IcebergTableSink first = sink();
    IcebergTableSink second = sink();
    first.create(TABLE, CUSTOMERS, List.of("id"));
    SchemaEvolution plan = evolution(
        new SchemaChange.AddColumn(List.of(), Field.optional("email", Types.StringType.get()), "name"),
        new SchemaChange.AddColumn(List.of(), Field.optional("phone", Types.StringType.get()), "email"));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      var a = pool.submit(() -> {
        start.await();
        return first.evolve(TABLE, plan);
      });
      var b = pool.submit(() -> {
        start.await();
        return second.evolve(TABLE, plan);
      });
      start.countDown();
      assertThat(a.get().schema()).isEqualTo(b.get().schema());
      assertThat(a.get().schema().fieldNames()).containsExactly("id", "name", "email", "phone", "bio");
    } finally {
      pool.shutdownNow();
    }
    assertThat(first.schemaHistory(TABLE)).hasSize(1);
  }

  @Test
  void incompatibleChangesAreFatal() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    assertThatThrownBy(() -> sink.evolve(TABLE, evolution(new SchemaChange.Incompatible(List.of("name"),
        Types.StringType.get(), Types.IntegerType.get(), "string to number")))).isInstanceOf(FatalException.class)
        .hasMessageContaining("shop.customers").hasMessageContaining("offset 42");
    // key columns stay required: the change is skipped rather than failing every batch
    assertThat(sink.evolve(TABLE, evolution(
        new SchemaChange.MakeOptional(List.of("id"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE)))
        .schema().field("id").isRequired()).isTrue();
    assertThat(sink.schemaHistory(TABLE)).isEmpty();
    assertThat(sink.describe(TABLE).orElseThrow().schema()).isEqualTo(sink.storageSchema(CUSTOMERS));
  }
}
