package io.tributary.kafka.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.ChangeEvent;
import io.tributary.core.ColumnRename;
import io.tributary.core.Operation;
import io.tributary.core.RecordException;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.kafka.decode.internal.DdlRenames;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Heartbeats, transaction metadata, unwrapped metadata, schemaless hints and DDL text. */
class RecordKindsTest {

  @Test
  void heartbeatsAndTransactionMetadataAreSkipped() {
    String heartbeat = "{\"schema\":{\"type\":\"struct\",\"name\":\"io.debezium.connector.common.Heartbeat\","
        + "\"fields\":[{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"}]},\"payload\":{\"ts_ms\":1}}";
    DecodedRecord d = DebeziumDecoders.json().decode(Envelopes.record(null, heartbeat));
    assertThat(d).isInstanceOf(DecodedRecord.Skipped.class);
    assertThat(((DecodedRecord.Skipped) d).reason()).isEqualTo("heartbeat");
    assertThat(DebeziumDecoders.schemaless(SchemaHints.none()).decode(Envelopes.record(null, "{\"ts_ms\":1}")))
        .isInstanceOf(DecodedRecord.Skipped.class);
    String tx = "{\"status\":\"END\",\"id\":\"571:53195829\",\"event_count\":2,\"data_collections\":[],\"ts_ms\":1}";
    DecodedRecord t = DebeziumDecoders.auto().decode(Envelopes.record(null, tx));
    assertThat(((DecodedRecord.Skipped) t).reason()).isEqualTo("transaction metadata");
  }

  @Test
  void rowFieldsAreReadWhateverTheirOrderAndOptionalOnesMayBeAbsent() {
    String fields = "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
        + "{\"type\":\"string\",\"optional\":true,\"field\":\"name\"},"
        + "{\"type\":\"string\",\"optional\":true,\"field\":\"note\"},"
        + "{\"type\":\"int64\",\"optional\":false,\"field\":\"qty\"}";
    RecordDecoder decoder = DebeziumDecoders.json();
    // schema order, then reversed, then with an optional field left out, then a field the schema lacks
    ChangeEvent inOrder = ((DecodedRecord.Change) decoder.decode(Envelopes.record(null, Envelopes.value(fields, "null",
        "{\"id\":1,\"name\":\"a\",\"note\":\"n\",\"qty\":5}", "c")))).event();
    ChangeEvent reversed = ((DecodedRecord.Change) decoder.decode(Envelopes.record(null, Envelopes.value(fields, "null",
        "{\"qty\":5,\"note\":\"n\",\"name\":\"a\",\"id\":1}", "c")))).event();
    ChangeEvent sparse = ((DecodedRecord.Change) decoder.decode(Envelopes.record(null, Envelopes.value(fields, "null",
        "{\"id\":2,\"qty\":7}", "c")))).event();
    assertThat(inOrder.after().toMap()).isEqualTo(Map.of("id", 1, "name", "a", "note", "n", "qty", 5L));
    assertThat(reversed.after()).isEqualTo(inOrder.after());
    assertThat(sparse.after().toMap()).containsEntry("id", 2).containsEntry("qty", 7L)
        .containsEntry("name", null).containsEntry("note", null);
    assertThatThrownBy(() -> decoder.decode(Envelopes.record(null, Envelopes.value(fields, "null",
        "{\"id\":3,\"name\":\"a\",\"colour\":\"red\",\"qty\":1}", "c"))))
        .isInstanceOf(RecordException.class).hasMessageContaining("colour");
    assertThatThrownBy(() -> decoder.decode(Envelopes.record(null, Envelopes.value(fields, "null",
        "{\"id\":3,\"name\":\"a\"}", "c"))))
        .isInstanceOf(RecordException.class).hasMessageContaining("qty");
  }

  private static final String UNWRAPPED_FIELDS = "{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"},"
      + "{\"type\":\"bytes\",\"optional\":true,\"name\":\"org.apache.kafka.connect.data.Decimal\","
      + "\"parameters\":{\"scale\":\"2\"},\"field\":\"price\"},"
      + "{\"type\":\"boolean\",\"optional\":true,\"field\":\"__deleted\"},"
      + "{\"type\":\"string\",\"optional\":true,\"field\":\"__op\"},"
      + "{\"type\":\"string\",\"optional\":true,\"field\":\"__table\"},"
      + "{\"type\":\"string\",\"optional\":true,\"field\":\"__db\"},"
      + "{\"type\":\"int64\",\"optional\":true,\"field\":\"__lsn\"},"
      + "{\"type\":\"int64\",\"optional\":true,\"field\":\"__source_ts_ms\"}";

  private static String unwrapped(String payload) {
    return "{\"schema\":{\"type\":\"struct\",\"optional\":false,\"name\":\"pg.inventory.t.Value\",\"fields\":["
        + UNWRAPPED_FIELDS + "]},\"payload\":" + payload + "}";
  }

  @Test
  void unwrappedMetadataFieldsAreNotColumns() {
    RecordDecoder decoder = DebeziumDecoders.unwrapped();
    ChangeEvent upsert = ((DecodedRecord.Change) decoder.decode(Envelopes.record(null, unwrapped(
        "{\"id\":1,\"price\":\"MD8=\",\"__deleted\":false,\"__op\":\"u\",\"__table\":\"orders\",\"__db\":\"shop\","
            + "\"__lsn\":123,\"__source_ts_ms\":1700000000000}")))).event();
    assertThat(upsert.operation()).isEqualTo(Operation.UPDATE);
    assertThat(upsert.rowSchema().fieldNames()).containsExactly("id", "price");
    assertThat(upsert.after().get("price")).isEqualTo(new BigDecimal("123.51"));
    assertThat(upsert.source().database()).isEqualTo("shop");
    assertThat(upsert.source().table()).isEqualTo("orders");
    assertThat(upsert.source().timestampMillis()).isEqualTo(1700000000000L);
    assertThat(upsert.source().position().component(0)).isEqualTo(123L);

    ChangeEvent delete = ((DecodedRecord.Change) decoder.decode(Envelopes.record(null, unwrapped(
        "{\"id\":1,\"price\":null,\"__deleted\":true,\"__op\":\"d\"}")))).event();
    assertThat(delete.operation()).isEqualTo(Operation.DELETE);
    assertThat(delete.before().get("id")).isEqualTo(1);
    assertThat(delete.after()).isNull();
    // no __table: database and table come from the prefix.db.table topic name
    assertThat(delete.source().database()).isEqualTo("inventory");
    assertThat(delete.source().table()).isEqualTo("t");

    ChangeEvent noOp = ((DecodedRecord.Change) decoder.decode(Envelopes.record(null, unwrapped(
        "{\"id\":2,\"price\":null}")))).event();
    assertThat(noOp.operation()).isEqualTo(Operation.UPDATE);
  }

  @Test
  void schemalessUnwrappedRowsUseHints() {
    StructType table = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.optional("price", Types.DecimalType.of(10, 2)),
        Field.optional("day", Types.DateType.get()),
        Field.optional("at", Types.TimestampType.local()),
        Field.optional("flag", Types.BooleanType.get()));
    RecordDecoder decoder = DebeziumDecoders.create(
        io.tributary.core.config.Settings.of(Map.of("tributary.decoder.format", "unwrapped")),
        (topic, source) -> source != null && "t".equals(source.table()) ? Optional.of(table) : Optional.empty());
    ChangeEvent e = ((DecodedRecord.Change) decoder.decode(Envelopes.record("{\"id\":1}",
        "{\"id\":1,\"price\":\"MD8=\",\"day\":3749,\"at\":1704153601001,\"flag\":1,\"extra\":\"x\","
            + "\"__deleted\":\"true\",\"__op\":\"d\"}"))).event();
    assertThat(e.operation()).isEqualTo(Operation.DELETE);
    assertThat(e.key().get("id")).isEqualTo(1);
    assertThat(e.before().get("price")).isEqualTo(new BigDecimal("123.51"));
    assertThat(e.before().get("day")).isEqualTo(3749);
    assertThat(e.before().get("at")).isEqualTo(1704153601001000L);
    assertThat(e.before().get("flag")).isEqualTo(true);
    assertThat(e.before().get("extra")).isEqualTo("x");
    assertThat(e.rowSchema().fieldNames()).containsExactly("id", "price", "day", "at", "flag", "extra");
  }

  @Test
  void streamedDropTableIsADrop() {
    String value = "{\"source\":{\"connector\":\"mysql\",\"ts_ms\":1,\"snapshot\":\"false\",\"db\":\"shop\","
        + "\"file\":\"binlog.000007\",\"pos\":400,\"row\":0},\"ts_ms\":2,\"databaseName\":\"shop\",\"schemaName\":null,"
        + "\"ddl\":\"DROP TABLE IF EXISTS `shop`.`old`\",\"tableChanges\":[{\"type\":\"DROP\",\"id\":\"\\\"shop\\\".\\\"old\\\"\","
        + "\"table\":null}]}";
    DecodedRecord.SchemaChange sc = (DecodedRecord.SchemaChange)
        DebeziumDecoders.schemaless(SchemaHints.none()).decode(Envelopes.record(null, value));
    SchemaChangeEvent e = sc.events().get(0);
    assertThat(e.kind()).isEqualTo(SchemaChangeEvent.Kind.DROP);
    assertThat(e.database()).isEqualTo("shop");
    assertThat(e.table()).isEqualTo("old");
    assertThat(e.source().position().component(0)).isEqualTo(7L);
  }

  @Test
  void oneRecordWithSeveralTableChangesGivesOneEventPerTable() {
    String value = "{\"source\":{\"connector\":\"mysql\",\"ts_ms\":1,\"snapshot\":\"false\",\"db\":\"shop\"},"
        + "\"databaseName\":\"shop\",\"ddl\":\"RENAME TABLE a TO b, c TO d\",\"tableChanges\":["
        + "{\"type\":\"ALTER\",\"id\":\"\\\"shop\\\".\\\"b\\\"\",\"table\":{\"primaryKeyColumnNames\":[\"id\"],"
        + "\"columns\":[{\"name\":\"id\",\"jdbcType\":-5,\"typeName\":\"BIGINT UNSIGNED\",\"position\":1,\"optional\":false},"
        + "{\"name\":\"p\",\"jdbcType\":3,\"typeName\":\"DECIMAL\",\"length\":65,\"scale\":30,\"position\":2,\"optional\":true,"
        + "\"defaultValueExpression\":\"1.5\"}]}},"
        + "{\"type\":\"ALTER\",\"id\":\"\\\"shop\\\".\\\"d\\\"\",\"table\":null}]}";
    DecodedRecord.SchemaChange sc = (DecodedRecord.SchemaChange)
        DebeziumDecoders.auto().decode(Envelopes.record(null, value));
    assertThat(sc.events()).extracting(SchemaChangeEvent::table).containsExactly("b", "d");
    StructType columns = sc.events().get(0).columns();
    assertThat(columns.field("id")).isEqualTo(Field.required("id", Types.DecimalType.of(20, 0)));
    assertThat(columns.field("p")).isEqualTo(Field.optional("p", Types.DecimalType.of(38, 30))
        .withDefault(new BigDecimal("1.500000000000000000000000000000")));
  }

  @Test
  void envelopeMemberOrderAndNullSchemasAreTolerated() {
    String typed = Envelopes.single("{\"type\":\"int16\",\"optional\":true}", "7");
    int split = typed.indexOf(",\"payload\":");
    String schemaPart = typed.substring(1, split);
    String payloadPart = typed.substring(split + 1, typed.length() - 1);
    String payloadFirst = "{" + payloadPart + "," + schemaPart + "}";
    ChangeEvent a = ((DecodedRecord.Change) DebeziumDecoders.json().decode(Envelopes.record(null, typed))).event();
    ChangeEvent b = ((DecodedRecord.Change) DebeziumDecoders.json().decode(Envelopes.record(null, payloadFirst))).event();
    assertThat(b.after()).isEqualTo(a.after());
    assertThat(b.rowSchema()).isEqualTo(a.rowSchema());
    assertThat(b.after().get("v")).isEqualTo(7);
    // a schemaless value wrapped by JsonConverter with a null schema
    ChangeEvent c = ((DecodedRecord.Change) DebeziumDecoders.auto().decode(Envelopes.record(null,
        "{\"schema\":null,\"payload\":{\"before\":null,\"after\":{\"v\":7},\"op\":\"c\"}}"))).event();
    assertThat(c.after().get("v")).isEqualTo(7L);
  }

  @Test
  void renamesFromDdlText() {
    assertThat(DdlRenames.find("ALTER TABLE customers RENAME COLUMN score TO rating"))
        .containsExactly(ColumnRename.of("score", "rating"));
    assertThat(DdlRenames.find("alter table `t` rename column `a b` to `c``d`, RENAME COLUMN x TO y"))
        .containsExactly(ColumnRename.of("a b", "c`d"), ColumnRename.of("x", "y"));
    assertThat(DdlRenames.find("ALTER TABLE t CHANGE COLUMN old_name new_name VARCHAR(10) NOT NULL, CHANGE same same INT"))
        .containsExactly(ColumnRename.of("old_name", "new_name"));
    assertThat(DdlRenames.find("ALTER TABLE t CHANGE `a` `b` int"))
        .containsExactly(ColumnRename.of("a", "b"));
    assertThat(DdlRenames.find("ALTER TABLE t ADD COLUMN c VARCHAR(40) DEFAULT 'RENAME COLUMN x TO y'")).isEmpty();
    assertThat(DdlRenames.find("ALTER TABLE t ADD COLUMN c INT /* CHANGE a b INT */")).isEmpty();
    assertThat(DdlRenames.find(null)).isEqualTo(List.of());
  }
}
