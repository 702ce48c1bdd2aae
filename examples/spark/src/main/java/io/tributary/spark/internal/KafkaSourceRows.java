package io.tributary.spark.internal;

import io.tributary.engines.CdcRecord;
import java.util.List;
import org.apache.spark.sql.Row;

/** Reads rows of Spark's Kafka source (key, value, topic, partition, offset, timestamp, headers) as records. */
public final class KafkaSourceRows {
  private KafkaSourceRows() {}

  /** Reads a row with the Kafka source's column names; {@code headers} and {@code timestamp} are optional. */
  public static CdcRecord toRecord(Row row) {
    String[] keys = new String[0];
    byte[][] values = new byte[0][];
    int h = indexOf(row, "headers");
    if (h >= 0 && !row.isNullAt(h)) {
      List<Row> headers = row.getList(h);
      keys = new String[headers.size()];
      values = new byte[headers.size()][];
      for (int i = 0; i < headers.size(); i++) {
        keys[i] = headers.get(i).getString(0);
        values[i] = headers.get(i).isNullAt(1) ? null : (byte[]) headers.get(i).get(1);
      }
    }
    int ts = indexOf(row, "timestamp");
    long timestamp = ts < 0 || row.isNullAt(ts) ? -1L : row.getTimestamp(ts).getTime();
    int k = row.fieldIndex("key");
    int v = row.fieldIndex("value");
    return CdcRecord.of(row.getString(row.fieldIndex("topic")), row.getInt(row.fieldIndex("partition")),
        row.getLong(row.fieldIndex("offset")), timestamp,
        row.isNullAt(k) ? null : (byte[]) row.get(k), row.isNullAt(v) ? null : (byte[]) row.get(v), keys, values);
  }

  private static int indexOf(Row row, String name) {
    return row.schema().getFieldIndex(name).isDefined() ? row.fieldIndex(name) : -1;
  }
}
