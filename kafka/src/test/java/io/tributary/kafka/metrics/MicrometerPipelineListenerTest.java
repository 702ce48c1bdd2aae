package io.tributary.kafka.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.core.ChangeEvent;
import io.tributary.core.Row;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.DeadLetter;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.pipeline.RawRecord;
import io.tributary.core.testing.Events;
import io.tributary.core.testing.InMemoryTableSink;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerPipelineListenerTest {
  private static final StructType V1 = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()));
  private static final StructType V2 = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()), Field.optional("email", Types.StringType.get()));

  @Test
  void countsEventsRowsDeletesSchemaChangesDeadLettersAndCommitsPerTable() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<DeadLetter> letters = new ArrayList<>();
    IngestPipeline pipeline = IngestPipeline.builder()
        .sink(new InMemoryTableSink())
        .settings(Settings.of(Map.of("tributary.errors.tolerance", "all")))
        .deadLetters(letters::add)
        .listener(MicrometerPipelineListener.of(registry))
        .build();
    Events ev = Events.of("shop", "customers", "id");
    List<ChangeEvent> events = List.of(
        ev.insert(Row.of(V1, 1, "a")), ev.insert(Row.of(V1, 2, "b")), ev.delete(Row.of(V1, 2, "b")));
    events.forEach(e -> pipeline.accept(e, RawRecord.of(e.origin(), null, new byte[] {1})));
    pipeline.flushAll();
    ChangeEvent evolved = ev.insert(Row.of(V2, 3, "c", "c@example.com"));
    pipeline.accept(evolved, RawRecord.of(evolved.origin(), null, new byte[] {1}));
    pipeline.flushAll();
    pipeline.reject(new io.tributary.core.RecordException("bad", io.tributary.core.Origin.of("t", 0, 99), null),
        RawRecord.of(io.tributary.core.Origin.of("t", 0, 99), null, null));

    String table = TableId.of("shop", "customers").toString();
    assertThat(registry.get("tributary.events").tag("table", table).counter().count()).isEqualTo(4);
    assertThat(registry.get("tributary.rows.written").tag("table", table).counter().count()).isEqualTo(2);
    assertThat(registry.get("tributary.rows.deleted").tag("table", table).counter().count()).isEqualTo(1);
    assertThat(registry.get("tributary.schema.changes").tag("table", table).counter().count()).isEqualTo(1);
    assertThat(registry.get("tributary.tables.created").tag("table", table).counter().count()).isEqualTo(1);
    assertThat(registry.get("tributary.commit").tags("table", table, "kind", "data").timer().count()).isEqualTo(2);
    assertThat(registry.get("tributary.commit.source.lag.ms").tag("table", table).gauge().value()).isPositive();
    assertThat(registry.get("tributary.dead.letters").tag("table", MicrometerPipelineListener.UNROUTED)
        .counter().count()).isEqualTo(1);
    assertThat(letters).hasSize(1);
    assertThat(registry.get("tributary.commit").tags("table", table).timer().totalTime(TimeUnit.NANOSECONDS))
        .isGreaterThanOrEqualTo(0);
  }
}
