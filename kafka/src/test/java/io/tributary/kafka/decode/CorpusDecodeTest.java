package io.tributary.kafka.decode;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ChangeEvent;
import io.tributary.core.ColumnRename;
import io.tributary.core.Operation;
import io.tributary.core.Row;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.SourcePosition;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Decodes every record of the real MariaDB corpus in all three encodings and checks it against ground truth. */
class CorpusDecodeTest {

  private static List<DecodedRecord> decodeAll(RecordDecoder decoder, List<ConsumerRecord<byte[], byte[]>> records) {
    List<DecodedRecord> out = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.add(decoder.decode(r));
    }
    return out;
  }

  private static Map<String, Integer> census(List<DecodedRecord> decoded) {
    Map<String, Integer> counts = new HashMap<>();
    for (DecodedRecord d : decoded) {
      String k = d instanceof DecodedRecord.Change c ? c.event().operation().code() : d.getClass().getSimpleName();
      counts.merge(k, 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void decodesEveryJsonSchemasLineWithTheExpectedOperations() {
    List<DecodedRecord> decoded = decodeAll(DebeziumDecoders.json(), Corpus.records("json-schemas"));
    assertThat(decoded).hasSize(1194);
    // counts from the corpus README: r 75, c 1031, u 36, d 18, t 1, tombstones 18, schema changes 15
    assertThat(census(decoded)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "r", 75, "c", 1031, "u", 36, "d", 18, "t", 1, "Tombstone", 18, "SchemaChange", 15));
    for (int i = 0; i < decoded.size(); i++) {
      assertThat(decoded.get(i).origin().offset()).isEqualTo(i);
    }
  }

  @Test
  void autoFormatDecodesAllThreeEncodingsLikeTheDedicatedDecoders() {
    RecordDecoder auto = DebeziumDecoders.auto();
    for (String variant : List.of("json-schemas", "unwrapped")) {
      List<ConsumerRecord<byte[], byte[]>> records = Corpus.records(variant);
      RecordDecoder dedicated = variant.equals("unwrapped") ? DebeziumDecoders.unwrapped() : DebeziumDecoders.json();
      for (ConsumerRecord<byte[], byte[]> r : records) {
        DecodedRecord a = auto.decode(r);
        DecodedRecord b = dedicated.decode(r);
        assertThat(a.getClass()).isEqualTo(b.getClass());
        if (a instanceof DecodedRecord.Change ca) {
          ChangeEvent x = ca.event();
          ChangeEvent y = ((DecodedRecord.Change) b).event();
          assertThat(x.operation()).isEqualTo(y.operation());
          assertThat(x.image()).isEqualTo(y.image());
          assertThat(x.rowSchema()).isEqualTo(y.rowSchema());
        }
      }
    }
  }

  @Test
  void lastEventPerKeyMatchesTheFinalStateColumnByColumn() {
    List<ConsumerRecord<byte[], byte[]>> records = Corpus.records("json-schemas");
    List<DecodedRecord> decoded = decodeAll(DebeziumDecoders.json(), records);
    int compared = 0;
    compared += compareWithFinalState(decoded, "customers", List.of("id"));
    compared += compareWithFinalState(decoded, "order_lines", List.of("order_id", "line_no"));
    // 65 customers x >= 12 columns + 1016 order lines x 5 columns
    assertThat(compared).isGreaterThan(65 * 12 + 1016 * 5 - 1);
  }

  /** Returns the number of cells compared. */
  private static int compareWithFinalState(List<DecodedRecord> decoded, String table, List<String> keyColumns) {
    Map<String, ChangeEvent> last = new LinkedHashMap<>();
    for (DecodedRecord d : decoded) {
      if (d instanceof DecodedRecord.Change c && c.event().source().table().equals(table)
          && c.event().operation() != Operation.TRUNCATE) {
        Row image = c.event().image();
        last.put(keyOf(image, keyColumns), c.event());
      }
    }
    int cells = 0;
    List<Map<String, String>> finalRows = Corpus.finalState(table);
    assertThat(finalRows).isNotEmpty();
    for (Map<String, String> expected : finalRows) {
      String key = String.join("|", keyColumns.stream().map(expected::get).toList());
      ChangeEvent event = last.get(key);
      assertThat(event).as("last event of %s key %s", table, key).isNotNull();
      assertThat(event.operation().producesRow()).as("final row %s of %s was deleted", key, table).isTrue();
      Row after = event.after();
      for (Field f : after.schema().fields()) {
        if (!expected.containsKey(f.name())) {
          continue; // dropped or renamed since
        }
        Object v = after.get(f.name());
        assertThat(Values.matches(f.type(), v, expected.get(f.name())))
            .as("%s %s column %s: decoded %s (%s) vs final %s", table, key, f.name(),
                Values.render(f.type(), v), f.type(), expected.get(f.name()))
            .isTrue();
        cells++;
      }
    }
    return cells;
  }

  private static String keyOf(Row row, List<String> keyColumns) {
    return String.join("|", keyColumns.stream().map(c -> String.valueOf(row.get(c))).toList());
  }

  @Test
  void decodesTypesAsTheCorpusReadmeDescribes() {
    List<DecodedRecord> decoded = decodeAll(DebeziumDecoders.json(), Corpus.records("json-schemas"));
    ChangeEvent first = ((DecodedRecord.Change) decoded.get(10)).event();
    StructType schema = first.rowSchema();
    assertThat(schema.field("id")).isEqualTo(Field.required("id", Types.IntegerType.get()));
    assertThat(schema.field("balance").type()).isEqualTo(Types.DecimalType.of(12, 2));
    assertThat(schema.field("created_at").type()).isEqualTo(Types.TimestampType.local());
    assertThat(schema.field("updated_at").type()).isEqualTo(Types.TimestampType.zoned());
    assertThat(schema.field("birthday").type()).isEqualTo(Types.DateType.get());
    assertThat(schema.field("active").type()).isEqualTo(Types.IntegerType.ofBits(16));
    assertThat(schema.field("tier").type()).isEqualTo(Types.EnumType.of(List.of("free", "pro")));
    assertThat(schema.field("avatar").type()).isEqualTo(Types.BinaryType.get());
    assertThat(schema.field("wake_time").type()).isEqualTo(Types.TimeType.get());
    assertThat(first.operation()).isEqualTo(Operation.READ);
    assertThat(first.key()).isEqualTo(Row.of(StructType.of(Field.required("id", Types.IntegerType.get())), 1));
    assertThat(first.after().get("balance")).isEqualTo(new java.math.BigDecimal("123.51"));
    assertThat(first.after().get("wake_time")).isEqualTo(21_661_000_000L);
    assertThat(first.after().get("updated_at")).isEqualTo(
        java.time.Instant.parse("2024-06-01T13:00:00.123457Z").toEpochMilli() * 1000 + 457);
    // source block and binlog position
    assertThat(first.source().connector()).isEqualTo("mariadb");
    assertThat(first.source().database()).isEqualTo("inventory");
    assertThat(first.source().table()).isEqualTo("customers");
    assertThat(first.source().snapshot()).isTrue();
    assertThat(first.source().timestampMillis()).isEqualTo(1795295146000L);
    assertThat(first.source().position()).isEqualTo(SourcePosition.of("", 1, 47946, 0));
    assertThat(first.source().attributes()).containsEntry("file", "mariadb-bin.000001").containsEntry("server_id", "0");
    // all records of one schema share one row schema instance: the schema block is parsed once
    ChangeEvent second = ((DecodedRecord.Change) decoded.get(11)).event();
    assertThat(second.rowSchema()).isSameAs(first.rowSchema());
    // streamed records are not snapshot records and positions grow
    ChangeEvent streamed = ((DecodedRecord.Change) decoded.get(85)).event();
    assertThat(streamed.operation()).isEqualTo(Operation.INSERT);
    assertThat(streamed.source().snapshot()).isFalse();
    assertThat(streamed.source().attributes()).containsKey("gtid");
    assertThat(streamed.source().position()).isGreaterThan(first.source().position());
    // the truncate of events_nopk
    ChangeEvent truncate = decoded.stream().filter(d -> d instanceof DecodedRecord.Change c
        && c.event().operation() == Operation.TRUNCATE).map(d -> ((DecodedRecord.Change) d).event()).findFirst().orElseThrow();
    assertThat(truncate.source().table()).isEqualTo("events_nopk");
    assertThat(truncate.key()).isNull();
  }

  @Test
  void primaryKeyChangeHeadersBecomeNewAndOldKeys() {
    for (String variant : List.of("json-schemas", "json-plain")) {
      RecordDecoder decoder = variant.equals("json-plain") ? DebeziumDecoders.schemaless(SchemaHints.none())
          : DebeziumDecoders.json();
      List<ConsumerRecord<byte[], byte[]>> records = Corpus.records(variant);
      // schemaless keys are inferred as long, typed keys are int32
      Object newId = variant.equals("json-plain") ? (Object) 1005L : (Object) 1005;
      Object oldId = variant.equals("json-plain") ? (Object) 5L : (Object) 5;
      ChangeEvent delete = ((DecodedRecord.Change) decoder.decode(records.get(95))).event();
      assertThat(delete.operation()).isEqualTo(Operation.DELETE);
      assertThat(delete.newKey().toMap()).containsExactly(Map.entry("id", newId));
      assertThat(delete.oldKey()).isNull();
      assertThat(decoder.decode(records.get(96))).isInstanceOf(DecodedRecord.Tombstone.class);
      ChangeEvent create = ((DecodedRecord.Change) decoder.decode(records.get(97))).event();
      assertThat(create.operation()).isEqualTo(Operation.INSERT);
      assertThat(create.oldKey().get("id")).isEqualTo(oldId);
      assertThat(create.newKey()).isNull();
    }
  }

  @Test
  void snapshotBootstrapDdlIsBookkeepingAndAltersCarryColumnsAndRenames() {
    List<ConsumerRecord<byte[], byte[]>> records = Corpus.records("json-schemas");
    RecordDecoder decoder = DebeziumDecoders.json();
    List<SchemaChangeEvent.Kind> snapshotKinds = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      DecodedRecord.SchemaChange sc = (DecodedRecord.SchemaChange) decoder.decode(records.get(i));
      assertThat(sc.events()).hasSize(1);
      snapshotKinds.add(sc.events().get(0).kind());
    }
    SchemaChangeEvent.Kind B = SchemaChangeEvent.Kind.BOOKKEEPING;
    SchemaChangeEvent.Kind C = SchemaChangeEvent.Kind.CREATE;
    assertThat(snapshotKinds).containsExactly(B, B, B, B, B, B, B, C, C, C);

    SchemaChangeEvent create = ((DecodedRecord.SchemaChange) decoder.decode(records.get(7))).events().get(0);
    assertThat(create.database()).isEqualTo("inventory");
    assertThat(create.table()).isEqualTo("customers");
    assertThat(create.primaryKey()).containsExactly("id");
    assertThat(create.columns().fieldNames()).containsExactly("id", "name", "email", "balance", "created_at",
        "updated_at", "birthday", "active", "score", "notes", "prefs", "tier", "avatar", "wake_time");
    assertThat(create.columns().field("balance").type()).isEqualTo(Types.DecimalType.of(12, 2));
    assertThat(create.columns().field("tier").type()).isEqualTo(Types.EnumType.of(List.of("free", "pro")));
    assertThat(create.columns().field("name").isRequired()).isTrue();
    assertThat(create.source().snapshot()).isTrue();

    SchemaChangeEvent addStatus = ((DecodedRecord.SchemaChange) decoder.decode(records.get(1118))).events().get(0);
    assertThat(addStatus.kind()).isEqualTo(SchemaChangeEvent.Kind.ALTER);
    assertThat(addStatus.columns().fieldNames()).hasSize(15).endsWith("status");
    SchemaChangeEvent addLoyalty = ((DecodedRecord.SchemaChange) decoder.decode(records.get(1123))).events().get(0);
    assertThat(addLoyalty.kind()).isEqualTo(SchemaChangeEvent.Kind.ALTER);
    assertThat(addLoyalty.columns().field("loyalty"))
        .isEqualTo(Field.required("loyalty", Types.IntegerType.get()).withDefault(0));
    assertThat(addLoyalty.renames()).isEmpty();
    SchemaChangeEvent rename = ((DecodedRecord.SchemaChange) decoder.decode(records.get(1137))).events().get(0);
    assertThat(rename.kind()).isEqualTo(SchemaChangeEvent.Kind.ALTER);
    assertThat(rename.renames()).containsExactly(ColumnRename.of("score", "rating"));
    assertThat(rename.columns().fieldNames()).contains("rating").doesNotContain("score");
    assertThat(rename.source().snapshot()).isFalse();
  }

  @Test
  void schemalessWithTheSchemasOfTheSameLinesDecodesIdenticalRows() {
    List<ConsumerRecord<byte[], byte[]>> typed = Corpus.records("json-schemas");
    List<ConsumerRecord<byte[], byte[]>> plain = Corpus.records("json-plain");
    assertThat(plain).hasSize(typed.size());
    RecordDecoder json = DebeziumDecoders.json();
    AtomicReference<StructType> hint = new AtomicReference<>();
    RecordDecoder schemaless = DebeziumDecoders.schemaless((topic, source) -> Optional.ofNullable(hint.get()));
    int compared = 0;
    for (int i = 0; i < typed.size(); i++) {
      DecodedRecord t = json.decode(typed.get(i));
      hint.set(t instanceof DecodedRecord.Change c ? c.event().rowSchema() : null);
      DecodedRecord p = schemaless.decode(plain.get(i));
      assertThat(p.getClass()).as("line %s", i + 1).isEqualTo(t.getClass());
      if (t instanceof DecodedRecord.Change tc) {
        ChangeEvent a = tc.event();
        ChangeEvent b = ((DecodedRecord.Change) p).event();
        assertThat(b.operation()).isEqualTo(a.operation());
        assertThat(b.before()).as("line %s before", i + 1).isEqualTo(a.before());
        assertThat(b.after()).as("line %s after", i + 1).isEqualTo(a.after());
        assertThat(b.source()).isEqualTo(a.source());
        compared++;
      } else if (t instanceof DecodedRecord.SchemaChange sc) {
        assertThat(((DecodedRecord.SchemaChange) p).events()).isEqualTo(sc.events());
      }
    }
    assertThat(compared).isEqualTo(1161);
  }

  @Test
  void schemalessWithoutHintsInfersTypes() {
    List<ConsumerRecord<byte[], byte[]>> plain = Corpus.records("json-plain");
    RecordDecoder decoder = DebeziumDecoders.schemaless(SchemaHints.none());
    List<DecodedRecord> decoded = decodeAll(decoder, plain);
    assertThat(census(decoded)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "r", 75, "c", 1031, "u", 36, "d", 18, "t", 1, "Tombstone", 18, "SchemaChange", 15));
    Row after = ((DecodedRecord.Change) decoded.get(10)).event().after();
    assertThat(after.get("id")).isEqualTo(1L);
    assertThat(after.get("balance")).isEqualTo("MD8=");
    assertThat(after.get("score")).isEqualTo(1.75);
    assertThat(after.schema().field("email").type()).isEqualTo(Types.StringType.get());
  }

  @Test
  void unwrappedReplaysToTheSameRowsAsTheEnvelope() {
    List<DecodedRecord> unwrapped = decodeAll(DebeziumDecoders.unwrapped(), Corpus.records("unwrapped"));
    assertThat(unwrapped).hasSize(1175);
    assertThat(census(unwrapped)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "r", 75, "c", 1031, "u", 36, "d", 18, "SchemaChange", 15));
    List<DecodedRecord> envelope = decodeAll(DebeziumDecoders.json(), Corpus.records("json-schemas"));
    for (String table : List.of("customers", "order_lines")) {
      assertThat(replay(unwrapped, table)).isEqualTo(replay(envelope, table));
    }
    ChangeEvent delete = unwrapped.stream().filter(d -> d instanceof DecodedRecord.Change c
        && c.event().operation() == Operation.DELETE).map(d -> ((DecodedRecord.Change) d).event()).findFirst().orElseThrow();
    assertThat(delete.before()).isNotNull();
    assertThat(delete.after()).isNull();
    assertThat(delete.before().hasField("__deleted")).isFalse();
    assertThat(delete.source().table()).isNotNull();
    assertThat(delete.source().timestampMillis()).isPositive();
  }

  /** Key → final row image after applying every change of one table in order. */
  private static Map<Row, Row> replay(List<DecodedRecord> decoded, String table) {
    Map<Row, Row> state = new HashMap<>();
    for (DecodedRecord d : decoded) {
      if (d instanceof DecodedRecord.Change c && table.equals(c.event().source().table())) {
        ChangeEvent e = c.event();
        if (e.operation() == Operation.DELETE) {
          assertThat(state.remove(e.key())).as("deleted row %s existed", e.key()).isNotNull();
        } else {
          state.put(e.key(), e.after());
        }
      }
    }
    return state;
  }
}
