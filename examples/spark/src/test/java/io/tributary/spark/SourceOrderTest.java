package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.engines.CdcRecord;
import io.tributary.spark.internal.KafkaSourceRows;
import io.tributary.spark.internal.SourceOrder;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** How a table's rows are put back in source order after the shuffle. */
class SourceOrderTest {
  private static final StructType KAFKA = new StructType()
      .add("key", DataTypes.BinaryType).add("value", DataTypes.BinaryType)
      .add("topic", DataTypes.StringType).add("partition", DataTypes.IntegerType)
      .add("offset", DataTypes.LongType).add("timestamp", DataTypes.TimestampType);

  private static CdcRecord row(String topic, int partition, long offset, long timestamp) {
    Row r = new GenericRowWithSchema(new Object[] {null, new byte[] {1}, topic, partition, offset,
        new Timestamp(timestamp)}, KAFKA);
    return KafkaSourceRows.toRecord(r);
  }

  private static List<String> positions(List<CdcRecord> rows) {
    List<String> out = new ArrayList<>();
    for (CdcRecord r : rows) {
      var c = r.toConsumerRecord();
      out.add(c.topic() + "-" + c.partition() + "@" + c.offset());
    }
    return out;
  }

  @Test
  void schemaChangeRecordsComeFirstWhateverTheirTimestamps() {
    List<CdcRecord> shuffled = List.of(
        row("db.inv.t", 0, 12, 300), row("db", 0, 5, 250), row("db.inv.t", 0, 10, 100),
        row("db.inv.t", 0, 11, 200), row("db", 0, 4, 50));
    assertThat(positions(SourceOrder.order(new ArrayList<>(shuffled), Set.of("db"))))
        .containsExactly("db-0@4", "db-0@5", "db.inv.t-0@10", "db.inv.t-0@11", "db.inv.t-0@12");
  }

  @Test
  void offsetsOrderEachPartitionAndTimestampsMergeThePartitions() {
    List<CdcRecord> shuffled = List.of(
        row("db.inv.t", 1, 12, 300), row("db.inv.t", 0, 5, 250), row("db.inv.t", 1, 10, 100),
        row("db.inv.t", 1, 11, 200), row("db.inv.t", 0, 4, 50));
    assertThat(positions(SourceOrder.order(new ArrayList<>(shuffled), Set.of("db"))))
        .containsExactly("db.inv.t-0@4", "db.inv.t-1@10", "db.inv.t-1@11", "db.inv.t-0@5", "db.inv.t-1@12");
  }

  @Test
  void aTimestampGoingBackwardsInsideAPartitionNeverReordersIt() {
    List<CdcRecord> rows = List.of(row("t", 0, 2, 100), row("t", 0, 1, 500), row("u", 0, 7, 300));
    // t@1 (ts 500) must precede t@2 (ts 100); u@7 (ts 300) goes before t@1 because t@1's head timestamp is later
    assertThat(positions(SourceOrder.order(new ArrayList<>(rows), Set.of())))
        .containsExactly("u-0@7", "t-0@1", "t-0@2");
  }

  @Test
  void headersAreOptionalAndKeptWhenPresent() {
    StructType withHeaders = KAFKA.add("headers", DataTypes.createArrayType(new StructType()
        .add("key", DataTypes.StringType).add("value", DataTypes.BinaryType)));
    Row header = new GenericRowWithSchema(new Object[] {"__debezium.oldkey", new byte[] {7}},
        (StructType) ((org.apache.spark.sql.types.ArrayType) withHeaders.apply("headers").dataType()).elementType());
    Row r = new GenericRowWithSchema(new Object[] {new byte[] {9}, null, "t", 3, 42L, new Timestamp(5),
        scala.jdk.javaapi.CollectionConverters.asScala(List.of(header)).toSeq()}, withHeaders);
    var record = KafkaSourceRows.toRecord(r).toConsumerRecord();
    assertThat(record.key()).containsExactly(9);
    assertThat(record.value()).isNull();
    assertThat(record.timestamp()).isEqualTo(5);
    assertThat(record.headers().lastHeader("__debezium.oldkey").value()).containsExactly(7);
  }
}
