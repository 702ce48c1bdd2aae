package io.tributary.benchmarks.write;

import io.tributary.benchmarks.CustomersData.Customer;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.function.BiFunction;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.Decimal;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.data.Timestamp;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DecimalType;
import org.apache.paimon.types.RowKind;
import org.apache.paimon.types.RowType;

/**
 * Builds the formats' own row objects (Iceberg {@link GenericRecord}s, generic or in Iceberg's internal
 * representation, Paimon {@link GenericRow}) straight from generated customers, for the ceiling writers and for
 * checking what a table holds: no Tributary code is involved. Values are converted by the column types of the
 * table, so the rows fit whatever schema the table has.
 */
public final class CeilingRows {
  private CeilingRows() {}

  /**
   * The value of a column in plain Java, as the source row holds it: dates as epoch days, {@code created_at} as
   * epoch milliseconds, {@code updated_at} as ISO-8601 text, {@code wake_time} as microseconds of the day.
   */
  static Object sourceValue(Customer c, String column) {
    return switch (column) {
      case "id" -> c.id();
      case "name" -> c.name();
      case "email" -> c.email();
      case "balance" -> c.balance();
      case "created_at" -> c.createdAt();
      case "updated_at" -> c.updatedAt();
      case "birthday" -> c.birthday();
      case "active" -> c.active();
      case "score" -> c.score();
      case "notes" -> c.notes();
      case "prefs" -> c.prefs();
      case "tier" -> c.tier();
      case "avatar" -> c.avatar();
      case "wake_time" -> c.wakeTime();
      default -> throw new IllegalArgumentException("no column " + column + " in the customers table");
    };
  }

  /** The customer as an Iceberg generic record of {@code schema} (what Iceberg's generic readers return). */
  public static Record iceberg(Schema schema, Customer c) {
    return icebergRecord(schema, c, CeilingRows::icebergValue);
  }

  /**
   * The customer as an Iceberg record of {@code schema} in Iceberg's internal representation (dates as days,
   * times and timestamps as microseconds), what Iceberg's {@code InternalWriter} writes.
   */
  public static Record icebergInternal(Schema schema, Customer c) {
    return icebergRecord(schema, c, CeilingRows::icebergInternalValue);
  }

  private static Record icebergRecord(Schema schema, Customer c, BiFunction<Object, Type, Object> value) {
    GenericRecord record = GenericRecord.create(schema);
    for (int i = 0; i < schema.columns().size(); i++) {
      Types.NestedField f = schema.columns().get(i);
      record.set(i, value.apply(sourceValue(c, f.name()), f.type()));
    }
    return record;
  }

  /** A record of {@code keySchema} holding the customer's key. */
  public static Record icebergKey(Schema keySchema, int id) {
    GenericRecord key = GenericRecord.create(keySchema);
    key.set(0, id);
    return key;
  }

  private static Object icebergValue(Object v, Type type) {
    if (v == null) {
      return null;
    }
    return switch (type.typeId()) {
      case INTEGER -> ((Number) v).intValue();
      case LONG -> ((Number) v).longValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case DECIMAL, STRING -> v;
      case BINARY -> ByteBuffer.wrap((byte[]) v);
      case DATE -> LocalDate.ofEpochDay(((Number) v).longValue());
      case TIME -> LocalTime.ofNanoOfDay(((Number) v).longValue() * 1000L);
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? OffsetDateTime.ofInstant(Instant.parse((String) v), ZoneOffset.UTC)
          : DateTimeUtil.timestampFromMicros(((Number) v).longValue() * 1000L);
      default -> throw new IllegalArgumentException("no conversion of " + v + " to " + type);
    };
  }

  private static Object icebergInternalValue(Object v, Type type) {
    if (v == null) {
      return null;
    }
    return switch (type.typeId()) {
      case DATE -> ((Number) v).intValue();
      case TIME -> ((Number) v).longValue();
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC()
          ? DateTimeUtil.microsFromInstant(Instant.parse((String) v))
          : ((Number) v).longValue() * 1000L;
      default -> icebergValue(v, type);
    };
  }

  /** The customer as a Paimon row of {@code rowType}. */
  public static GenericRow paimon(RowType rowType, Customer c, RowKind kind) {
    GenericRow row = new GenericRow(kind, rowType.getFieldCount());
    for (int i = 0; i < rowType.getFieldCount(); i++) {
      DataField f = rowType.getFields().get(i);
      row.setField(i, paimonValue(sourceValue(c, f.name()), f.type()));
    }
    return row;
  }

  private static Object paimonValue(Object v, DataType type) {
    if (v == null) {
      return null;
    }
    return switch (type.getTypeRoot()) {
      case INTEGER -> ((Number) v).intValue();
      case SMALLINT -> ((Number) v).shortValue();
      case BIGINT -> ((Number) v).longValue();
      case DOUBLE -> ((Number) v).doubleValue();
      case DECIMAL -> Decimal.fromBigDecimal((BigDecimal) v, ((DecimalType) type).getPrecision(),
          ((DecimalType) type).getScale());
      case VARCHAR, CHAR -> BinaryString.fromString((String) v);
      case VARBINARY, BINARY -> v;
      case DATE -> ((Number) v).intValue();
      case TIME_WITHOUT_TIME_ZONE -> (int) (((Number) v).longValue() / 1000L);
      case TIMESTAMP_WITHOUT_TIME_ZONE -> Timestamp.fromEpochMillis(((Number) v).longValue());
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Timestamp.fromInstant(Instant.parse((String) v));
      default -> throw new IllegalArgumentException("no conversion of " + v + " to " + type);
    };
  }
}
