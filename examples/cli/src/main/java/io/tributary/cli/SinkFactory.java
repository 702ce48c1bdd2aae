package io.tributary.cli;

import io.tributary.core.TableId;
import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableInspector;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.TributarySinks;
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
  static final ConfigKey<TributarySinks.Format> SINK = TributarySinks.FORMAT;
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

  /** Opens the sink through {@link TributarySinks}, the factory the engine integrations use too. */
  static OpenSink open(Format format, Path warehouse, Settings settings) {
    String prefix = format == Format.ICEBERG ? ICEBERG_CATALOG_PREFIX : PAIMON_CATALOG_PREFIX;
    Map<String, String> all = new TreeMap<>(settings.asMap());
    all.put(TributarySinks.FORMAT.name(), format.toString());
    String location;
    if (settings.withPrefix(prefix).isEmpty()) {
      Path dir = requireWarehouse(warehouse, prefix);
      all.putAll(format == Format.ICEBERG ? TributarySinks.localIceberg(dir) : TributarySinks.localPaimon(dir));
      location = dir.toAbsolutePath().toString();
    } else {
      if (warehouse != null) {
        all.putIfAbsent(prefix + "warehouse", warehouse.toAbsolutePath().toUri().toString());
      }
      location = all.getOrDefault(prefix + "warehouse", prefix + "*");
    }
    TableSink sink = TributarySinks.create(Settings.of(all));
    return new OpenSink(sink, (TableInspector) sink, format, location);
  }

  private static Path requireWarehouse(Path warehouse, String prefix) {
    if (warehouse == null) {
      throw new IllegalArgumentException("give --warehouse DIR, or catalog properties as " + prefix + "*");
    }
    return warehouse;
  }
}
