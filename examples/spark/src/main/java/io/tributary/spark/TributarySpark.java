package io.tributary.spark;

import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.CdcRecord;
import io.tributary.engines.PendingCommit;
import io.tributary.engines.StagedCommitter;
import io.tributary.engines.StagedWriter;
import io.tributary.engines.TableKeys;
import io.tributary.engines.TributarySinks;
import io.tributary.kafka.RunnerConfig;
import io.tributary.spark.internal.KafkaSourceRows;
import io.tributary.spark.internal.SchemaChangeLog;
import io.tributary.spark.internal.SourceOrder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Tributary inside a Spark Structured Streaming job: call {@link #applyBatch} from {@code foreachBatch} with the
 * micro-batch's Kafka rows. Executors decode, evolve schemas and write files, one task per group of tables;
 * the driver commits what they wrote with the batch id as idempotency token, so a batch that Spark runs again
 * after a restart changes nothing.
 */
public final class TributarySpark {
  private static final Logger LOG = LoggerFactory.getLogger(TributarySpark.class);

  /** Writer tasks per batch; default: the session's default parallelism. */
  public static final String WRITERS = "tributary.spark.writers";

  private TributarySpark() {}

  /**
   * Writes and commits one micro-batch.
   *
   * @param kafkaRows rows with the Kafka source's columns {@code key, value, topic, partition, offset,
   *     timestamp} and optionally {@code headers} ({@code includeHeaders=true})
   * @param batchId the micro-batch id Spark passes to {@code foreachBatch}
   * @param settings {@code tributary.*} settings (sink format and catalog, decoder, routing, schema policy) and
   *     the Kafka source's {@code kafka.*} consumer settings, at least {@code kafka.bootstrap.servers}: the
   *     driver reads the schema-change topic itself ({@link SchemaChangeLog} says why)
   * @return what the batch committed
   */
  public static BatchResult applyBatch(Dataset<Row> kafkaRows, long batchId, Map<String, String> settings) {
    HashMap<String, String> conf = new HashMap<>(settings);
    Settings s = Settings.of(conf);
    SparkSession spark = kafkaRows.sparkSession();
    int writers = conf.containsKey(WRITERS) ? Integer.parseInt(conf.get(WRITERS))
        : spark.sparkContext().defaultParallelism();
    Map<String, String> consumer = s.withPrefix(RunnerConfig.CONSUMER_PREFIX);
    if (!consumer.containsKey("bootstrap.servers")) {
      throw new IllegalArgumentException("Set kafka.bootstrap.servers (and any other kafka.* consumer"
          + " settings the Kafka source has) in the settings: the driver reads the schema-change topic");
    }
    // read twice: for its topics, then to write; persisting keeps Spark from fetching it from Kafka again
    Dataset<Row> batch = kafkaRows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> batchTopics = batch.select("topic").distinct().as(Encoders.STRING()).collectAsList();
      HashSet<String> ddlTopics = new HashSet<>(SchemaChangeLog.topicsOf(batchTopics, consumer));
      List<Tuple2<String, CdcRecord>> ddl = keyed(SchemaChangeLog.read(ddlTopics, consumer), TableKeys.from(s));
      // all records of one table (its DDL events included) go to one writer task
      JavaPairRDD<String, CdcRecord> keyed = batch.javaRDD().mapPartitionsToPair(rows -> {
        TableKeys keys = TableKeys.from(Settings.of(conf));
        List<Tuple2<String, CdcRecord>> out = new ArrayList<>();
        while (rows.hasNext()) {
          CdcRecord r = KafkaSourceRows.toRecord(rows.next());
          if (!ddlTopics.contains(r.topic())) {
            out.add(new Tuple2<>(keys.keyOf(r.toConsumerRecord()), r));
          }
        }
        return out.iterator();
      });
      if (!ddl.isEmpty()) {
        keyed = keyed.union(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelizePairs(ddl));
      }
      List<TaskCommits> prepared = keyed.partitionBy(new HashPartitioner(writers))
          .mapPartitions(rows -> write(rows, conf, ddlTopics))
          .collect();
      List<PendingCommit> commits = new ArrayList<>();
      prepared.stream().sorted(Comparator.comparingInt(TaskCommits::partition))
          .forEach(t -> commits.addAll(t.commits()));
      try (TableSink sink = TributarySinks.create(s)) {
        StagedCommitter.commit(sink, s.get(PipelineConfig.SINK_ID), "spark-b" + batchId, commits);
      }
      LOG.info("batch {}: {} table commits from {} writer tasks ({} schema-change records from {})", batchId,
          commits.size(), prepared.size(), ddl.size(), ddlTopics);
      return new BatchResult(batchId, commits.size());
    } finally {
      batch.unpersist();
    }
  }

  private static List<Tuple2<String, CdcRecord>> keyed(List<CdcRecord> rows, TableKeys keys) {
    List<Tuple2<String, CdcRecord>> out = new ArrayList<>(rows.size());
    for (CdcRecord r : rows) {
      out.add(new Tuple2<>(keys.keyOf(r.toConsumerRecord()), r));
    }
    return out;
  }

  /** One writer task: puts each table's records in source order and writes them without committing. */
  private static Iterator<TaskCommits> write(Iterator<Tuple2<String, CdcRecord>> rows, Map<String, String> conf,
      Set<String> ddlTopics) {
    if (!rows.hasNext()) {
      return List.<TaskCommits>of().iterator();
    }
    Map<String, List<CdcRecord>> byTable = new HashMap<>();
    rows.forEachRemaining(t -> byTable.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2()));
    try (StagedWriter writer = StagedWriter.open(Settings.of(conf))) {
      for (List<CdcRecord> table : byTable.values()) {
        for (CdcRecord r : SourceOrder.order(table, ddlTopics)) {
          writer.write(r.toConsumerRecord());
        }
      }
      return List.of(new TaskCommits(TaskContext.getPartitionId(), writer.prepareCommit())).iterator();
    }
  }

  /** What one writer task prepared. */
  record TaskCommits(int partition, List<PendingCommit> commits) implements Serializable {}

  /** What {@link #applyBatch} committed: the batch id and the number of table commits made or skipped. */
  public record BatchResult(long batchId, int tableCommits) implements Serializable {}
}
