package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.engines.TributarySinks;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed records interleaved with the corpus (topics {@code dlq}, {@code dlq.inventory.*}) do not stop a
 * micro-batch with {@code tributary.errors.tolerance=all}: each lands on the dead-letter topic, once, with its
 * origin in the headers, and every good record lands in its table (the tables equal the final state).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TributarySparkDeadLetterTest {
  private static final String PREFIX = "dlq";
  private static final String DEAD_LETTERS = "dlq-dead-letters";
  private static final List<byte[]> MALFORMED = List.of(
      "not json".getBytes(StandardCharsets.UTF_8),
      "{\"schema\":{\"type\":\"struct\"},\"payload\":".getBytes(StandardCharsets.UTF_8),
      "{\"payload\":{\"op\":\"c\",\"after\":\"a string, not a row\"}}".getBytes(StandardCharsets.UTF_8));

  private static SparkSession spark;
  private static String bootstrapServers;
  private static String topics;
  /** topic@offset of every malformed record produced. */
  private static final Set<String> MALFORMED_AT = new HashSet<>();

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    bootstrapServers = IsolatedKafka.bootstrapServers();
    List<ConsumerRecord<byte[], byte[]>> corpus = CorpusRecords.jsonSchemas();
    Set<String> names = new LinkedHashSet<>();
    corpus.forEach(r -> names.add(PREFIX + r.topic().substring("mariadb".length())));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<NewTopic> created = new ArrayList<>();
      names.forEach(t -> created.add(new NewTopic(t, 1, (short) 1)));
      created.add(new NewTopic(DEAD_LETTERS, 1, (short) 1));
      admin.createTopics(created).all().get();
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    Map<String, Integer> offsets = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      int n = 0;
      for (ConsumerRecord<byte[], byte[]> r : corpus) {
        String topic = PREFIX + r.topic().substring("mariadb".length());
        if (topic.contains(".") && n++ % 97 == 13) {
          byte[] bad = MALFORMED.get(MALFORMED_AT.size() % MALFORMED.size());
          int at = offsets.getOrDefault(topic, 0);
          MALFORMED_AT.add(topic + "@" + at);
          offsets.put(topic, at + 1);
          sent.add(producer.send(new ProducerRecord<>(topic, 0, null, r.key(), bad)));
        }
        offsets.merge(topic, 1, Integer::sum);
        sent.add(producer.send(new ProducerRecord<>(topic, 0, null, r.key(), r.value(), r.headers())));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    }
    topics = String.join(",", names);
    spark = LocalSpark.start("tributary-spark-dead-letter-test");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void malformedRecordsGoToTheDeadLetterTopicAndTheRestLands() throws Exception {
    Map<String, String> settings = new HashMap<>(TributarySinks.localIceberg(dir.resolve("wh")));
    settings.put("tributary.sink.id", "spark-dlq-test");
    settings.put(TributarySpark.WRITERS, "2");
    settings.put("kafka.bootstrap.servers", bootstrapServers);
    settings.put("tributary.errors.tolerance", "all");
    settings.put("tributary.dead-letter.topic", DEAD_LETTERS);
    CorpusRecords.prepareCatalog(settings);
    assertThat(MALFORMED_AT).hasSizeGreaterThan(5);

    VoidFunction2<Dataset<Row>, Long> batch = (rows, id) -> TributarySpark.applyBatch(rows, id, settings);
    spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("subscribe", topics)
        .option("startingOffsets", "earliest")
        .option("includeHeaders", "true")
        .option("maxOffsetsPerTrigger", 500)
        .load()
        .writeStream()
        .option("checkpointLocation", dir.resolve("checkpoint").toString())
        .trigger(Trigger.AvailableNow())
        .foreachBatch(batch)
        .start()
        .awaitTermination();

    assertThat(CorpusRecords.differences(settings)).isEmpty();
    assertThat(deadLetterOrigins()).containsExactlyInAnyOrderElementsOf(MALFORMED_AT);
  }

  /** The origin (topic@offset) of every record on the dead-letter topic. */
  private static List<String> deadLetterOrigins() {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(DEAD_LETTERS, 0);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      while (consumer.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          out.add(header(r, KafkaDeadLetterHandler.HEADER_TOPIC) + "@" + header(r, KafkaDeadLetterHandler.HEADER_OFFSET));
        }
      }
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
