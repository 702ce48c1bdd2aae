package io.tributary.spark.examples;

import io.tributary.spark.TributarySpark;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Example Spark Structured Streaming job: Debezium topics from Kafka into Iceberg or Paimon tables, one table
 * commit per table and micro-batch. Takes one argument, a properties file with
 * <ul>
 *   <li>{@code kafka.*}: Kafka consumer settings, at least {@code kafka.bootstrap.servers}; given to Spark's
 *       Kafka source and to Tributary, whose driver reads the schema-change topic;
 *   <li>{@code topics}: a regex of the topics to read, the data topics and the schema-change topic;
 *   <li>{@code checkpoint.location}; optionally {@code trigger.interval} (default 1 minute) and
 *       {@code max-offsets-per-trigger};
 *   <li>the {@code tributary.*} settings: sink format and catalog, sink id.
 * </ul>
 * Needs Spark's Kafka source on the classpath
 * ({@code --packages org.apache.spark:spark-sql-kafka-0-10_2.13:<spark version>}).
 */
public final class KafkaToTablesJob {
  private KafkaToTablesJob() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: KafkaToTablesJob <job.properties>");
    }
    SparkSession spark = SparkSession.builder().appName("tributary").getOrCreate();
    start(spark, load(Path.of(args[0]))).awaitTermination();
  }

  /** Starts the query the properties describe. */
  public static StreamingQuery start(SparkSession spark, Map<String, String> conf) throws TimeoutException {
    Map<String, String> kafka = new HashMap<>();
    Map<String, String> tributary = new HashMap<>();
    conf.forEach((k, v) -> {
      if (k.startsWith("kafka.")) {
        kafka.put(k, v);
        tributary.put(k, v);
      } else if (k.startsWith("tributary.")) {
        tributary.put(k, v);
      }
    });
    DataStreamReader source = spark.readStream().format("kafka")
        .options(kafka)
        .option("subscribePattern", conf.get("topics"))
        .option("startingOffsets", "earliest")
        .option("includeHeaders", "true");
    if (conf.containsKey("max-offsets-per-trigger")) {
      source = source.option("maxOffsetsPerTrigger", conf.get("max-offsets-per-trigger"));
    }
    VoidFunction2<Dataset<Row>, Long> applyBatch = (rows, batchId) -> TributarySpark.applyBatch(rows, batchId, tributary);
    return source.load()
        .writeStream()
        .option("checkpointLocation", conf.get("checkpoint.location"))
        .trigger(Trigger.ProcessingTime(conf.getOrDefault("trigger.interval", "1 minute")))
        .foreachBatch(applyBatch)
        .start();
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
