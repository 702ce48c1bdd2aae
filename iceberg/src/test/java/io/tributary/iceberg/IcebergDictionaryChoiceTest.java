package io.tributary.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.sink.RowChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which columns the sink writes with a Parquet dictionary, as seen in the footers of the files it commits. */
class IcebergDictionaryChoiceTest extends IcebergSinkTestBase {
  private static final int BATCH = 1000;
  private static final String[] NAMES = {"ann", "bob", "cy"};

  @Test
  void aColumnOfDistinctValuesLosesItsDictionaryFromTheNextBatchUntilItsValuesRepeat() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));

    commitBatch(sink, TABLE, batch(0, i -> "bio of customer " + i));
    // the first batch found every bio distinct: the second writes them plain, though its own repeat
    commitBatch(sink, TABLE, batch(1, i -> "same bio"));
    assertThat(dictionaryColumns(sink)).containsExactly("name");
    // the second batch's sample saw the repetition: the dictionary is back
    commitBatch(sink, TABLE, batch(2, i -> "same bio"));
    assertThat(dictionaryColumns(sink)).containsExactly("name", "bio");

    List<Map<String, Object>> rows = maps(sink, TABLE);
    assertThat(rows).hasSize(3 * BATCH);
    assertThat(rows.get(7)).isEqualTo(Map.of("id", 7, "name", NAMES[1], "bio", "bio of customer 7"));
    assertThat(rows.get(BATCH + 7))
        .isEqualTo(Map.of("id", BATCH + 7, "name", NAMES[(BATCH + 7) % NAMES.length], "bio", "same bio"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"the table property sets the column's encoding", "sampling is off"})
  void everyBatchStartsWithADictionaryWhen(String when) {
    IcebergTableSink sink = sink(when.startsWith("sampling")
        ? Map.of(IcebergSinkConfig.DICTIONARY_SAMPLING.name(), "false")
        : Map.of(IcebergSinkConfig.TABLE_PROPERTIES_PREFIX + "write.parquet.dict-encoding-enabled.column.bio", "true"));
    sink.create(TABLE, CUSTOMERS, List.of("id"));

    commitBatch(sink, TABLE, batch(0, i -> "bio of customer " + i));
    commitBatch(sink, TABLE, batch(1, i -> "same bio"));

    assertThat(dictionaryColumns(sink)).contains("bio");
    assertThat(maps(sink, TABLE)).hasSize(2 * BATCH);
  }

  /** Upserts of {@value #BATCH} new customers: ids and bios from the given batch number, three names in turn. */
  private List<RowChange> batch(int number, IntFunction<String> bio) {
    List<RowChange> changes = new ArrayList<>();
    for (int id = number * BATCH; id < (number + 1) * BATCH; id++) {
      changes.add(upsert(customer(id, NAMES[id % NAMES.length], bio.apply(id))));
    }
    return changes;
  }

  /** The columns with a dictionary page in the data file of the table's latest commit. */
  private static List<String> dictionaryColumns(IcebergTableSink sink) {
    Table table = sink.loadTable(TABLE);
    List<DataFile> files = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
    assertThat(files).hasSize(1);
    try (ParquetFileReader reader = ParquetFileReader.open(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(files.get(0).location()), new Configuration()))) {
      return reader.getFooter().getBlocks().get(0).getColumns().stream()
          .filter(ColumnChunkMetaData::hasDictionaryPage)
          .map(c -> c.getPath().toDotString())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
