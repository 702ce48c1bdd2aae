package io.tributary.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.iceberg.internal.PartitionSpecParser;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.Test;

class IcebergConfigTest extends IcebergSinkTestBase {
  static final Schema SCHEMA = new Schema(
      org.apache.iceberg.types.Types.NestedField.required(1, "id", org.apache.iceberg.types.Types.LongType.get()),
      org.apache.iceberg.types.Types.NestedField.optional(2, "s", org.apache.iceberg.types.Types.StringType.get()),
      org.apache.iceberg.types.Types.NestedField.optional(3, "ts",
          org.apache.iceberg.types.Types.TimestampType.withZone()),
      org.apache.iceberg.types.Types.NestedField.optional(4, "d", org.apache.iceberg.types.Types.DateType.get()));

  @Test
  void partitionSpecsParse() {
    PartitionSpec spec = PartitionSpecParser.parse(SCHEMA,
        "bucket(16, id), truncate(10, s), hour(ts), month(d)");
    assertThat(spec.fields()).extracting(f -> f.transform().toString())
        .containsExactly("bucket[16]", "truncate[10]", "hour", "month");
    assertThat(PartitionSpecParser.parse(SCHEMA, "s, year(d)").fields())
        .extracting(f -> f.transform().toString()).containsExactly("identity", "year");
    assertThat(PartitionSpecParser.parse(SCHEMA, " ").isUnpartitioned()).isTrue();
    assertThatThrownBy(() -> PartitionSpecParser.parse(SCHEMA, "bucket(id)"))
        .hasMessageContaining("needs a number");
    assertThatThrownBy(() -> PartitionSpecParser.parse(SCHEMA, "week(ts)"))
        .hasMessageContaining("unknown partition transform 'week'");
  }

  @Test
  void settingsCarryCatalogAndTableProperties() {
    Map<String, String> settings = new HashMap<>();
    IcebergTableSink.localWarehouseProperties(warehouse)
        .forEach((k, v) -> settings.put(IcebergTableSink.CATALOG_PREFIX + k, v));
    settings.put(IcebergSinkConfig.TABLE_PROPERTIES_PREFIX + "write.parquet.compression-codec", "snappy");
    settings.put(IcebergSinkConfig.FORMAT_VERSION.name(), "2");
    settings.put(IcebergSinkConfig.PARTITION_SPEC.name(), "bucket(2, id)");
    try (IcebergTableSink sink = IcebergTableSink.builder().settings(Settings.of(settings)).build()) {
      StructType schema = StructType.of(Field.required("id", Types.LongType.get()));
      sink.create(TableId.of("a", "t"), schema, List.of("id"));
      Table table = sink.loadTable(TableId.of("a", "t"));
      assertThat(table.properties())
          .containsEntry("write.parquet.compression-codec", "snappy");
      assertThat(org.apache.iceberg.TableUtil.formatVersion(table)).isEqualTo(2);
      assertThat(table.spec().fields()).hasSize(1);
      assertThat(table.schema().identifierFieldNames()).containsExactly("id");
    }
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThatThrownBy(() -> IcebergSinkConfig.from(Settings.of(Map.of(IcebergSinkConfig.FORMAT_VERSION.name(), "1"))))
        .hasMessageContaining("format-version");
    assertThatThrownBy(() -> IcebergSinkConfig.from(Settings.of(Map.of(
        IcebergSinkConfig.FORMAT_VERSION.name(), "2", IcebergSinkConfig.TIMESTAMP_NS.name(), "true"))))
        .hasMessageContaining("timestamp-ns");
    assertThatThrownBy(() -> IcebergTableSink.builder().build()).hasMessageContaining("no Iceberg catalog");
    assertThat(IcebergSinkConfig.defaults().timeMapping()).isEqualTo(IcebergSinkConfig.TimeMapping.LONG_MICROS);
  }
}
