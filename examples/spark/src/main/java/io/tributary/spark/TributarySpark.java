package io.tributary.spark;

import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.PendingCommit;
import io.tributary.engines.StagedCommitter;
import io.tributary.engines.StagedWriter;
import io.tributary.engines.TableKeys;
import io.tributary.engines.TributarySinks;
import io.tributary.spark.internal.KafkaRow;
import io.tributary.spark.internal.SourceOrder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
   * @param settings {@code tributary.*} settings: sink format and catalog, decoder, routing, schema policy
   * @return what the batch committed
   */
  public static BatchResult applyBatch(Dataset<Row> kafkaRows, long batchId, Map<String, String> settings) {
    HashMap<String, String> conf = new HashMap<>(settings);
    SparkSession spark = kafkaRows.sparkSession();
    int writers = conf.containsKey(WRITERS) ? Integer.parseInt(conf.get(WRITERS))
        : spark.sparkContext().defaultParallelism();
    // all records of one table (its DDL events included) go to one writer task
    JavaPairRDD<String, KafkaRow> keyed = kafkaRows.javaRDD().mapPartitionsToPair(rows -> {
      TableKeys keys = TableKeys.from(Settings.of(conf));
      List<Tuple2<String, KafkaRow>> out = new ArrayList<>();
      while (rows.hasNext()) {
        KafkaRow r = KafkaRow.of(rows.next());
        out.add(new Tuple2<>(keys.keyOf(r.toConsumerRecord()), r));
      }
      return out.iterator();
    });
    List<TaskCommits> prepared = keyed.partitionBy(new HashPartitioner(writers))
        .mapPartitions(rows -> write(rows, conf))
        .collect();
    List<PendingCommit> commits = new ArrayList<>();
    prepared.stream().sorted(Comparator.comparingInt(TaskCommits::partition))
        .forEach(t -> commits.addAll(t.commits()));
    Settings s = Settings.of(conf);
    try (TableSink sink = TributarySinks.create(s)) {
      StagedCommitter.commit(sink, s.get(PipelineConfig.SINK_ID), "spark-b" + batchId, commits);
    }
    LOG.info("batch {}: {} table commits from {} writer tasks", batchId, commits.size(), prepared.size());
    return new BatchResult(batchId, commits.size());
  }

  /** One writer task: puts each table's records in source order and writes them without committing. */
  private static Iterator<TaskCommits> write(Iterator<Tuple2<String, KafkaRow>> rows, Map<String, String> conf) {
    if (!rows.hasNext()) {
      return List.<TaskCommits>of().iterator();
    }
    Map<String, List<KafkaRow>> byTable = new HashMap<>();
    rows.forEachRemaining(t -> byTable.computeIfAbsent(t._1(), k -> new ArrayList<>()).add(t._2()));
    try (StagedWriter writer = StagedWriter.open(Settings.of(conf))) {
      for (List<KafkaRow> table : byTable.values()) {
        for (KafkaRow r : SourceOrder.order(table)) {
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
