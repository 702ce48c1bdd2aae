package io.tributary.benchmarks.write;

import io.tributary.benchmarks.CustomersData;
import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.benchmarks.report.ProcessCounters;
import io.tributary.core.ChangeEvent;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.paimon.PaimonTableSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.table.FileStoreTable;

/**
 * One workload written by Tributary (end to end from record bytes) and by the formats' own writers. The
 * workload's records are first generated and spilled to a file in the run's directory, unmeasured; then, per
 * format, Tributary ingests the whole file in one continuous timed run (its pipeline may commit on its own thread
 * while the next records are decoded, so its time is only meaningful from the first record to the last commit),
 * and after it the format's ceiling writers write the same events in their own pass, batch by batch. Tables stay
 * on disk until {@link #close()}; the spill file is deleted when {@link #run(long)} ends.
 */
public final class WriteRun implements AutoCloseable {
  private final Workload workload;
  private final int commitEvery;
  private final Settings settings;
  private final Path spillFile;
  private final Map<Format, Lane> lanes = new LinkedHashMap<>();
  private CustomersData.Changes source;

  /** What one format's lane measured: Tributary's time and allocation, and each ceiling's time. */
  public record Figures(long e2eNanos, long e2eCpuNanos, long e2eAllocatedBytes, Map<String, Long> ceilingNanos,
      Map<String, Long> ceilingCpuNanos) {}

  /** Records fed together, the Kafka consumer's default {@code max.poll.records}. */
  private static final int POLL_RECORDS = 500;

  /** A format's Tributary sink and what was measured on it. */
  private static final class Lane {
    final TableSink sink;
    final Map<String, Long> ceilingNanos = new LinkedHashMap<>();
    final Map<String, Long> ceilingCpuNanos = new LinkedHashMap<>();
    long e2eNanos;
    long e2eCpuNanos;
    long e2eAllocated;

    Lane(TableSink sink) {
      this.sink = sink;
    }
  }

  public WriteRun(Workload workload, List<Format> formats, Path dir, int commitEvery) {
    this(workload, formats, dir, commitEvery, Map.of());
  }

  /** A run whose Tributary sinks and pipelines also get {@code settings}. */
  public WriteRun(Workload workload, List<Format> formats, Path dir, int commitEvery, Map<String, String> more) {
    this.workload = workload;
    this.commitEvery = commitEvery;
    this.settings = Replay.settings(commitEvery, more);
    this.spillFile = spillFile(dir, workload);
    for (Format f : formats) {
      lanes.put(f, new Lane(f.sink(dir.resolve(workload.label()).resolve(f.label()), settings)));
    }
  }

  /** Where a run in {@code dir} keeps the workload's records while it runs. */
  static Path spillFile(Path dir, Workload workload) {
    return dir.resolve(workload.label()).resolve("records.spill");
  }

  /** The ceiling tables' names: {@code inventory.<ceiling name with _>}. */
  public static TableId ceilingTable(String ceilingName) {
    return TableId.of(Replay.TABLE.namespace(), ceilingName.replace('-', '_'));
  }

  /** Generates {@code events} events, then writes them with Tributary and the ceilings of every format. */
  public void run(long events) {
    EventChunks chunks = EventChunks.of(workload);
    long spillStart = System.nanoTime();
    try (SpilledRecords records = SpilledRecords.write(spillFile, chunks, events, commitEvery)) {
      source = chunks.source();
      System.err.printf("%s: %,d records spilled (%,d MB, %,d B/record) in %.1f s%n", workload.label(), events,
          records.sizeInBytes() >> 20, records.sizeInBytes() / events, (System.nanoTime() - spillStart) / 1e9);
      for (Map.Entry<Format, Lane> e : lanes.entrySet()) {
        runTributary(e.getKey(), e.getValue(), records);
        runCeilings(e.getKey(), e.getValue(), records);
      }
    }
  }

  /**
   * One continuous run over the spilled records, from the first read to the last commit being visible. CPU and
   * allocation are the process's (every live thread), because the pipeline may commit on a thread of its own.
   */
  private void runTributary(Format format, Lane lane, SpilledRecords records) {
    String cpuByThread;
    try (Replay replay = new Replay(lane.sink, settings, PipelineListener.none());
        SpilledRecords.Reader reader = records.open()) {
      long allocated = ProcessCounters.liveThreadsAllocatedBytes();
      long cpu = ProcessCounters.cpuNanos();
      Map<String, Double> threadCpu = ProcessCounters.threadCpuSecondsByKind();
      long start = System.nanoTime();
      // in polls' worth, as the Kafka runner decodes them
      List<ConsumerRecord<byte[], byte[]>> poll = new ArrayList<>(POLL_RECORDS);
      for (ConsumerRecord<byte[], byte[]> record = reader.next(); record != null; record = reader.next()) {
        poll.add(record);
        if (poll.size() == POLL_RECORDS) {
          replay.feedAll(poll);
          poll.clear();
        }
      }
      replay.feedAll(poll);
      replay.finish();
      lane.e2eNanos = System.nanoTime() - start;
      lane.e2eCpuNanos = ProcessCounters.cpuNanos() - cpu;
      lane.e2eAllocated = ProcessCounters.liveThreadsAllocatedBytes() - allocated;
      cpuByThread = ProcessCounters.describeCpuBetween(threadCpu, ProcessCounters.threadCpuSecondsByKind());
    }
    System.err.printf("%s: %s Tributary, %,d events in %.1f s (CPU by thread: %s)%n", workload.label(),
        format.label(), records.count(), lane.e2eNanos / 1e9, cpuByThread);
  }

  /**
   * The format's ceilings on the same events, regenerated from the seed batch by batch: each batch's rows are
   * built unmeasured, then each ceiling's write and commit of it is timed (wall clock and process CPU).
   */
  private void runCeilings(Format format, Lane lane, SpilledRecords records) {
    List<Ceiling<?>> ceilings = createCeilings(format, lane.sink, records.first());
    Map<String, Double> threadCpu = ProcessCounters.threadCpuSecondsByKind();
    Map<String, Double> cpuInTimedWrites = new TreeMap<>();
    try {
      CustomersData.Changes changes = CustomersData.changes(EventChunks.SEED, workload);
      for (long done = 0; done < records.count(); ) {
        int size = (int) Math.min(commitEvery, records.count() - done);
        List<Event> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          batch.add(changes.next());
        }
        for (Ceiling<?> ceiling : ceilings) {
          long[] nanos = timed(ceiling, batch, cpuInTimedWrites);
          lane.ceilingNanos.merge(ceiling.name(), nanos[0], Long::sum);
          lane.ceilingCpuNanos.merge(ceiling.name(), nanos[1], Long::sum);
        }
        done += size;
      }
    } finally {
      ceilings.forEach(Ceiling::close);
    }
    lane.ceilingNanos.forEach((name, nanos) -> System.err.printf("%s: %s %s, %,d events in %.1f s%n",
        workload.label(), format.label(), name, records.count(), nanos / 1e9));
    // the whole pass, building the rows included, against the timed writes alone: work a format does in the
    // background (Paimon's compaction) partly runs while rows are built, outside the ceiling's clock
    System.err.printf("%s: %s ceilings pass, CPU by thread: %s; of it in the timed writes and commits: %s%n",
        workload.label(), format.label(),
        ProcessCounters.describeCpuBetween(threadCpu, ProcessCounters.threadCpuSecondsByKind()),
        ProcessCounters.describeCpuBetween(Map.of(), cpuInTimedWrites));
  }

  /**
   * Wall-clock and process CPU nanoseconds of the ceiling's write and commit of a batch; the CPU each kind of
   * thread used meanwhile is added to {@code threadCpu}.
   */
  private static <B> long[] timed(Ceiling<B> ceiling, List<Event> events, Map<String, Double> threadCpu) {
    B batch = ceiling.prepare(events);
    Map<String, Double> before = ProcessCounters.threadCpuSecondsByKind();
    long cpu = ProcessCounters.cpuNanos();
    long start = System.nanoTime();
    ceiling.writeAndCommit(batch);
    long[] figures = {System.nanoTime() - start, ProcessCounters.cpuNanos() - cpu};
    ProcessCounters.threadCpuSecondsByKind().forEach((kind, seconds) ->
        threadCpu.merge(kind, seconds - before.getOrDefault(kind, 0.0), Double::sum));
    return figures;
  }

  /**
   * Creates the ceiling tables through Tributary's sink from the schema of the first record, so that they have
   * exactly the schema and table properties of the table Tributary creates; nothing else of Tributary is used.
   */
  private List<Ceiling<?>> createCeilings(Format format, TableSink sink, ConsumerRecord<byte[], byte[]> first) {
    ChangeEvent event = ((DecodedRecord.Change) DebeziumDecoders.json().decode(first)).event();
    List<String> key = event.key().schema().fieldNames();
    List<String> names = format == Format.PAIMON ? List.of("ceiling-pk")
        : workload == Workload.INSERT_ONLY ? List.of("ceiling-append", "ceiling-upsert") : List.of("ceiling-upsert");
    List<Ceiling<?>> ceilings = new ArrayList<>();
    for (String name : names) {
      TableId id = ceilingTable(name);
      sink.create(id, sink.storageSchema(event.rowSchema()), key);
      ceilings.add(switch (name) {
        case "ceiling-append" -> IcebergCeiling.append(((IcebergTableSink) sink).loadTable(id));
        case "ceiling-upsert" -> IcebergCeiling.upsert(((IcebergTableSink) sink).loadTable(id));
        default -> new PaimonCeiling(paimonTable((PaimonTableSink) sink, id));
      });
    }
    return ceilings;
  }

  static FileStoreTable paimonTable(PaimonTableSink sink, TableId id) {
    try {
      return (FileStoreTable) sink.catalog().getTable(Identifier.create(id.namespace(), id.name()));
    } catch (Catalog.TableNotExistException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What was measured for a format. */
  public Figures figures(Format format) {
    Lane lane = lanes.get(format);
    return new Figures(lane.e2eNanos, lane.e2eCpuNanos, lane.e2eAllocated, Map.copyOf(lane.ceilingNanos),
        Map.copyOf(lane.ceilingCpuNanos));
  }

  /** Tributary's sink of a format, with the tables written. */
  public TableSink sink(Format format) {
    return lanes.get(format).sink;
  }

  /** The generator after the run: its source state is what every table must hold. */
  public CustomersData.Changes source() {
    return source;
  }

  @Override
  public void close() {
    lanes.values().forEach(lane -> lane.sink.close());
  }
}
