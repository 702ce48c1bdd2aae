package io.tributary.kafka.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tributary.core.TableId;
import io.tributary.core.pipeline.CommitStats;
import io.tributary.core.pipeline.DeadLetter;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.schema.SchemaChangePlan;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bridges pipeline events to Micrometer meters tagged with the table ({@code table=namespace.name}):
 * counters {@code tributary.events}, {@code tributary.events.skipped}, {@code tributary.rows.written},
 * {@code tributary.rows.deleted}, {@code tributary.schema.changes}, {@code tributary.dead.letters},
 * {@code tributary.tables.created}, the timer {@code tributary.commit} (tagged {@code kind=data|truncate})
 * and the gauge {@code tributary.commit.source.lag.ms} (wall clock minus the newest source timestamp of the
 * last commit). Pass it to {@code IngestRunner.Builder#listener}; Micrometer must be on the classpath.
 */
public final class MicrometerPipelineListener implements PipelineListener {
  /** Tag value of dead letters that failed before they could be routed to a table. */
  public static final String UNROUTED = "_unrouted";

  private final MeterRegistry registry;
  private final Tags commonTags;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> sourceLag = new ConcurrentHashMap<>();

  private MicrometerPipelineListener(MeterRegistry registry, Tags commonTags) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.commonTags = commonTags;
  }

  public static MicrometerPipelineListener of(MeterRegistry registry) {
    return new MicrometerPipelineListener(registry, Tags.empty());
  }

  /** With tags added to every meter (e.g. {@code sink=iceberg}). */
  public static MicrometerPipelineListener of(MeterRegistry registry, Tags commonTags) {
    return new MicrometerPipelineListener(registry, commonTags);
  }

  private Counter counter(String name, String table) {
    return counters.computeIfAbsent(name + '|' + table,
        k -> Counter.builder(name).tags(commonTags).tag("table", table).register(registry));
  }

  @Override
  public void onEvent(TableId table) {
    counter("tributary.events", table.toString()).increment();
  }

  @Override
  public void onSkipped(TableId table) {
    counter("tributary.events.skipped", table.toString()).increment();
  }

  @Override
  public void onTableCreated(TableId table) {
    counter("tributary.tables.created", table.toString()).increment();
  }

  @Override
  public void onSchemaEvolved(TableId table, SchemaChangePlan appliedPlan) {
    counter("tributary.schema.changes", table.toString()).increment(appliedPlan.changes().size());
  }

  @Override
  public void onCommitted(CommitStats stats) {
    String table = stats.table().toString();
    counter("tributary.rows.written", table).increment(stats.rows());
    counter("tributary.rows.deleted", table).increment(stats.deletes());
    String kind = stats.kind() == CommitStats.Kind.TRUNCATE ? "truncate" : "data";
    timers.computeIfAbsent(table + '|' + kind, k -> Timer.builder("tributary.commit").tags(commonTags)
            .tag("table", table).tag("kind", kind).register(registry))
        .record(Duration.ofMillis(stats.durationMillis()));
    if (stats.maxSourceTimestampMillis() > 0) {
      sourceLag.computeIfAbsent(table, t -> {
        AtomicLong holder = new AtomicLong();
        registry.gauge("tributary.commit.source.lag.ms", commonTags.and("table", t), holder, AtomicLong::get);
        return holder;
      }).set(System.currentTimeMillis() - stats.maxSourceTimestampMillis());
    }
  }

  @Override
  public void onDeadLetter(DeadLetter letter) {
    counter("tributary.dead.letters", letter.table() == null ? UNROUTED : letter.table().toString()).increment();
  }
}
