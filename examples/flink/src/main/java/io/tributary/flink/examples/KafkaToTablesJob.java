package io.tributary.flink.examples;

import io.tributary.engines.CdcRecord;
import io.tributary.flink.TributaryFlink;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Example Flink job: Debezium topics from Kafka into Iceberg or Paimon tables, exactly once per checkpoint.
 * Takes one argument, a properties file with {@code kafka.bootstrap.servers}, {@code kafka.topics} (a regex),
 * {@code kafka.group.id}, {@code checkpoint.interval.ms} and the {@code tributary.*} settings.
 */
public final class KafkaToTablesJob {
  private KafkaToTablesJob() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: KafkaToTablesJob <job.properties>");
    }
    Map<String, String> conf = load(Path.of(args[0]));
    Map<String, String> tributary = new HashMap<>();
    conf.forEach((k, v) -> {
      // kafka.* also reach the writers: they read schema-change topics and send dead letters with them
      if (k.startsWith("tributary.") || k.startsWith("kafka.")) {
        tributary.put(k, v);
      }
    });

    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(Long.parseLong(conf.getOrDefault("checkpoint.interval.ms", "60000")));
    KafkaSource<CdcRecord> source = KafkaSource.<CdcRecord>builder()
        .setBootstrapServers(conf.get("kafka.bootstrap.servers"))
        .setTopicPattern(Pattern.compile(conf.get("kafka.topics")))
        .setGroupId(conf.getOrDefault("kafka.group.id", "tributary"))
        .setStartingOffsets(OffsetsInitializer.earliest())
        .setDeserializer(TributaryFlink.deserializer())
        .build();
    TributaryFlink.sinkTo(env.fromSource(source, WatermarkStrategy.noWatermarks(), "debezium-topics"), tributary);
    env.execute("tributary: Debezium topics to tables");
  }

  private static Map<String, String> load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      p.load(in);
    }
    Map<String, String> out = new HashMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }
}
