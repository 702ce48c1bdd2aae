package io.tributary.benchmarks.write;

import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.core.ChangeEvent;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineListener;
import io.tributary.core.sink.TableSink;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.paimon.PaimonTableSink;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.table.FileStoreTable;

/**
 * One workload written by Tributary (end to end from record bytes) and by the formats' own writers, batch by
 * batch on the same rows: every chunk of {@code commitEvery} events is generated, then fed to each Tributary
 * pipeline (which commits at its end) and written and committed by each ceiling writer, so that all of them
 * see the same load of the machine. Tables stay on disk until {@link #close()}.
 */
public final class WriteRun implements AutoCloseable {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Workload workload;
  private final int commitEvery;
  private final Map<Format, Lane> lanes = new LinkedHashMap<>();
  private EventChunks chunks;

  /** What one format's lane measured: Tributary's time and allocation, and each ceiling's time. */
  public record Figures(long e2eNanos, long e2eCpuNanos, long e2eAllocatedBytes, Map<String, Long> ceilingNanos,
      Map<String, Long> ceilingCpuNanos) {}

  /** A format's Tributary sink and pipeline and its ceiling writers. */
  private static final class Lane {
    final TableSink sink;
    final Replay replay;
    final List<Ceiling<?>> ceilings = new ArrayList<>();
    final Map<String, Long> ceilingNanos = new LinkedHashMap<>();
    final Map<String, Long> ceilingCpuNanos = new LinkedHashMap<>();
    long e2eNanos;
    long e2eCpuNanos;
    long e2eAllocated;

    Lane(TableSink sink, Replay replay) {
      this.sink = sink;
      this.replay = replay;
    }
  }

  public WriteRun(Workload workload, List<Format> formats, Path dir, int commitEvery) {
    this(workload, formats, dir, commitEvery, Map.of());
  }

  /** A run whose Tributary sinks and pipelines also get {@code settings}. */
  public WriteRun(Workload workload, List<Format> formats, Path dir, int commitEvery, Map<String, String> more) {
    this.workload = workload;
    this.commitEvery = commitEvery;
    Settings settings = Replay.settings(commitEvery, more);
    for (Format f : formats) {
      TableSink sink = f.sink(dir.resolve(workload.label()).resolve(f.label()), settings);
      lanes.put(f, new Lane(sink, new Replay(sink, settings, PipelineListener.none())));
    }
  }

  /** The ceiling tables' names: {@code inventory.<ceiling name with _>}. */
  public static TableId ceilingTable(String ceilingName) {
    return TableId.of(Replay.TABLE.namespace(), ceilingName.replace('-', '_'));
  }

  /** Generates and writes {@code events} events. */
  public void run(long events) {
    chunks = EventChunks.of(workload);
    long done = 0;
    while (done < events) {
      EventChunks.Chunk chunk = chunks.next((int) Math.min(commitEvery, events - done));
      if (done == 0) {
        createCeilings(chunk);
      }
      for (Lane lane : lanes.values()) {
        long allocated = THREADS.getCurrentThreadAllocatedBytes();
        long cpu = THREADS.getCurrentThreadCpuTime();
        lane.e2eNanos += lane.replay.feed(chunk);
        lane.e2eCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
        lane.e2eAllocated += THREADS.getCurrentThreadAllocatedBytes() - allocated;
        for (Ceiling<?> ceiling : lane.ceilings) {
          long[] nanos = timed(ceiling, chunk);
          lane.ceilingNanos.merge(ceiling.name(), nanos[0], Long::sum);
          lane.ceilingCpuNanos.merge(ceiling.name(), nanos[1], Long::sum);
        }
      }
      done += chunk.size();
      if (done % 100_000 < chunk.size()) {
        System.err.printf("%s: %,d of %,d events%n", workload.label(), done, events);
      }
    }
    for (Lane lane : lanes.values()) {
      long cpu = THREADS.getCurrentThreadCpuTime();
      lane.e2eNanos += lane.replay.finish();
      lane.e2eCpuNanos += THREADS.getCurrentThreadCpuTime() - cpu;
    }
  }

  /** Wall-clock and CPU nanoseconds of the ceiling's write and commit of a chunk. */
  private static <B> long[] timed(Ceiling<B> ceiling, EventChunks.Chunk chunk) {
    B batch = ceiling.prepare(chunk.events());
    long cpu = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    ceiling.writeAndCommit(batch);
    return new long[] {System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpu};
  }

  /**
   * Creates the ceiling tables through Tributary's sink from the schema of the first record, so that they have
   * exactly the schema and table properties of the table Tributary creates; nothing else of Tributary is used.
   */
  private void createCeilings(EventChunks.Chunk first) {
    DecodedRecord decoded = DebeziumDecoders.json().decode(first.records().get(0));
    ChangeEvent event = ((DecodedRecord.Change) decoded).event();
    List<String> key = event.key().schema().fieldNames();
    for (Map.Entry<Format, Lane> e : lanes.entrySet()) {
      TableSink sink = e.getValue().sink;
      List<String> names = e.getKey() == Format.PAIMON ? List.of("ceiling-pk")
          : workload == Workload.INSERT_ONLY ? List.of("ceiling-append", "ceiling-upsert") : List.of("ceiling-upsert");
      for (String name : names) {
        TableId id = ceilingTable(name);
        sink.create(id, sink.storageSchema(event.rowSchema()), key);
        e.getValue().ceilings.add(switch (name) {
          case "ceiling-append" -> IcebergCeiling.append(((IcebergTableSink) sink).loadTable(id));
          case "ceiling-upsert" -> IcebergCeiling.upsert(((IcebergTableSink) sink).loadTable(id));
          default -> new PaimonCeiling(paimonTable((PaimonTableSink) sink, id));
        });
      }
    }
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
  public EventChunks chunks() {
    return chunks;
  }

  @Override
  public void close() {
    for (Lane lane : lanes.values()) {
      lane.ceilings.forEach(Ceiling::close);
      lane.replay.close();
      lane.sink.close();
    }
  }
}
