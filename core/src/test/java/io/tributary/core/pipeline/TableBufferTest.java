package io.tributary.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Operation;
import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.SourceInfo;
import io.tributary.core.SourcePosition;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.sink.RowChange;
import io.tributary.core.testing.Events;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableBufferTest {
  private static final StructType V1 = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()));
  private static final StructType V2 = StructType.of(Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()), Field.optional("status", Types.StringType.get()));
  private static final TableId TABLE = TableId.of("db", "t");

  private final TableBuffer buffer = new TableBuffer(TABLE);

  private void add(ChangeEvent e) {
    buffer.add(e, e.key(), RawRecord.of(e.origin(), null, new byte[10]), 0);
  }

  private static List<RowChange> changes(Segment s) {
    return ((Segment.Data) s).changes().stream().map(BufferedChange::change).toList();
  }

  @Test
  void collapsesChangesPerKeyLastOneWins() {
    Events ev = Events.of("db", "t", "id");
    add(ev.read(Row.of(V1, 1, "a")));
    add(ev.update(Row.of(V1, 1, "a"), Row.of(V1, 1, "b")));
    add(ev.insert(Row.of(V1, 2, "x")));
    add(ev.delete(Row.of(V1, 2, "x")));
    add(ev.update(Row.of(V1, 1, "b"), Row.of(V1, 1, "c")));

    assertThat(buffer.segments()).hasSize(1);
    List<RowChange> changes = changes(buffer.segments().get(0));
    assertThat(changes).hasSize(2);
    assertThat(changes.get(0).kind()).isEqualTo(RowChange.Kind.UPSERT);
    assertThat(changes.get(0).row().get("name")).isEqualTo("c");
    assertThat(changes.get(0).origin().offset()).isEqualTo(4);
    assertThat(changes.get(1).isDelete()).isTrue();
    assertThat(buffer.recordCount()).isEqualTo(5);
    Map<StreamPartition, Long> next = new HashMap<>();
    buffer.segments().get(0).forEachNextOffset(next::put);
    assertThat(next).containsExactly(Map.entry(StreamPartition.of(ev.topic(), 0), 5L));
    assertThat(Segment.firstOffset(buffer.segments(), 0, StreamPartition.of(ev.topic(), 0))).isEqualTo(0L);
  }

  @Test
  void aPrimaryKeyChangeIsADeleteOfTheOldKeyAndAnInsertOfTheNew() {
    Events ev = Events.of("db", "t", "id");
    add(ev.insert(Row.of(V1, 5, "five")));
    add(ev.delete(Row.of(V1, 5, "five")));
    add(ev.insert(Row.of(V1, 1005, "five")));

    List<RowChange> changes = changes(buffer.segments().get(0));
    assertThat(changes).extracting(RowChange::kind).containsExactly(RowChange.Kind.DELETE, RowChange.Kind.UPSERT);
    assertThat(changes.get(0).key().get("id")).isEqualTo(5);
    assertThat(changes.get(1).key().get("id")).isEqualTo(1005);
  }

  @Test
  void tablesWithoutAKeyKeepEveryChangeInOrderAndSplitUpdates() {
    Events ev = Events.of("db", "t");
    add(ev.insert(Row.of(V1, 1, "a")));
    add(ev.update(Row.of(V1, 1, "a"), Row.of(V1, 1, "b")));
    add(ev.delete(Row.of(V1, 1, "b")));

    List<RowChange> changes = changes(buffer.segments().get(0));
    assertThat(changes).extracting(RowChange::kind).containsExactly(
        RowChange.Kind.UPSERT, RowChange.Kind.DELETE, RowChange.Kind.UPSERT, RowChange.Kind.DELETE);
    assertThat(changes.get(1).row()).isEqualTo(Row.of(V1, 1, "a"));
    assertThat(changes.get(3).row()).isEqualTo(Row.of(V1, 1, "b"));
  }

  @Test
  void truncatesRenamesAndNewSchemasStartSegments() {
    Events ev = Events.of("db", "t", "id");
    add(ev.insert(Row.of(V1, 1, "a")));
    add(ev.truncate());
    add(ev.insert(Row.of(V1, 2, "b")));
    buffer.addRenames(ev.rename("server", 7, "name", "label"), 0);
    add(ev.insert(Row.of(V2, 3, "c", "new")));
    add(ev.insert(Row.of(V2, 4, "d", "new")));

    assertThat(buffer.segments()).extracting(s -> s.getClass().getSimpleName())
        .containsExactly("Data", "Truncate", "Data", "Renames", "Data");
    assertThat(changes(buffer.segments().get(4))).hasSize(2);
    assertThat(Segment.firstOffset(buffer.segments(), 2, StreamPartition.of(ev.topic(), 0))).isEqualTo(2);
    assertThat(buffer.firstOffset(StreamPartition.of("server", 0))).isEqualTo(7);

    assertThat(buffer.takeSegments()).hasSize(5);
    assertThat(buffer.isEmpty()).isTrue();
    assertThat(buffer.recordCount()).isZero();
    assertThat(buffer.sizeInBytes()).isZero();
    assertThat(buffer.firstBufferedAtMillis()).isEqualTo(-1);
  }

  @Test
  void anUpsertWithUnavailableValuesTakesThemFromTheUpsertItReplaces() {
    Events ev = Events.of("db", "t", "id");
    add(ev.insert(Row.of(V2, 1, "long text", "a")));
    add(ev.update(null, Row.of(V2, 1, Unavailable.VALUE, "b")));

    RowChange change = changes(buffer.segments().get(0)).get(0);
    assertThat(change.row().get("name")).isEqualTo("long text");
    assertThat(change.row().get("status")).isEqualTo("b");
  }

  @Test
  void acrossPartitionsTheSourcePositionDecides() {
    StructType key = StructType.of(V1.field("id"));
    ChangeEvent later = ChangeEvent.builder(Operation.UPDATE).key(Row.of(key, 1)).after(Row.of(V1, 1, "later"))
        .rowSchema(V1).origin(Origin.of("a", 0, 10))
        .source(new SourceInfo("mysql", "db", null, "t", 0, false, SourcePosition.of("9", 1, 9), Map.of())).build();
    ChangeEvent earlier = ChangeEvent.builder(Operation.UPDATE).key(Row.of(key, 1)).after(Row.of(V1, 1, "earlier"))
        .rowSchema(V1).origin(Origin.of("b", 0, 3))
        .source(new SourceInfo("mysql", "db", null, "t", 0, false, SourcePosition.of("5", 1, 5), Map.of())).build();
    add(later);
    add(earlier);
    assertThat(changes(buffer.segments().get(0)).get(0).row().get("name")).isEqualTo("later");
  }

  @Test
  void aRenameAheadOfTheTablesChangesWaitsForTheFirstChangeAfterItInTheLog() {
    Events ev = Events.of("db", "t", "id");
    add(ev.insert(Row.of(V1, 1, "a")));
    var rename = ev.rename("server", 0, "name", "label");
    add(ev.offset(0).insert(Row.of(V1, 0, "earlier in the log")));
    buffer.addRenames(rename, 0);
    assertThat(buffer.segments()).hasSize(1);
    assertThat(buffer.firstOffset(StreamPartition.of("server", 0))).isEqualTo(0);
    add(ev.offset(5).insert(Row.of(V2, 2, "b", "x")));
    assertThat(buffer.segments()).extracting(s -> s.getClass().getSimpleName()).containsExactly("Data", "Renames", "Data");
  }

  @Test
  void aRenameBehindTheTablesChangesGoesBeforeTheChangesAfterItInTheLog() {
    Events ev = Events.of("db", "t", "id");
    add(ev.insert(Row.of(V1, 1, "a")));
    add(ev.insert(Row.of(V1, 2, "b")));
    var rename = ev.rename("server", 3, "name", "label");
    add(ev.insert(Row.of(V2, 3, "c", "x")));
    add(ev.insert(Row.of(V2, 4, "d", "y")));
    buffer.addRenames(rename, 0);
    assertThat(buffer.segments()).extracting(s -> s.getClass().getSimpleName()).containsExactly("Data", "Renames", "Data");
    assertThat(changes(buffer.segments().get(2))).hasSize(2);
    assertThat(buffer.recordCount()).isEqualTo(5);
    assertThat(buffer.firstOffset(StreamPartition.of("server", 0))).isEqualTo(3);
  }

  @Test
  void withoutSourcePositionsRenamesKeepTheirArrivalOrder() {
    StructType key = StructType.of(V1.field("id"));
    ChangeEvent unpositioned = ChangeEvent.builder(Operation.UPDATE).key(Row.of(key, 1)).after(Row.of(V1, 1, "x"))
        .rowSchema(V1).origin(Origin.of("t", 0, 0)).build();
    Events ev = Events.of("db", "t", "id");
    add(unpositioned);
    buffer.addRenames(ev.rename("server", 0, "name", "label"), 0);
    assertThat(buffer.segments()).extracting(s -> s.getClass().getSimpleName()).containsExactly("Data", "Renames");
  }
}
