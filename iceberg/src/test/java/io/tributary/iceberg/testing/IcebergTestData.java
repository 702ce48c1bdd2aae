package io.tributary.iceberg.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;

/**
 * Small helpers to write and read Iceberg tables in tests with Iceberg's generic data model: build records, write an
 * unpartitioned Parquet data file through the table's {@code FileIO}, and read a table back as value lists.
 */
public final class IcebergTestData {

  private IcebergTestData() {
  }

  /** A record of the schema with the given values in field order (nulls allowed). */
  public static Record record(Schema schema, Object... values) {
    GenericRecord record = GenericRecord.create(schema);
    for (int i = 0; i < values.length; i++) {
      record.set(i, values[i]);
    }
    return record;
  }

  /**
   * Writes the records to a new Parquet data file in the table's data location (unpartitioned spec, current schema);
   * the file is not committed. {@code taskId} keeps file names of concurrent writers apart.
   */
  public static DataFile writeParquet(Table table, int taskId, List<Record> records) {
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET)
        .build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, taskId).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer = writers.newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      records.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a data file for " + table.name(), e);
    }
    return writer.toDataFile();
  }

  /**
   * All live rows of the table's current snapshot as value lists in schema order (nulls kept), sorted by the first
   * column, which must be comparable.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static List<List<Object>> readRows(Table table) {
    List<List<Object>> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record record : records) {
        Object[] values = new Object[record.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = record.get(i);
        }
        rows.add(Arrays.asList(values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + table.name(), e);
    }
    rows.sort(Comparator.comparing(row -> (Comparable) row.get(0)));
    return rows;
  }

  /** A row as a value list that may hold nulls, to compare with {@link #readRows(Table)}. */
  public static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }
}
