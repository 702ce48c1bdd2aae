package io.tributary.engines;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.paimon.PaimonTableSink;
import java.util.Map;

/**
 * Creates the Iceberg or Paimon {@link TableSink} that flat string settings describe, so that every engine
 * task can open the same sink from the job's serializable configuration.
 *
 * <p>{@code tributary.sink.format} chooses the format; Iceberg's catalog comes from
 * {@code tributary.iceberg.catalog.*} (Iceberg catalog properties), Paimon's from
 * {@code tributary.paimon.catalog.*} (Paimon catalog options).
 */
public final class TributarySinks {
  /** Which table format to write. */
  public enum Format {
    /** Apache Iceberg, through {@link IcebergTableSink}. */
    ICEBERG,
    /** Apache Paimon, through {@link PaimonTableSink}. */
    PAIMON
  }

  public static final ConfigKey<Format> FORMAT = ConfigKey.enumKey(
      "tributary.sink.format", Format.class, Format.ICEBERG, "The table format: iceberg or paimon.");
  public static final String PAIMON_CATALOG_PREFIX = "tributary.paimon.catalog.";

  private TributarySinks() {}

  /** Opens the sink the settings describe; the caller closes it. */
  public static TableSink create(Settings settings) {
    return switch (settings.get(FORMAT)) {
      case ICEBERG -> IcebergTableSink.builder().settings(settings).build();
      case PAIMON -> {
        Map<String, String> options = settings.withPrefix(PAIMON_CATALOG_PREFIX);
        if (options.isEmpty()) {
          throw new IllegalArgumentException("tributary.sink.format=paimon needs catalog options under "
              + PAIMON_CATALOG_PREFIX + "* (e.g. " + PAIMON_CATALOG_PREFIX + "warehouse)");
        }
        yield PaimonTableSink.builder().settings(settings).catalogOptions(options).build();
      }
    };
  }

  /** Settings for an embedded Iceberg warehouse in {@code dir} (SQLite catalog, local files), for tests and demos. */
  public static Map<String, String> localIceberg(java.nio.file.Path dir) {
    Map<String, String> out = new java.util.HashMap<>();
    out.put(FORMAT.name(), "iceberg");
    try {
      java.nio.file.Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + dir, e);
    }
    IcebergTableSink.localWarehouseProperties(dir).forEach((k, v) -> out.put(IcebergTableSink.CATALOG_PREFIX + k, v));
    return out;
  }

  /** Settings for an embedded Paimon filesystem warehouse in {@code dir}, for tests and demos. */
  public static Map<String, String> localPaimon(java.nio.file.Path dir) {
    return Map.of(FORMAT.name(), "paimon",
        PAIMON_CATALOG_PREFIX + "metastore", "filesystem",
        PAIMON_CATALOG_PREFIX + "warehouse", dir.toAbsolutePath().toUri().toString());
  }
}
