package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.engines.TributarySinks;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.spark.examples.KafkaToTablesJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorded corpus (json-schemas: keys, headers, the schema-change topic with its RENAME COLUMN) produced to
 * the in-JVM Kafka broker ({@link IsolatedKafka}) and read by Spark's Kafka source in {@code local[2]},
 * {@code foreachBatch} calling {@link TributarySpark#applyBatch} into Iceberg and into Paimon. {@code maxOffsetsPerTrigger} cuts the
 * backlog into several micro-batches. One batch fails after its table commits, before Spark records it as
 * done; the query is started again on the same checkpoint, runs that batch again (which must commit nothing)
 * and finishes. The three tables then equal the corpus's final state.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TributarySparkKafkaTest {
  /**
   * Spark prorates this over the topics by their backlog: three batches, and the RENAME COLUMN record (offset
   * 14 of 15 of the schema-change topic) comes in batch 2, after the rows that follow it (batch 1).
   */
  private static final int MAX_OFFSETS_PER_TRIGGER = 500;
  private static final long FAILING_BATCH = 1;

  private static final Map<Long, List<Long>> COMMITS_BY_BATCH = new ConcurrentHashMap<>();
  /** The batch that delivered the RENAME COLUMN record, and the one that delivered the first row after it. */
  private static final Map<String, Long> BATCH_OF = new ConcurrentHashMap<>();
  private static String renameRecord;
  private static String firstRowAfterRename;
  private static SparkSession spark;
  private static String topics;
  private static String bootstrapServers;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    List<ConsumerRecord<byte[], byte[]>> corpus = CorpusRecords.jsonSchemas();
    bootstrapServers = IsolatedKafka.bootstrapServers();
    Set<String> names = new LinkedHashSet<>();
    corpus.forEach(r -> names.add(r.topic()));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(names.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList()).all().get();
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    // retries after "no leader yet" must not reorder a topic
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : corpus) {
        // no explicit timestamp: the producer stamps the records, as Kafka Connect's does for Debezium's
        sent.add(producer.send(new ProducerRecord<>(r.topic(), 0, null, r.key(), r.value(), r.headers())));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    topics = String.join(",", names);
    Map<String, Integer> offsets = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : corpus) {
      String position = r.topic() + "@" + (offsets.merge(r.topic(), 1, Integer::sum) - 1);
      if (renameRecord == null && r.value() != null
          && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("RENAME COLUMN")) {
        renameRecord = position;
      } else if (renameRecord != null && firstRowAfterRename == null && r.topic().endsWith(".customers")) {
        firstRowAfterRename = position;
      }
    }
    spark = LocalSpark.start("tributary-spark-kafka-test");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void iceberg() throws Exception {
    replay(new HashMap<>(TributarySinks.localIceberg(dir.resolve("wh"))));
  }

  @Test
  void paimon() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localPaimon(dir.resolve("paimon")));
    settings.put("tributary.paimon.bucket", "2");
    replay(settings);
  }

  /** The README's job, as written, over the same topics: one batch here, as nothing limits its size. */
  @Test
  void exampleJob() throws Exception {
    Map<String, String> conf = new HashMap<>(TributarySinks.localIceberg(dir.resolve("wh")));
    conf.put("tributary.sink.id", "example-job");
    conf.put("kafka.bootstrap.servers", bootstrapServers);
    conf.put("topics", "mariadb(\\..*)?");
    conf.put("checkpoint.location", dir.resolve("checkpoint").toString());
    conf.put("trigger.interval", "1 second");
    CorpusRecords.prepareCatalog(conf);
    StreamingQuery query = KafkaToTablesJob.start(spark, conf);
    try {
      query.processAllAvailable();
    } finally {
      query.stop();
    }
    assertThat(query.exception().isEmpty()).isTrue();
    assertThat(CorpusRecords.differences(conf)).isEmpty();
  }

  private void replay(Map<String, String> settings) throws Exception {
    COMMITS_BY_BATCH.clear();
    BATCH_OF.clear();
    settings.put("tributary.sink.id", "spark-kafka-test");
    settings.put(TributarySpark.WRITERS, "2");
    settings.put("kafka.bootstrap.servers", bootstrapServers);
    CorpusRecords.prepareCatalog(settings);
    Path checkpoint = dir.resolve("checkpoint");

    assertThatThrownBy(() -> run(checkpoint, settings, FAILING_BATCH))
        .isInstanceOf(StreamingQueryException.class).hasStackTraceContaining("injected failure");
    assertThat(COMMITS_BY_BATCH.keySet()).containsExactlyInAnyOrder(0L, FAILING_BATCH);
    assertThat(COMMITS_BY_BATCH.get(FAILING_BATCH)).as("the failing batch committed before it failed")
        .singleElement().satisfies(n -> assertThat(n).isPositive());

    run(checkpoint, settings, -1);
    assertThat(COMMITS_BY_BATCH.get(FAILING_BATCH)).as("table commits of each run of the failing batch")
        .hasSize(2).element(1).isEqualTo(0L);
    assertThat(COMMITS_BY_BATCH.keySet()).as("batches after the restart").containsExactlyInAnyOrder(0L, 1L, 2L);
    assertThat(BATCH_OF.get(renameRecord)).as("the RENAME COLUMN record and the first row after it (%s, %s)"
        + " come in different batches", renameRecord, firstRowAfterRename)
        .isNotNull().isNotEqualTo(BATCH_OF.get(firstRowAfterRename));
    assertThat(CorpusRecords.differences(settings)).isEmpty();
  }

  /** Runs the query until the topics are read to their end (or the injected failure). */
  private static void run(Path checkpoint, Map<String, String> settings, long failAfter)
      throws Exception {
    VoidFunction2<Dataset<Row>, Long> batch = (rows, id) -> {
      for (String r : rows.selectExpr("concat(topic, '@', offset)").as(Encoders.STRING()).collectAsList()) {
        BATCH_OF.put(r, id);
      }
      long before = CorpusRecords.commitCount(settings);
      TributarySpark.applyBatch(rows, id, settings);
      COMMITS_BY_BATCH.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>())
          .add(CorpusRecords.commitCount(settings) - before);
      if (id == failAfter) {
        throw new IllegalStateException("injected failure after the table commits of batch " + id);
      }
    };
    spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("subscribe", topics)
        .option("startingOffsets", "earliest")
        .option("includeHeaders", "true")
        .option("maxOffsetsPerTrigger", MAX_OFFSETS_PER_TRIGGER)
        .load()
        .writeStream()
        .option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch(batch)
        .start()
        .awaitTermination();
  }
}
