package io.tributary.benchmarks.kafka;

import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.paimon.PaimonTableSink;
import java.nio.file.Path;

/** The table formats Tributary writes, each on a local warehouse as its quickstart sets it up. */
enum TableFormat {
  /** An Iceberg warehouse with a SQLite JDBC catalog and local files. */
  ICEBERG {
    @Override
    TableSink open(Path warehouse, Settings settings) {
      return IcebergTableSink.builder().localWarehouse(warehouse).settings(settings).build();
    }
  },
  /** A Paimon filesystem warehouse. */
  PAIMON {
    @Override
    TableSink open(Path warehouse, Settings settings) {
      return PaimonTableSink.builder().localWarehouse(warehouse).settings(settings).build();
    }
  };

  /** A sink writing to the warehouse in {@code warehouse}; the caller closes it. */
  abstract TableSink open(Path warehouse, Settings settings);

  String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
