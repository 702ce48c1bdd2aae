package io.tributary.benchmarks.write;

import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.paimon.PaimonTableSink;
import java.nio.file.Path;
import java.util.List;

/** The table formats the write benchmarks run against, with Tributary's sink of each on a local warehouse. */
public enum Format {
  ICEBERG,
  PAIMON;

  /** The name used in options and result names. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Tributary's sink of this format over a local warehouse in {@code dir}, with default table settings. */
  public TableSink sink(Path dir, Settings settings) {
    return switch (this) {
      case ICEBERG -> IcebergTableSink.builder().localWarehouse(dir).settings(settings).build();
      case PAIMON -> PaimonTableSink.builder().localWarehouse(dir).settings(settings).build();
    };
  }

  /** {@code iceberg}, {@code paimon} or {@code all}. */
  public static List<Format> parse(String value) {
    return value.equals("all") ? List.of(values()) : List.of(valueOf(value.toUpperCase(java.util.Locale.ROOT)));
  }
}
