package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.testing.InMemoryTableSink;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Configuration errors are reported when the runner is built, naming the property to set. */
class IngestRunnerBuilderTest {
  private static final Map<String, String> CONSUMER = Map.of("bootstrap.servers", "localhost:1", "group.id", "g");

  @Test
  void aGroupIdIsRequired() {
    assertThatThrownBy(() -> IngestRunner.builder().consumerProperties(Map.of("bootstrap.servers", "localhost:1"))
        .topics("t").sink(new InMemoryTableSink()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group.id");
  }

  @Test
  void topicsOrAPatternAreRequiredButNotBoth() {
    assertThatThrownBy(() -> IngestRunner.builder().consumerProperties(CONSUMER).sink(new InMemoryTableSink()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tributary.topics");
    assertThatThrownBy(() -> IngestRunner.builder().consumerProperties(CONSUMER).sink(new InMemoryTableSink())
        .topics("a").topicPattern(java.util.regex.Pattern.compile("a.*")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
  }

  @Test
  void toleratingErrorsNeedsADeadLetterTopic() {
    assertThatThrownBy(() -> IngestRunner.builder().consumerProperties(CONSUMER).topics("t")
        .sink(new InMemoryTableSink()).settings(Map.of("tributary.errors.tolerance", "all")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tributary.dead-letter.topic");
  }

  @Test
  void badSettingsFailAtBuildTimeNamingTheKey() {
    assertThatThrownBy(() -> IngestRunner.builder().consumerProperties(CONSUMER).topics("t")
        .sink(new InMemoryTableSink()).settings(Map.of("tributary.runner.poll-timeout-ms", "soon")).build())
        .hasMessageContaining("tributary.runner.poll-timeout-ms");
  }

  @Test
  void theConsumerKeepsTheUsersPropertiesAndOtherwiseGetsTheRunnersDefaults() {
    IngestRunner defaults = IngestRunner.builder().consumerProperties(CONSUMER).topics("t")
        .sink(new InMemoryTableSink()).build();
    assertThat(defaults.consumerProperties()).containsEntry("receive.buffer.bytes", -1)
        .containsEntry("isolation.level", "read_committed").containsEntry("auto.offset.reset", "earliest")
        .containsEntry("enable.auto.commit", "false");
    defaults.close();

    IngestRunner told = IngestRunner.builder().consumerProperties(Map.of("bootstrap.servers", "localhost:1",
            "group.id", "g", "receive.buffer.bytes", "262144", "isolation.level", "read_uncommitted",
            "enable.auto.commit", "true"))
        .topics("t").sink(new InMemoryTableSink()).build();
    assertThat(told.consumerProperties()).containsEntry("receive.buffer.bytes", "262144")
        .containsEntry("isolation.level", "read_uncommitted")
        .as("offsets are committed only after the tables commit").containsEntry("enable.auto.commit", "false");
    told.close();
  }

  @Test
  void everythingCanComeFromSettingsAndClosingAnUnstartedRunnerIsIdempotent() throws Exception {
    IngestRunner runner = IngestRunner.builder().sink(new InMemoryTableSink()).settings(Map.of(
        "kafka.bootstrap.servers", "localhost:1", "kafka.group.id", "g", "kafka.sasl.jaas.config", "secret",
        "tributary.topic-pattern", "db\\..*", "tributary.errors.tolerance", "all",
        "tributary.dead-letter.topic", "dlq")).build();
    runner.close();
    runner.close();
    assertThat(runner.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
    assertThat(runner.metrics().state()).isEqualTo(RunnerMetrics.State.CLOSED);
    runner.run(); // a closed runner returns at once
  }
}
