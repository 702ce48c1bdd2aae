package io.tributary.cli;

import io.tributary.core.config.Settings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Option;

/** The options every command that opens tables shares: format, warehouse, and configuration. */
final class SinkOptions {
  @Option(names = "--sink", description = "Table format: iceberg or paimon (default: tributary.sink.format, else iceberg).")
  String sink;

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Local warehouse directory. Without catalog options: Iceberg JDBC catalog over SQLite in DIR,"
          + " Paimon filesystem catalog in DIR.")
  Path warehouse;

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file with tributary.*, catalog and Kafka settings.")
  Path config;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A setting, as in the config file; repeatable. Overrides the file.")
  Map<String, String> conf = new LinkedHashMap<>();

  /** The config file's entries, then the --conf ones. */
  Settings settings() {
    Map<String, String> all = new LinkedHashMap<>();
    if (config != null) {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(config)) {
        p.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read config file " + config + ": " + e.getMessage(), e);
      }
      for (String name : p.stringPropertyNames()) {
        all.put(name, p.getProperty(name));
      }
    }
    all.putAll(conf);
    return Settings.of(all);
  }

  SinkFactory.Format format(Settings settings) {
    return sink != null ? SinkFactory.Format.parse(sink) : SinkFactory.Format.parse(settings.get(SinkFactory.SINK).name());
  }

  SinkFactory.OpenSink open() {
    Settings settings = settings();
    return SinkFactory.open(format(settings), warehouse, settings);
  }
}
