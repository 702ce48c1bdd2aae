package io.tributary.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Origin;
import io.tributary.core.RetryableException;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.testing.Events;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exactly-once protocol under failures, as the Kafka runner drives it: commits fail at random (before or
 * after the table took them), and after each failure the consumer drops the pipeline and reads again from its
 * safe offsets. Two partitions each interleave three tables without a key, so a record applied twice would show
 * as a duplicate row and a record skipped as a missing one.
 */
class RewindTest {
  private static final StructType LOG = StructType.of(Field.required("n", Types.IntegerType.get()),
      Field.optional("payload", Types.StringType.get()));
  private static final List<String> TABLES = List.of("a", "b", "c");
  private static final int PER_PARTITION = 400;

  private final InMemoryTableSink sink = new InMemoryTableSink();
  private final AtomicLong clock = new AtomicLong(1_000);

  private IngestPipeline pipeline(boolean inBackground) {
    return IngestPipeline.builder().sink(sink).clock(clock::get).settings(Settings.of(Map.of(
        "tributary.commit.max-records", "7",
        "tributary.commit.interval-ms", "50",
        "tributary.commit.retries", "0",
        "tributary.commit.in-background", Boolean.toString(inBackground)))).build();
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void recordsReadAgainAfterFailedCommitsLandExactlyOnce(boolean inBackground) {
    Random random = new Random(20261122);
    List<List<ChangeEvent>> partitions = List.of(new ArrayList<>(), new ArrayList<>());
    Map<String, List<String>> expected = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      for (int offset = 0; offset < PER_PARTITION; offset++) {
        String table = TABLES.get(random.nextInt(TABLES.size()));
        String payload = "p" + p + "-" + offset;
        ChangeEvent e = Events.of("db", table).insert(Row.of(LOG, p * PER_PARTITION + offset, payload));
        partitions.get(p).add(ChangeEvent.builder(e.operation()).after(e.after()).rowSchema(e.rowSchema())
            .source(e.source()).origin(Origin.of("shared", p, offset)).build());
        expected.computeIfAbsent(table, t -> new ArrayList<>()).add(payload);
      }
    }

    IngestPipeline p = pipeline(inBackground);
    long[] position = new long[2];
    int failures = 0;
    while (position[0] < PER_PARTITION || position[1] < PER_PARTITION) {
      try {
        int part = position[0] >= PER_PARTITION ? 1 : position[1] >= PER_PARTITION ? 0 : random.nextInt(2);
        ChangeEvent e = partitions.get(part).get((int) position[part]++);
        if (random.nextInt(40) == 0) {
          sink.failNextCommits(1);
        } else if (random.nextInt(40) == 0) {
          sink.failAfterNextCommit(new RetryableException("commit response lost"));
        }
        p.accept(e, RawRecord.of(e.origin(), null, new byte[] {1}));
        if (random.nextInt(10) == 0) {
          clock.addAndGet(random.nextInt(100));
          p.flushDue();
        }
      } catch (RetryableException e) {
        // what the runner does: read again from the safe offsets with a fresh pipeline
        failures++;
        Map<StreamPartition, Long> safe = p.safeOffsets();
        p.close();
        p = pipeline(inBackground);
        for (int part = 0; part < 2; part++) {
          Long from = safe.get(StreamPartition.of("shared", part));
          if (from != null) {
            assertThat(from).isLessThanOrEqualTo(position[part]);
            position[part] = from;
          }
        }
      }
    }
    sink.failNextCommits(0);
    sink.failAfterNextCommit(null);
    p.flushAll();
    p.close();

    assertThat(failures).isGreaterThan(5);
    for (String table : TABLES) {
      List<Object> payloads = sink.rows(TableId.of("db", table)).stream().map(r -> r.get("payload")).toList();
      assertThat(payloads).as("table %s", table).containsExactlyInAnyOrderElementsOf(expected.get(table));
    }
  }
}
