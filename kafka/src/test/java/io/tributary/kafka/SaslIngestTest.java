package io.tributary.kafka;

import static io.tributary.kafka.LinesDecoder.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.FatalException;
import io.tributary.core.TableId;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.kafka.deadletter.KafkaDeadLetterHandler;
import io.tributary.kafka.testing.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Against a broker that requires SASL: the runner authenticates with SCRAM-SHA-512 using nothing but the usual
 * Kafka client properties, for its consumer and for the dead-letter producer, and a wrong password stops it
 * with an error instead of retrying for ever.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SaslIngestTest {
  static final TableId LOGS = TableId.of("shop", "logs");
  static final String USER = "ingest";
  static final String PASSWORD = "scram-password";

  static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() throws Exception {
    kafka = EmbeddedKafka.startWithSasl();
    kafka.admin().alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), PASSWORD))).all().get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  private static Map<String, Object> scram(String group, String password) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("group.id", group);
    props.put("auto.offset.reset", "earliest");
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + USER + "\" password=\"" + password + "\";");
    return props;
  }

  @Test
  void theConsumerAndTheDeadLetterProducerAuthenticateWithScram() throws Exception {
    String topic = EmbeddedKafka.uniqueName("scram");
    String dlq = topic + ".dlq";
    kafka.createTopic(topic, 2);
    kafka.createTopic(dlq, 1);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      records.add(new ProducerRecord<>(topic, i % 2, null, line("c", "logs", i, "log-" + i)));
    }
    records.add(new ProducerRecord<>(topic, 0, null, "garbage".getBytes(StandardCharsets.UTF_8)));
    kafka.produce(records);

    InMemoryTableSink memory = new InMemoryTableSink();
    Map<String, String> settings = new HashMap<>(IngestRunnerTest.fastSettings());
    settings.put("tributary.errors.tolerance", "all");
    settings.put("tributary.dead-letter.topic", dlq);
    IngestRunner runner = IngestRunner.builder().consumerProperties(scram(EmbeddedKafka.uniqueName("g"), PASSWORD))
        .sink(memory).decoder(new LinesDecoder()).settings(settings).topics(topic).build().start();
    IngestRunnerTest.await("every good record landed", Duration.ofSeconds(60),
        () -> memory.describe(LOGS).isPresent() && memory.rows(LOGS).size() == 20);
    IngestRunnerTest.await("the bad record is dead-lettered", Duration.ofSeconds(30),
        () -> runner.metrics().deadLetters() == 1);
    runner.close();

    assertThat(runner.failure()).isNull();
    List<ConsumerRecord<byte[], byte[]>> letters = kafka.consume(dlq, 1, Duration.ofSeconds(10));
    assertThat(letters).singleElement()
        .satisfies(r -> assertThat(IngestRunnerTest.header(r, KafkaDeadLetterHandler.HEADER_ERROR_MESSAGE))
            .contains("expected op,table,id,payload"));
  }

  @Test
  void aWrongPasswordStopsTheRunnerWithTheAuthenticationError() {
    String topic = EmbeddedKafka.uniqueName("denied");
    kafka.createTopic(topic, 1);
    IngestRunner runner = IngestRunner.builder().consumerProperties(scram(EmbeddedKafka.uniqueName("g"), "wrong"))
        .sink(new InMemoryTableSink()).decoder(new LinesDecoder()).settings(IngestRunnerTest.fastSettings())
        .topics(topic).build();
    assertThatThrownBy(runner::run).isInstanceOf(FatalException.class).hasStackTraceContaining("Authentication failed");
  }
}
