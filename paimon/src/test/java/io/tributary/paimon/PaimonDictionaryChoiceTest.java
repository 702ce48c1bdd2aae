package io.tributary.paimon;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Origin;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.paimon.shade.org.apache.parquet.ParquetReadOptions;
import org.apache.paimon.shade.org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.paimon.shade.org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.paimon.shade.org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.paimon.shade.org.apache.parquet.io.InputFile;
import org.apache.paimon.shade.org.apache.parquet.io.LocalInputFile;
import org.apache.paimon.shade.org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which columns the sink's Paimon writes give a Parquet dictionary, as seen in the footers of new data files. */
class PaimonDictionaryChoiceTest {
  private static final String TOPIC = "db.inventory.customers";
  private static final TableId TABLE = TableId.of("inventory", "customers");
  private static final StructType CUSTOMERS = StructType.of(
      Field.required("id", Types.IntegerType.get()),
      Field.optional("name", Types.StringType.get()),
      Field.optional("email", Types.StringType.get()));
  private static final int BATCH = 1000;
  private static final String[] NAMES = {"ann", "bob", "cy"};

  @TempDir Path warehouse;
  private PaimonTableSink sink;
  private long offset;
  private final Set<Path> seenFiles = new HashSet<>();

  @AfterEach
  void close() {
    sink.close();
  }

  @Test
  void aColumnOfDistinctValuesLosesItsDictionaryFromTheNextBatchUntilItsValuesRepeat() {
    open(Map.of());
    commit(0, i -> "customer" + i + "@example.com");
    assertThat(dictionaryColumnsOfNewFiles()).contains("name");
    // the first batch found every email and id distinct: the second writes them plain, though its emails repeat
    commit(1, i -> "same@example.com");
    assertThat(dictionaryColumnsOfNewFiles()).containsExactly("_VALUE_KIND", "name");
    // the second batch's sample saw the repetition: the email dictionary is back
    commit(2, i -> "same@example.com");
    assertThat(dictionaryColumnsOfNewFiles()).containsExactly("_VALUE_KIND", "email", "name");

    List<Row> rows = sink.read(TABLE);
    assertThat(rows).hasSize(3 * BATCH);
    assertThat(rows).extracting(Row::toMap)
        .contains(Map.of("id", 7, "name", "bob", "email", "customer7@example.com"))
        .contains(Map.of("id", BATCH + 7, "name", NAMES[(BATCH + 7) % 3], "email", "same@example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"the table option sets the column's encoding", "sampling is off"})
  void repeatingValuesKeepTheirDictionaryWhen(String when) {
    open(when.startsWith("sampling")
        ? Map.of(PaimonSinkConfig.DICTIONARY_SAMPLING.name(), "false")
        : Map.of(PaimonSinkConfig.TABLE_OPTIONS_PREFIX + "parquet.enable.dictionary#email", "true"));
    commit(0, i -> "customer" + i + "@example.com");
    commit(1, i -> "same@example.com");

    assertThat(dictionaryColumnsOfNewFiles()).contains("email", "name");
    assertThat(sink.read(TABLE)).hasSize(2 * BATCH);
  }

  private void open(Map<String, String> settings) {
    Map<String, String> all = new java.util.HashMap<>(settings);
    all.put(PaimonSinkConfig.BUCKET.name(), "2");
    sink = PaimonTableSink.builder().localWarehouse(warehouse).settings(Settings.of(all)).build();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
  }

  /** Commits upserts of {@value #BATCH} new customers: ids and emails from the batch number, three names in turn. */
  private void commit(int number, IntFunction<String> email) {
    try (TableWriter writer = sink.newWriter(TABLE)) {
      for (int id = number * BATCH; id < (number + 1) * BATCH; id++) {
        Row row = Row.of(CUSTOMERS, id, NAMES[id % NAMES.length], email.apply(id));
        writer.write(RowChange.upsert(Row.of(StructType.of(CUSTOMERS.field(0)), id), row,
            Origin.of(TOPIC, 0, offset++)));
      }
      sink.commit(TABLE, writer.complete(), new CommitRequest("sink-1", Long.toString(number),
          Map.of(StreamPartition.of(TOPIC, 0), offset), Map.of()));
    }
  }

  /** The columns with a dictionary page in any data file written since the last call. */
  private Set<String> dictionaryColumnsOfNewFiles() {
    Set<String> columns = new TreeSet<>();
    try (Stream<Path> files = Files.walk(warehouse)) {
      List<Path> added = files.filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(seenFiles::add)
          .toList();
      assertThat(added).isNotEmpty();
      for (Path file : added) {
        InputFile in = new LocalInputFile(file);
        try (SeekableInputStream stream = in.newStream()) {
          for (BlockMetaData block
              : ParquetFileReader.readFooter(in, ParquetReadOptions.builder().build(), stream).getBlocks()) {
            block.getColumns().stream()
                .filter(ColumnChunkMetaData::hasDictionaryPage)
                .forEach(c -> columns.add(c.getPath().toDotString()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return columns;
  }
}
