package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.engines.TributarySinks;
import io.tributary.engines.testing.CorpusRecords;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the recorded corpus (json-schemas) through a Structured Streaming query in {@code local[2]} that
 * calls {@link TributarySpark#applyBatch} from {@code foreachBatch}, into Iceberg and into Paimon, in three runs over one
 * checkpoint: two batches; a restart after the last batch's commit marker was removed (as when the driver dies
 * after the table commits but before Spark records the batch), which runs that batch again and must change
 * nothing; and two more batches. The tables then equal the corpus's final state.
 *
 * <p>Source: Spark's JSON file stream source ({@code maxFilesPerTrigger=1}), one file per batch, whose rows are
 * mapped to the Kafka source's columns; not a Kafka broker.
 */
class TributarySparkTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Long> BATCHES = Collections.synchronizedList(new ArrayList<>());
  private static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("tributary-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void icebergBatchesReproduceTheFinalStateAndARerunBatchChangesNothing() throws Exception {
    replay(new HashMap<>(TributarySinks.localIceberg(dir.resolve("wh"))));
  }

  @Test
  void paimonBatchesReproduceTheFinalStateAndARerunBatchChangesNothing() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localPaimon(dir.resolve("paimon")));
    settings.put("tributary.paimon.bucket", "2");
    replay(settings);
  }

  private void replay(Map<String, String> settings) throws Exception {
    BATCHES.clear();
    List<ConsumerRecord<byte[], byte[]>> records = CorpusRecords.jsonSchemas();
    settings.put("tributary.sink.id", "spark-test");
    settings.put(TributarySpark.WRITERS, "2");
    CorpusRecords.prepareCatalog(settings);
    Path in = Files.createDirectories(dir.resolve("in"));
    Path checkpoint = dir.resolve("checkpoint");
    int chunk = (records.size() + 3) / 4;
    for (int i = 0; i < 2; i++) {
      writeChunk(in, i, records.subList(i * chunk, Math.min(records.size(), (i + 1) * chunk)));
    }

    run(in, checkpoint, settings);
    assertThat(BATCHES).containsExactly(0L, 1L);
    long snapshots = CorpusRecords.commitCount(settings);

    Files.delete(checkpoint.resolve("commits/1"));
    Files.deleteIfExists(checkpoint.resolve("commits/.1.crc"));
    BATCHES.clear();
    run(in, checkpoint, settings);
    assertThat(BATCHES).as("Spark ran batch 1 again").containsExactly(1L);
    assertThat(CorpusRecords.commitCount(settings)).as("the re-run batch committed nothing").isEqualTo(snapshots);

    for (int i = 2; i < 4; i++) {
      writeChunk(in, i, records.subList(i * chunk, Math.min(records.size(), (i + 1) * chunk)));
    }
    BATCHES.clear();
    run(in, checkpoint, settings);
    assertThat(BATCHES).containsExactly(2L, 3L);
    assertThat(CorpusRecords.differences(settings)).isEmpty();
  }

  private static void run(Path in, Path checkpoint, Map<String, String> settings) throws Exception {
    StructType header = new StructType().add("key", DataTypes.StringType).add("value", DataTypes.StringType);
    StructType schema = new StructType()
        .add("topic", DataTypes.StringType).add("partition", DataTypes.IntegerType)
        .add("offset", DataTypes.LongType).add("ts", DataTypes.LongType)
        .add("key", DataTypes.StringType).add("value", DataTypes.StringType)
        .add("headers", DataTypes.createArrayType(header));
    VoidFunction2<Dataset<Row>, Long> batch = (rows, id) -> {
      Dataset<Row> kafkaShaped = rows.selectExpr("topic", "partition", "offset",
          "timestamp_millis(ts) AS timestamp", "CAST(key AS BINARY) AS key", "CAST(value AS BINARY) AS value",
          "transform(headers, h -> named_struct('key', h.key, 'value', CAST(h.value AS BINARY))) AS headers");
      TributarySpark.applyBatch(kafkaShaped, id, settings);
      BATCHES.add(id);
    };
    spark.readStream().schema(schema).option("maxFilesPerTrigger", 1).json(in.toString())
        .writeStream()
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch(batch)
        .start()
        .awaitTermination();
  }

  /** One JSON-lines file per batch, with increasing modification times so the source reads them in order. */
  private static void writeChunk(Path in, int index, List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      ObjectNode n = JSON.createObjectNode();
      n.put("topic", r.topic());
      n.put("partition", r.partition());
      n.put("offset", r.offset());
      n.put("ts", r.timestamp());
      n.put("key", r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
      n.put("value", r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
      ArrayNode headers = n.putArray("headers");
      for (Header h : r.headers()) {
        headers.addObject().put("key", h.key()).put("value", new String(h.value(), StandardCharsets.UTF_8));
      }
      lines.append(JSON.writeValueAsString(n)).append('\n');
    }
    Path file = in.resolve("part-" + index + ".json");
    Path tmp = in.getParent().resolve("part-" + index + ".tmp");
    Files.writeString(tmp, lines.toString());
    Files.setLastModifiedTime(tmp, FileTime.fromMillis(1_700_000_000_000L + index * 60_000L));
    Files.move(tmp, file);
  }
}
