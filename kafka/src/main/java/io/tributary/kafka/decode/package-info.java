/**
 * Decoders that turn Kafka records written by Debezium connectors into core {@link io.tributary.core.ChangeEvent}s
 * and {@link io.tributary.core.SchemaChangeEvent}s. Entry point: {@link io.tributary.kafka.decode.DebeziumDecoders}.
 *
 * <h2>Type mapping</h2>
 * <table>
 * <caption>Connect / Debezium schema → core type (canonical value)</caption>
 * <tr><th>schema</th><th>core type</th></tr>
 * <tr><td>int8 / int16 / int32</td><td>IntegerType(8/16/32) (Integer); MariaDB BOOLEAN arrives as int16 and stays so</td></tr>
 * <tr><td>int64</td><td>LongType</td></tr>
 * <tr><td>float32 / float64 (JSON {@code float}/{@code double})</td><td>FloatType / DoubleType; "NaN", "Infinity" strings accepted</td></tr>
 * <tr><td>boolean, string</td><td>BooleanType, StringType</td></tr>
 * <tr><td>bytes (base64 in JSON)</td><td>BinaryType (read-only ByteBuffer)</td></tr>
 * <tr><td>array / map / struct</td><td>ListType / MapType / StructType (Row)</td></tr>
 * <tr><td>org.apache.kafka.connect.data.Decimal</td><td>DecimalType(connect.decimal.precision or 38, scale), BigDecimal with the column scale</td></tr>
 * <tr><td>io.debezium.data.VariableScaleDecimal</td><td>StringType holding the plain notation (default, lossless) or
 *     DecimalType(38, 18) — see {@link io.tributary.kafka.decode.VariableScaleDecimalMode}</td></tr>
 * <tr><td>io.debezium.time.Date, connect Date</td><td>DateType (days)</td></tr>
 * <tr><td>io.debezium.time.Time, connect Time (millis); MicroTime; NanoTime</td><td>TimeType (micros; nanos truncated)</td></tr>
 * <tr><td>io.debezium.time.Timestamp, connect Timestamp (millis); MicroTimestamp</td><td>TimestampType.local() (micros)</td></tr>
 * <tr><td>io.debezium.time.NanoTimestamp</td><td>TimestampType.localNanos()</td></tr>
 * <tr><td>io.debezium.time.ZonedTimestamp</td><td>TimestampType.zoned() (micros). Any fraction of 0-9 digits is read
 *     as a decimal fraction ({@code .17285} = .172850); digits beyond microseconds are truncated</td></tr>
 * <tr><td>io.debezium.time.ZonedTime</td><td>TimeType: the time of day converted to UTC (an offset other than Z shifts
 *     it, wrapping at midnight); the zone itself is not kept</td></tr>
 * <tr><td>io.debezium.time.Year</td><td>IntegerType</td></tr>
 * <tr><td>io.debezium.time.MicroDuration</td><td>LongType (micros)</td></tr>
 * <tr><td>io.debezium.data.Json</td><td>JsonType (text)</td></tr>
 * <tr><td>io.debezium.data.Uuid</td><td>UuidType (java.util.UUID)</td></tr>
 * <tr><td>io.debezium.data.Enum</td><td>EnumType(parameters.allowed)</td></tr>
 * <tr><td>io.debezium.data.EnumSet, Xml</td><td>StringType</td></tr>
 * <tr><td>io.debezium.data.Bits</td><td>BinaryType</td></tr>
 * <tr><td>io.debezium.data.geometry.*</td><td>StructType of the struct ({@code wkb}, {@code srid}, ...)</td></tr>
 * <tr><td>any other logical name</td><td>its base type, with one WARN per name</td></tr>
 * </table>
 *
 * <p>A field's {@code "default"} becomes {@link io.tributary.core.type.Field#defaultValue()}, {@code optional}
 * its nullability. The TOAST placeholder ({@code __debezium_unavailable_value}, configurable) in a text, JSON,
 * enum or UUID column — or base64-encoded in a bytes/decimal column, or as the single element of an array —
 * decodes to {@link io.tributary.core.Unavailable#VALUE}.
 */
package io.tributary.kafka.decode;
