package io.tributary.benchmarks.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.CustomersData.Customer;
import io.tributary.benchmarks.CustomersData.Workload;
import io.tributary.core.TableId;
import io.tributary.iceberg.IcebergTableSink;
import io.tributary.paimon.PaimonTableSink;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.paimon.data.InternalRow;
import org.apache.paimon.reader.RecordReader;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.source.ReadBuilder;
import org.apache.paimon.types.RowKind;
import org.apache.paimon.types.RowType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the write benchmark measures is a correct write: after a run (Tributary from the spilled records, then the
 * ceilings in their own pass), Tributary's tables and the ceiling writers' tables hold exactly the generator's
 * final source state, row by row, in both formats.
 */
class WriteRunTest {
  private static final int EVENTS = 2000;

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(Workload.class)
  void tablesHoldTheSourceState(Workload workload) throws Exception {
    try (WriteRun run = new WriteRun(workload, List.of(Format.values()), dir, 1000)) {
      run.run(EVENTS);
      assertThat(WriteRun.spillFile(dir, workload)).as("the spilled records are deleted after the run").doesNotExist();
      SortedMap<Integer, Customer> source = run.source().sourceState();
      assertThat(run.source().count()).isEqualTo(EVENTS);
      assertThat(source).hasSizeGreaterThan(EVENTS / 3);

      IcebergTableSink iceberg = (IcebergTableSink) run.sink(Format.ICEBERG);
      List<String> icebergCeilings = workload == Workload.INSERT_ONLY
          ? List.of("ceiling-append", "ceiling-upsert") : List.of("ceiling-upsert");
      List<TableId> icebergTables = new ArrayList<>(List.of(Replay.TABLE));
      icebergCeilings.forEach(c -> icebergTables.add(WriteRun.ceilingTable(c)));
      for (TableId id : icebergTables) {
        Table table = iceberg.loadTable(id);
        Map<Integer, Record> expected = new HashMap<>();
        source.forEach((key, c) -> expected.put(key, CeilingRows.iceberg(table.schema(), c)));
        assertSameRows("Iceberg table " + id, icebergRows(table), expected);
      }

      PaimonTableSink paimon = (PaimonTableSink) run.sink(Format.PAIMON);
      for (TableId id : List.of(Replay.TABLE, WriteRun.ceilingTable("ceiling-pk"))) {
        FileStoreTable table = WriteRun.paimonTable(paimon, id);
        Map<Integer, List<Object>> expected = new HashMap<>();
        source.forEach((key, c) ->
            expected.put(key, values(table.rowType(), CeilingRows.paimon(table.rowType(), c, RowKind.INSERT))));
        assertSameRows("Paimon table " + id, paimonRows(table), expected);
      }
    }
  }

  /** Fails with the first few differing keys, not with both tables printed. */
  private static <V> void assertSameRows(String what, Map<Integer, V> actual, Map<Integer, V> expected) {
    List<String> differences = new ArrayList<>();
    for (Map.Entry<Integer, V> e : expected.entrySet()) {
      V found = actual.get(e.getKey());
      if (!e.getValue().equals(found)) {
        differences.add("key " + e.getKey() + ": expected " + e.getValue() + " but found " + found);
      }
    }
    for (Integer key : actual.keySet()) {
      if (!expected.containsKey(key)) {
        differences.add("key " + key + " is not in the source: " + actual.get(key));
      }
    }
    assertThat(differences.subList(0, Math.min(3, differences.size())))
        .as("%s: %d of %d rows differ", what, differences.size(), expected.size()).isEmpty();
  }

  private static Map<Integer, Record> icebergRows(Table table) throws Exception {
    Map<Integer, Record> rows = new HashMap<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record read : records) {
        // a scan that applies position deletes adds the _pos column to the records it returns
        Record r = GenericRecord.create(table.schema());
        for (int i = 0; i < table.schema().columns().size(); i++) {
          r.set(i, read.get(i, Object.class));
        }
        assertThat(rows.put((Integer) r.getField("id"), r)).as("duplicate key %s in %s", r.getField("id"), table.name()).isNull();
      }
    }
    return rows;
  }

  private static Map<Integer, List<Object>> paimonRows(FileStoreTable table) throws Exception {
    Map<Integer, List<Object>> rows = new HashMap<>();
    ReadBuilder builder = table.newReadBuilder();
    try (RecordReader<InternalRow> reader = builder.newRead().createReader(builder.newScan().plan())) {
      reader.forEachRemaining(row -> {
        List<Object> values = values(table.rowType(), row);
        assertThat(rows.put((Integer) values.get(0), values)).isNull();
      });
    }
    return rows;
  }

  /** A row's values, comparable with equals (byte arrays wrapped). */
  private static List<Object> values(RowType type, InternalRow row) {
    List<Object> values = new ArrayList<>();
    for (int i = 0; i < type.getFieldCount(); i++) {
      Object v = InternalRow.createFieldGetter(type.getTypeAt(i), i).getFieldOrNull(row);
      values.add(v instanceof byte[] b ? ByteBuffer.wrap(b) : v);
    }
    return values;
  }
}
