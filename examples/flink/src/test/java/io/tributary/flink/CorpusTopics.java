package io.tributary.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.engines.CdcRecord;
import io.tributary.engines.testing.CorpusRecords;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The recorded corpus (json-schemas: keys, headers, the schema-change topic) on topics of its own on the shared
 * broker, prefixed per run, with a few malformed records interleaved, and the sink settings of that run (sink
 * id, dead-letter topic, bootstrap servers). The corpus can be produced in parts, as a live source would.
 */
final class CorpusTopics {
  /** Corpus line numbers after which a malformed record goes to the same topic as that line. */
  private static final List<Integer> MALFORMED_AFTER = List.of(40, 500, 1000, 1119); // 1119: a DDL

  final String prefix = EmbeddedKafka.uniqueName("flink") + "-";
  final String deadLetterTopic = prefix + "dlq";
  final List<String> topics = new ArrayList<>();
  /** "topic@offset" of every malformed record produced. */
  final Set<String> malformed = new LinkedHashSet<>();
  final Map<String, String> settings;

  private final EmbeddedKafka kafka;
  private final List<ConsumerRecord<byte[], byte[]>> corpus = CorpusRecords.jsonSchemas();
  private final Map<String, Long> nextOffsets = new HashMap<>();
  private int produced;

  /** Creates the corpus topics and the dead-letter topic, and adds this run's entries to {@code sinkSettings}. */
  CorpusTopics(EmbeddedKafka kafka, Map<String, String> sinkSettings) {
    this.kafka = kafka;
    this.settings = sinkSettings;
    settings.put("tributary.sink.id", "flink-test");
    settings.put("tributary.errors.tolerance", "all");
    settings.put("tributary.dead-letter.topic", deadLetterTopic);
    settings.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    Set<String> names = new LinkedHashSet<>();
    corpus.forEach(r -> names.add(prefix + r.topic()));
    for (String t : names) {
      kafka.createTopic(t, 1);
      topics.add(t);
    }
    kafka.createTopic(deadLetterTopic, 1);
  }

  /** The number of corpus records. */
  int size() {
    return corpus.size();
  }

  /** Produces the whole corpus (what is left of it). */
  void produceAll() {
    produceUpTo(corpus.size());
  }

  /**
   * Produces the corpus records before index {@code end} that were not produced yet, in emit order, each to its
   * (prefixed) topic, with malformed records interleaved.
   */
  void produceUpTo(int end) {
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = produced; i < end; i++) {
      ConsumerRecord<byte[], byte[]> r = corpus.get(i);
      String topic = prefix + r.topic();
      ProducerRecord<byte[], byte[]> p = new ProducerRecord<>(topic, 0, null, r.key(), r.value());
      r.headers().forEach(h -> p.headers().add(h.key(), h.value()));
      out.add(p);
      nextOffsets.merge(topic, 1L, Long::sum);
      if (MALFORMED_AFTER.contains(i + 1)) {
        ProducerRecord<byte[], byte[]> bad = new ProducerRecord<>(topic, 0, null, r.key(),
            ("{\"schema\":{\"type\":\"struct\"},\"payload\":{\"op\":").getBytes(StandardCharsets.UTF_8));
        bad.headers().add("test.malformed", Integer.toString(i + 1).getBytes(StandardCharsets.UTF_8));
        out.add(bad);
        malformed.add(topic + "@" + nextOffsets.get(topic));
        nextOffsets.merge(topic, 1L, Long::sum);
      }
    }
    produced = Math.max(produced, end);
    kafka.produce(out);
  }

  /** The number of records produced so far to the corpus topic {@code name} (unprefixed). */
  long produced(String name) {
    return nextOffsets.getOrDefault(prefix + name, 0L);
  }

  /** A Kafka source over this run's topics from {@code start}; unbounded when {@code stop} is null. */
  KafkaSource<CdcRecord> source(OffsetsInitializer start, OffsetsInitializer stop) {
    KafkaSourceBuilder<CdcRecord> builder = KafkaSource.<CdcRecord>builder()
        .setBootstrapServers(kafka.bootstrapServers())
        .setTopics(topics)
        .setGroupId(prefix + "group")
        .setStartingOffsets(start)
        .setDeserializer(TributaryFlink.deserializer());
    if (stop != null) {
      builder.setBounded(stop);
    }
    return builder.build();
  }

  /** Every malformed record is in the dead-letter topic with its origin and reason (at least once). */
  void assertDeadLetters() {
    List<ConsumerRecord<byte[], byte[]>> letters =
        kafka.consume(deadLetterTopic, malformed.size(), Duration.ofSeconds(20));
    Set<String> origins = new LinkedHashSet<>();
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      origins.add(header(letter, KafkaDeadLetterHandler.HEADER_TOPIC) + "@"
          + header(letter, KafkaDeadLetterHandler.HEADER_OFFSET));
      assertThat(header(letter, KafkaDeadLetterHandler.HEADER_ERROR_MESSAGE)).isNotBlank();
      assertThat(header(letter, "test.malformed")).as("the record's own headers are kept").isNotNull();
      assertThat(new String(letter.value(), StandardCharsets.UTF_8)).startsWith("{\"schema\"");
    }
    assertThat(origins).containsExactlyInAnyOrderElementsOf(malformed);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    Header h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
