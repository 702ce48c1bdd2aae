package io.tributary.benchmarks.kafka;

import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.benchmarks.report.ProcessCounters;
import io.tributary.core.StreamPartition;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.sink.TableSink;
import io.tributary.kafka.IngestRunner;
import io.tributary.kafka.testing.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * Tributary's {@link IngestRunner}s from Kafka into one table format, in two phases with the same runners: first they
 * works through a backlog topic produced up front (throughput: records / time until the last offset is
 * committed to the table), then it follows a second topic that a producer writes at a fixed rate while it
 * runs (freshness: time from each record's source timestamp to the commit that made it visible).
 */
final class TributaryIngest {
  /** What one run measured. */
  record Result(long backlogRecords, long backlogMillis, double backlogCpuSeconds, Percentiles backlogCommits,
      int steadyRecords, double steadyRate, Percentiles steadyCommits, Percentiles freshness) {

    double eventsPerSecond() {
      return backlogRecords * 1000.0 / backlogMillis;
    }

    double eventsPerCpuSecond() {
      return backlogRecords / backlogCpuSeconds;
    }
  }

  private final TableFormat format;
  private final EmbeddedKafka kafka;
  private final long commitIntervalMs;
  private final int runners;
  private final Map<String, String> more;
  private final Map<String, String> consumer;

  /**
   * {@code runners} runners in one consumer group share the partitions, each with its own sink instance;
   * {@code more} are further Tributary settings, {@code consumer} further Kafka consumer properties.
   */
  TributaryIngest(TableFormat format, EmbeddedKafka kafka, long commitIntervalMs, int runners,
      Map<String, String> more, Map<String, String> consumer) {
    this.format = format;
    this.kafka = kafka;
    this.commitIntervalMs = commitIntervalMs;
    this.runners = runners;
    this.more = Map.copyOf(more);
    this.consumer = Map.copyOf(consumer);
  }

  /**
   * Ingests {@code backlogTopic} (already produced), then {@code steadyEvents} produced at {@code perSecond}
   * to a new topic {@code steadyTopic} (no steady phase when there are none), into the table
   * {@code inventory.customers} of a warehouse in {@code warehouse}.
   */
  Result run(String backlogTopic, String steadyTopic, int partitions, List<Event> steadyEvents, int perSecond,
      Path warehouse) throws InterruptedException {
    Map<StreamPartition, Long> backlogEnds = endOffsets(backlogTopic);
    long backlogRecords = backlogEnds.values().stream().mapToLong(Long::longValue).sum();
    kafka.createTopic(steadyTopic, partitions);
    Map<String, String> values = new java.util.HashMap<>(Map.of(
        PipelineConfig.COMMIT_INTERVAL_MS.name(), Long.toString(commitIntervalMs),
        PipelineConfig.SINK_ID.name(), "benchmark-" + format.id()));
    values.putAll(more);
    Settings settings = Settings.of(values);
    CommitTracker commits = new CommitTracker();
    Duration timeout = Duration.ofSeconds(120 + backlogRecords / 500 + steadyEvents.size() / 500);
    String group = EmbeddedKafka.uniqueName("tributary-" + format.id());
    List<TableSink> sinks = new ArrayList<>();
    List<IngestRunner> started = new ArrayList<>();
    try {
      for (int i = 0; i < runners; i++) {
        TableSink sink = format.open(warehouse, settings);
        sinks.add(sink);
        started.add(IngestRunner.builder()
            .consumerProperties(consumerProperties(group))
            .topics(backlogTopic, steadyTopic)
            .settings(settings)
            .sink(sink)
            .listener(commits)
            .build());
      }
      Supplier<Throwable> failure = () -> started.stream().map(IngestRunner::failure).filter(Objects::nonNull)
          .findFirst().orElse(null);
      long cpuStart = ProcessCounters.cpuNanos();
      Map<String, Double> threadCpu = ProcessCounters.threadCpuSecondsByKind();
      long start = System.currentTimeMillis();
      started.forEach(IngestRunner::start);
      long backlogDone = commits.awaitCommitted(backlogEnds, timeout, failure);
      double cpuSeconds = (ProcessCounters.cpuNanos() - cpuStart) / 1e9;
      System.err.printf("Tributary %s backlog, CPU by thread: %s%n", format.id(),
          ProcessCounters.describeCpuBetween(threadCpu, ProcessCounters.threadCpuSecondsByKind()));
      System.err.printf("Tributary %s backlog, %s%n", format.id(), ConsumerWaits.describe(group));
      int backlogCommitCount = commits.commits().size();

      SendTimes sent = new SendTimes(baseOffsets(steadyTopic, partitions));
      double rate = 0;
      if (!steadyEvents.isEmpty()) {
        ChangeEventRecords steady = new ChangeEventRecords(steadyTopic, partitions);
        try (CustomersProducer producer = new CustomersProducer(kafka.producerProperties(), steady)) {
          rate = producer.sendAtRate(steadyEvents, perSecond, sent);
        }
        Map<StreamPartition, Long> steadyEnds = new HashMap<>();
        long[] ends = sent.endOffsets();
        for (int p = 0; p < partitions; p++) {
          steadyEnds.put(StreamPartition.of(steadyTopic, p), ends[p]);
        }
        commits.awaitCommitted(steadyEnds, timeout, failure);
      }
      started.forEach(IngestRunner::close);
      Throwable failed = failure.get();
      if (failed != null) {
        throw new IllegalStateException("An ingest runner failed: " + failed, failed);
      }
      List<CommitTracker.Commit> all = commits.commits();
      List<CommitTracker.Commit> backlogCommits = all.subList(0, backlogCommitCount);
      List<CommitTracker.Commit> steadyCommits = all.subList(backlogCommitCount, all.size());
      return new Result(backlogRecords, backlogDone - start, cpuSeconds, durations(backlogCommits),
          steadyEvents.size(), rate, durations(steadyCommits), freshness(steadyCommits, steadyTopic, sent));
    } finally {
      started.forEach(IngestRunner::close);
      sinks.forEach(TableSink::close);
    }
  }

  private Map<String, Object> consumerProperties(String group) {
    Map<String, Object> props = new HashMap<>(consumer);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    return props;
  }

  private Map<StreamPartition, Long> endOffsets(String topic) {
    Map<StreamPartition, Long> out = new HashMap<>();
    kafka.endOffsets(Set.of(topic)).forEach((tp, o) -> out.put(StreamPartition.of(tp.topic(), tp.partition()), o));
    return out;
  }

  private long[] baseOffsets(String topic, int partitions) {
    Map<TopicPartition, Long> ends = kafka.endOffsets(Set.of(topic));
    long[] base = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      base[p] = ends.get(new TopicPartition(topic, p));
    }
    return base;
  }

  private static Percentiles durations(List<CommitTracker.Commit> commits) {
    return Percentiles.of(commits.stream().mapToLong(CommitTracker.Commit::durationMillis).toArray());
  }

  /** For every record of the steady topic: when the commit that first held it became visible, minus its ts_ms. */
  private static Percentiles freshness(List<CommitTracker.Commit> commits, String topic, SendTimes sent) {
    long[] ends = sent.endOffsets();
    long[] visibleFrom = new long[ends.length];
    for (int p = 0; p < ends.length; p++) {
      visibleFrom[p] = sent.base(p);
    }
    List<Long> out = new ArrayList<>();
    for (CommitTracker.Commit c : commits) {
      for (Map.Entry<StreamPartition, Long> e : c.nextOffsets().entrySet()) {
        if (!e.getKey().topic().equals(topic)) {
          continue;
        }
        int p = e.getKey().partition();
        for (long offset = visibleFrom[p]; offset < e.getValue(); offset++) {
          out.add(c.visibleAtMillis() - sent.sentAt(p, offset));
        }
        visibleFrom[p] = Math.max(visibleFrom[p], e.getValue());
      }
    }
    return Percentiles.of(out.stream().mapToLong(Long::longValue).toArray());
  }
}
