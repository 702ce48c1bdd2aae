package io.tributary.cli;

import io.tributary.core.TableId;
import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.paimon.PaimonTableSink;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Opens the Iceberg or Paimon sink from settings: {@code tributary.sink} picks the format, catalog properties
 * come under {@code tributary.iceberg.catalog.*} / {@code tributary.paimon.catalog.*} with the formats' own
 * keys, and without them a local warehouse directory is the catalog.
 */
final class SinkFactory {
  static final ConfigKey<String> SINK = ConfigKey.stringKey("tributary.sink.format", "iceberg",
      "The table format to write: iceberg or paimon.");
  static final String ICEBERG_CATALOG_PREFIX = "tributary.iceberg.catalog.";
  static final String PAIMON_CATALOG_PREFIX = "tributary.paimon.catalog.";

  /** The supported table formats. */
  enum Format {
    ICEBERG,
    PAIMON;

    static Format parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown sink '" + text + "': use iceberg or paimon", e);
      }
    }

    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** An open sink with its read side; closing it closes the catalog. */
  record OpenSink(TableSink sink, TableInspector inspector, Format format, String location) implements AutoCloseable {
    /** The table's descriptor; a table that does not exist is an error that names where it was looked for. */
    TableDescriptor require(TableId table) {
      return sink.describe(table).orElseThrow(
          () -> new IllegalArgumentException("table " + table + " does not exist in " + location));
    }

    @Override
    public void close() {
      sink.close();
    }
  }

  private SinkFactory() {}

  static OpenSink open(Format format, Path warehouse, Settings settings) {
    String prefix = format == Format.ICEBERG ? ICEBERG_CATALOG_PREFIX : PAIMON_CATALOG_PREFIX;
    Map<String, String> catalog = new TreeMap<>(settings.withPrefix(prefix));
    boolean local = catalog.isEmpty();
    String location;
    if (local) {
      location = requireWarehouse(warehouse, prefix).toAbsolutePath().toString();
    } else {
      if (warehouse != null) {
        catalog.putIfAbsent("warehouse", warehouse.toAbsolutePath().toUri().toString());
      }
      location = catalog.getOrDefault("warehouse", catalog.toString());
    }
    TableSink sink = switch (format) {
      case ICEBERG -> {
        IcebergTableSink.Builder b = IcebergTableSink.builder().settings(settings);
        yield (local ? b.localWarehouse(warehouse) : b.catalogProperties(catalog)).build();
      }
      case PAIMON -> {
        PaimonTableSink.Builder b = PaimonTableSink.builder().settings(settings);
        yield (local ? b.localWarehouse(warehouse) : b.catalogOptions(catalog)).build();
      }
    };
    return new OpenSink(sink, (TableInspector) sink, format, location);
  }

  private static Path requireWarehouse(Path warehouse, String prefix) {
    if (warehouse == null) {
      throw new IllegalArgumentException("give --warehouse DIR, or catalog properties as " + prefix + "*");
    }
    return warehouse;
  }
}
