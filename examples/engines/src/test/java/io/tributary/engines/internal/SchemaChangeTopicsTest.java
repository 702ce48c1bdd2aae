package io.tributary.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.kafka.testing.EmbeddedKafka;
import io.tributary.kafka.testing.EmbeddedKafkaExtension;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class SchemaChangeTopicsTest {
  private final EmbeddedKafka kafka;

  SchemaChangeTopicsTest(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  private SchemaChangeTopics open() {
    return SchemaChangeTopics.open(Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "ignored"),
        10_000);
  }

  @Test
  void readsTheSchemaChangeTopicOfADataTopicToItsCurrentEnd() {
    String prefix = EmbeddedKafka.uniqueName("server");
    kafka.createTopic(prefix, 1);
    kafka.produce(prefix, null, bytes("ddl-1"));
    kafka.produce(prefix, null, bytes("ddl-2"));
    List<String> read = new ArrayList<>();
    try (SchemaChangeTopics topics = open()) {
      topics.catchUp(r -> read.add(text(r)));
      assertThat(read).as("nothing before a data topic names the prefix").isEmpty();

      topics.noteDataTopic(prefix + ".db.t");
      assertThat(topics.reads(prefix)).isTrue();
      assertThat(topics.reads(prefix + ".db.t")).isFalse();
      topics.catchUp(r -> read.add(text(r)));
      assertThat(read).containsExactly("ddl-1", "ddl-2");

      kafka.produce(prefix, null, bytes("ddl-3"));
      topics.noteDataTopic(prefix + ".db.other");
      topics.catchUp(r -> read.add(text(r)));
      assertThat(read).containsExactly("ddl-1", "ddl-2", "ddl-3");
    }
  }

  @Test
  void aPrefixWithoutATopicIsIgnoredAndNotCreated() {
    String prefix = EmbeddedKafka.uniqueName("postgres");
    try (SchemaChangeTopics topics = open()) {
      long start = System.nanoTime();
      topics.noteDataTopic(prefix + ".public.t");
      topics.catchUp(r -> {
        throw new AssertionError("no schema-change topic to read");
      });
      assertThat(topics.reads(prefix)).isFalse();
      assertThat((System.nanoTime() - start) / 1_000_000).as("ms to find there is no topic").isLessThan(5_000);
    }
    assertThat(kafka.admin().listTopics().names()).succeedsWithin(java.time.Duration.ofSeconds(10))
        .satisfies(names -> assertThat(names).doesNotContain(prefix));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.value(), StandardCharsets.UTF_8);
  }
}
