package io.tributary.spark.examples;

import io.tributary.spark.TributarySpark;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Example Spark Structured Streaming job: Debezium topics from Kafka into Iceberg or Paimon tables, one table
 * commit per table and micro-batch. Takes one argument, a properties file with {@code kafka.bootstrap.servers},
 * {@code kafka.topics} (a regex), {@code checkpoint.location}, {@code trigger.interval} and the
 * {@code tributary.*} settings. Needs Spark's Kafka source on the classpath
 * ({@code --packages org.apache.spark:spark-sql-kafka-0-10_2.13:<spark version>}).
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
      if (k.startsWith("tributary.")) {
        tributary.put(k, v);
      }
    });

    SparkSession spark = SparkSession.builder().appName("tributary").getOrCreate();
    VoidFunction2<Dataset<Row>, Long> applyBatch = (rows, batchId) -> TributarySpark.applyBatch(rows, batchId, tributary);
    spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", conf.get("kafka.bootstrap.servers"))
        .option("subscribePattern", conf.get("kafka.topics"))
        .option("startingOffsets", "earliest")
        .option("includeHeaders", "true")
        .load()
        .writeStream()
        .option("checkpointLocation", conf.get("checkpoint.location"))
        .trigger(Trigger.ProcessingTime(conf.getOrDefault("trigger.interval", "1 minute")))
        .foreachBatch(applyBatch)
        .start()
        .awaitTermination();
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
