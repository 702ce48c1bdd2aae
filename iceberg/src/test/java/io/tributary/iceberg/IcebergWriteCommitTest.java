package io.tributary.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.RecordException;
import io.tributary.core.Row;
import io.tributary.core.StreamPartition;
import io.tributary.core.TableId;
import io.tributary.core.Unavailable;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.RowChange;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.iceberg.io.LocalFileIO;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class IcebergWriteCommitTest extends IcebergSinkTestBase {

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void upsertsDeletesAndReinsertsAcrossCommits(int formatVersion) {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.FORMAT_VERSION.name(), "" + formatVersion));
    sink.create(TABLE, CUSTOMERS, List.of("id"));

    commitBatch(sink, TABLE, List.of(
        upsert(customer(1, "ann", "a")), upsert(customer(2, "bob", "b")), upsert(customer(3, "cy", "c"))));
    // update in a later commit (equality delete), twice in one batch (position delete), delete, re-insert
    commitBatch(sink, TABLE, List.of(
        upsert(customer(1, "ann2", "a")), upsert(customer(2, "bob2", "b")), upsert(customer(2, "bob3", "b")),
        delete(3)));
    commitBatch(sink, TABLE, List.of(upsert(customer(3, "cy again", null)), delete(1)));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann back", "x")), delete(1), upsert(customer(1, "ann final", "y"))));

    assertThat(maps(sink, TABLE)).containsExactly(
        Map.of("id", 1, "name", "ann final", "bio", "y"),
        Map.of("id", 2, "name", "bob3", "bio", "b"),
        mapOf("id", 3, "name", "cy again", "bio", null));
    assertThat(sink.lastCommitted(TABLE, SINK).nextOffset(StreamPartition.of(TOPIC, 0))).isEqualTo(offsets.get());
  }

  @ParameterizedTest(name = "manifest work on the {0}")
  @EnumSource(IcebergSinkConfig.ManifestWork.class)
  void manifestWorkRunsWhereConfiguredAndMergesManifests(IcebergSinkConfig.ManifestWork where) {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.MANIFEST_WORK.name(), where.name().toLowerCase(),
        IcebergSinkConfig.TABLE_PROPERTIES_PREFIX + "commit.manifest.min-count-to-merge", "2"));
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    for (int i = 1; i <= 4; i++) {
      commitBatch(sink, TABLE, List.of(upsert(customer(i, "c" + i, null)), upsert(customer(1, "first" + i, null))));
    }

    assertThat(maps(sink, TABLE)).extracting(m -> m.get("name")).containsExactly("first4", "c2", "c3", "c4");
    Table table = sink.loadTable(TABLE);
    // merging kept the manifests fewer than the commits that wrote them
    assertThat(table.currentSnapshot().allManifests(table.io())).hasSizeLessThan(8);
  }

  @Test
  void tablePropertiesGovernTheParquetFilesOfDataAndDeletes() throws Exception {
    IcebergTableSink sink = sink(Map.of(
        IcebergSinkConfig.TABLE_PROPERTIES_PREFIX + "write.parquet.compression-codec", "snappy",
        IcebergSinkConfig.TABLE_PROPERTIES_PREFIX + "write.metadata.metrics.default", "none",
        IcebergSinkConfig.TABLE_PROPERTIES_PREFIX + "write.metadata.metrics.column.id", "full"));
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", "a")), upsert(customer(2, "bob", "b"))));

    Table table = sink.loadTable(TABLE);
    int idField = table.schema().findField("id").fieldId();
    List<ContentFile<?>> files = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(files::add);
    table.currentSnapshot().addedDeleteFiles(table.io()).forEach(files::add);
    assertThat(files).extracting(f -> f.content())
        .containsExactlyInAnyOrder(FileContent.DATA, FileContent.EQUALITY_DELETES);
    for (ContentFile<?> file : files) {
      // metrics only for the column the properties ask them for
      assertThat(file.lowerBounds()).as(file.location()).containsOnlyKeys(idField);
      try (ParquetFileReader reader = ParquetFileReader.open(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.location()), new Configuration()))) {
        assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(0).getCodec()).as(file.location())
            .isEqualTo(CompressionCodecName.SNAPPY);
      }
    }
  }

  @Test
  void aLocalWarehouseWritesEachTableFileOnceWithoutHadoopSideFiles() throws Exception {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", "a")), upsert(customer(2, "bob", "b"))));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann2", "a")), delete(2)));

    assertThat(maps(sink, TABLE)).containsExactly(Map.of("id", 1, "name", "ann2", "bio", "a"));
    try (Stream<Path> files = Files.walk(warehouse.resolve(TABLE.namespace()))) {
      assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList())
          .anyMatch(name -> name.endsWith(".parquet"))
          .anyMatch(name -> name.endsWith(".metadata.json"))
          .noneMatch(name -> name.endsWith(".crc"));
    }
    try (JdbcCatalog catalog = new JdbcCatalog()) {
      catalog.initialize(IcebergTableSink.DEFAULT_CATALOG_NAME, IcebergTableSink.localWarehouseProperties(warehouse));
      assertThat(catalog.loadTable(TableIdentifier.of(TABLE.namespace(), TABLE.name())).io())
          .isInstanceOf(LocalFileIO.class);
    }
  }

  static Map<String, Object> mapOf(Object... kv) {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @ParameterizedTest(name = "format v{0}")
  @ValueSource(ints = {2, 3})
  void keylessTableDeletesByFullRow(int formatVersion) {
    IcebergTableSink sink = sink(Map.of(IcebergSinkConfig.FORMAT_VERSION.name(), "" + formatVersion));
    TableId log = TableId.of("shop", "log");
    StructType schema = StructType.of(
        Field.required("id", Types.LongType.get()), Field.optional("msg", Types.StringType.get()),
        Field.optional("score", Types.DoubleType.get()),
        Field.optional("tags", Types.ListType.of(Types.StringType.get(), true)));
    sink.create(log, schema, List.of());
    assertThat(sink.describe(log).orElseThrow().keyColumns()).isEmpty();

    commitBatch(sink, log, List.of(
        RowChange.upsert(null, Row.of(schema, 1L, "a", 1.5, List.of("x")), origin()),
        RowChange.upsert(null, Row.of(schema, 2L, "b", null, null), origin()),
        RowChange.upsert(null, Row.of(schema, 3L, "c", 3.0, List.of()), origin())));
    commitBatch(sink, log, List.of(
        RowChange.delete(null, Row.of(schema, 2L, "b", null, null), origin()),
        // not in the table: deletes nothing, because every primitive column must match
        RowChange.delete(null, Row.of(schema, 1L, "a", 9.9, List.of("x")), origin()),
        RowChange.upsert(null, Row.of(schema, 4L, "d", 4.0, List.of("y")), origin()),
        RowChange.delete(null, Row.of(schema, 4L, "d", 4.0, List.of("y")), origin())));

    assertThat(rows(sink, log)).containsExactly(
        Row.of(schema, 1L, "a", 1.5, List.of("x")), Row.of(schema, 3L, "c", 3.0, List.of()));
  }

  @Test
  void writersOfOneGroupStartingTogetherAllCreateTheSameTable() throws Exception {
    // runners of one consumer group start at once: each sink meets the missing namespace and table
    int writers = 4;
    List<IcebergTableSink> racing = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      racing.add(sink());
    }
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(writers);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      List<java.util.concurrent.Future<io.tributary.core.sink.TableDescriptor>> created = new ArrayList<>();
      for (IcebergTableSink s : racing) {
        created.add(pool.submit(() -> {
          start.await();
          return s.create(TABLE, CUSTOMERS, List.of("id"));
        }));
      }
      for (var f : created) {
        assertThat(f.get().keyColumns()).containsExactly("id");
      }
    } finally {
      pool.shutdownNow();
    }
    for (IcebergTableSink s : racing) {
      commitBatch(s, TABLE, List.of(upsert(customer(offsets.intValue(), "n", null))));
    }
    assertThat(rows(sink(), TABLE)).hasSize(writers);
  }

  @Test
  void toastKeepsValueFromTableAndFromSameBatch() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", "long bio 1")), upsert(customer(2, "bob", "long bio 2"))));

    commitBatch(sink, TABLE, List.of(
        // value from the table
        upsert(Row.of(CUSTOMERS, 1, "ann2", Unavailable.VALUE)),
        // value from an earlier change of the same batch
        upsert(customer(3, "cy", "bio 3")),
        upsert(Row.of(CUSTOMERS, 3, "cy2", Unavailable.VALUE)),
        // a new value followed by an unavailable one keeps the new value
        upsert(customer(2, "bob2", "new bio 2")),
        upsert(Row.of(CUSTOMERS, 2, "bob3", Unavailable.VALUE))));

    assertThat(maps(sink, TABLE)).containsExactly(
        Map.of("id", 1, "name", "ann2", "bio", "long bio 1"),
        Map.of("id", 2, "name", "bob3", "bio", "new bio 2"),
        Map.of("id", 3, "name", "cy2", "bio", "bio 3"));
  }

  @Test
  void batchThatReadAKeyChangedConcurrentlyIsRejectedAsRetryable() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", "old bio"))));
    // this writer reads the table as of now; its TOAST value would be stale after the next commit
    TableWriter stale = sink.newWriter(TABLE);
    stale.write(upsert(Row.of(CUSTOMERS, 1, "ann3", Unavailable.VALUE)));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann2", "new bio"))));
    WriteResult result = stale.complete();
    CommitRequest staleRequest = new CommitRequest(SINK, "stale", Map.of(StreamPartition.of(TOPIC, 0), 2L), Map.of());
    assertThatThrownBy(() -> sink.commit(TABLE, result, staleRequest))
        .isInstanceOf(io.tributary.core.RetryableException.class)
        .hasMessageContaining("shop.customers")
        .hasMessageContaining("write the batch again");
    assertThat(maps(sink, TABLE)).containsExactly(Map.of("id", 1, "name", "ann2", "bio", "new bio"));
    // written again, the batch takes the current value
    commitBatch(sink, TABLE, List.of(upsert(Row.of(CUSTOMERS, 1, "ann3", Unavailable.VALUE))));
    assertThat(maps(sink, TABLE)).containsExactly(Map.of("id", 1, "name", "ann3", "bio", "new bio"));
  }

  @Test
  void unavailableRequiredValueOfAnUnknownKeyFailsTheBatchNamingTheRecord() {
    IcebergTableSink sink = sink();
    StructType schema = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.required("status", Types.StringType.get()));
    TableId t = TableId.of("shop", "statuses");
    sink.create(t, schema, List.of("id"));
    TableWriter writer = sink.newWriter(t);
    RowChange toast = RowChange.upsert(Row.of(KEY, 9), Row.of(schema, 9, Unavailable.VALUE), origin());
    writer.write(toast);
    assertThatThrownBy(writer::complete).isInstanceOf(RecordException.class)
        .hasMessageContaining("status").hasMessageContaining("offset " + toast.origin().offset());
    assertThat(sink.read(t)).isEmpty();
  }

  @Test
  void unconvertibleRowThrowsRecordExceptionAndWriterStaysUsable() {
    IcebergTableSink sink = sink();
    StructType schema = StructType.of(
        Field.required("id", Types.IntegerType.get()),
        Field.optional("price", Types.DecimalType.of(5, 2)));
    TableId t = TableId.of("shop", "prices");
    sink.create(t, schema, List.of("id"));
    TableWriter writer = sink.newWriter(t);
    writer.write(RowChange.upsert(Row.of(KEY, 1), Row.of(schema, 1, new java.math.BigDecimal("1.50")), origin()));
    RowChange bad = RowChange.upsert(Row.of(KEY, 2), Row.of(schema, 2, new java.math.BigDecimal("1.505")), origin());
    assertThatThrownBy(() -> writer.write(bad))
        .isInstanceOf(RecordException.class)
        .hasMessageContaining("price")
        .hasMessageContaining("offset " + bad.origin().offset())
        .hasMessageContaining("shop.prices");
    StructType missingKey = StructType.of(Field.optional("price", Types.DecimalType.of(5, 2)));
    assertThatThrownBy(() -> writer.write(
        RowChange.upsert(null, Row.of(missingKey, new java.math.BigDecimal("2.00")), origin())))
        .isInstanceOf(RecordException.class).hasMessageContaining("id");
    writer.write(RowChange.upsert(Row.of(KEY, 3), Row.of(schema, 3, new java.math.BigDecimal("3")), origin()));
    sink.commit(t, writer.complete(), request(offsets.get()));
    assertThat(rows(sink, t)).containsExactly(
        Row.of(schema, 1, new java.math.BigDecimal("1.50")), Row.of(schema, 3, new java.math.BigDecimal("3.00")));
  }

  @Test
  void commitIsIdempotentPerTokenAndEmptyCommitsAdvanceOffsets() throws Exception {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    WriteResult result = write(sink, TABLE, List.of(upsert(customer(1, "ann", null))));
    // the result survives Java serialization, as a distributed engine ships it
    WriteResult shipped = roundTrip(result);
    CommitRequest request = new CommitRequest(SINK, "checkpoint-7", Map.of(StreamPartition.of(TOPIC, 0), 1L), Map.of());
    sink.commit(TABLE, shipped, request);
    Table table = sink.loadTable(TABLE);
    int snapshots = count(table.snapshots());
    sink.commit(TABLE, shipped, request);
    table.refresh();
    assertThat(count(table.snapshots())).isEqualTo(snapshots);
    assertThat(sink.read(TABLE)).hasSize(1);

    WriteResult empty = write(sink, TABLE, List.of());
    assertThat(empty.isEmpty()).isTrue();
    sink.commit(TABLE, empty, new CommitRequest(SINK, "checkpoint-8", Map.of(StreamPartition.of(TOPIC, 0), 5L),
        Map.of(StreamPartition.of(TOPIC, 0), 4L)));
    CommittedState state = sink.lastCommitted(TABLE, SINK);
    assertThat(state.nextOffset(StreamPartition.of(TOPIC, 0))).isEqualTo(5L);
    assertThat(state.watermarks()).containsEntry(StreamPartition.of(TOPIC, 0), 4L);
    assertThat(state.lastToken()).isEqualTo("checkpoint-8");
    assertThat(sink.read(TABLE)).hasSize(1);
    assertThat(sink.lastCommitted(TABLE, "other-sink")).isEqualTo(CommittedState.none());
    assertThat(sink.lastCommitted(TableId.of("shop", "missing"), SINK)).isEqualTo(CommittedState.none());
  }

  @Test
  void lastCommittedMergesPartitionsAcrossCommits() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    StreamPartition p0 = StreamPartition.of(TOPIC, 0);
    StreamPartition p1 = StreamPartition.of(TOPIC, 1);
    StreamPartition other = StreamPartition.of("db.shop.orders", 0);
    sink.commit(TABLE, write(sink, TABLE, List.of(upsert(customer(1, "a", null)))),
        new CommitRequest(SINK, "a", Map.of(p0, 10L, p1, 3L), Map.of()));
    sink.commit(TABLE, write(sink, TABLE, List.of(upsert(customer(2, "b", null)))),
        new CommitRequest(SINK, "b", Map.of(p1, 8L, other, 2L), Map.of()));
    // another sink id on the same table does not mix in
    sink.commit(TABLE, write(sink, TABLE, List.of()), new CommitRequest("other", "x", Map.of(p0, 99L), Map.of()));

    CommittedState state = sink.lastCommitted(TABLE, SINK);
    assertThat(state.nextOffsets()).isEqualTo(Map.of(p0, 10L, p1, 8L, other, 2L));
    assertThat(state.lastToken()).isEqualTo("b");
    Snapshot last = sink.loadTable(TABLE).currentSnapshot();
    assertThat(last.summary()).containsEntry("tributary.other.offsets", "{\"" + TOPIC + "-0\":99}");
  }

  @Test
  void truncateDeletesEverythingThenInsertsWork() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "a", null)), upsert(customer(2, "b", null))));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "a2", null)), delete(2)));
    sink.truncate(TABLE, new CommitRequest(SINK, "truncate-1", Map.of(StreamPartition.of(TOPIC, 0), 100L), Map.of()));
    assertThat(sink.read(TABLE)).isEmpty();
    assertThat(sink.lastCommitted(TABLE, SINK).nextOffset(StreamPartition.of(TOPIC, 0))).isEqualTo(100L);
    Table table = sink.loadTable(TABLE);
    assertThat(table.currentSnapshot().summary()).containsEntry("total-delete-files", "0");
    offsets.set(100);
    commitBatch(sink, TABLE, List.of(upsert(customer(2, "b again", null))));
    assertThat(maps(sink, TABLE)).containsExactly(mapOfNull(2, "b again"));
  }

  private static Map<String, Object> mapOfNull(int id, String name) {
    return mapOf("id", id, "name", name, "bio", null);
  }

  @Test
  void aTableDroppedAndCreatedAgainBetweenBatchesIsWrittenAsTheNewTable() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(1, "ann", "a"))));
    IcebergTableSink other = sink();
    assertThat(other.catalog().dropTable(TableIdentifier.of("shop", "customers"), false)).isTrue();
    other.create(TABLE, CUSTOMERS, List.of("id"));

    commitBatch(sink, TABLE, List.of(upsert(customer(2, "bob", "b"))));
    assertThat(maps(other, TABLE)).containsExactly(Map.of("id", 2, "name", "bob", "bio", "b"));
  }

  @Test
  void concurrentCommitsFromTwoSinksLoseNothing() throws Exception {
    IcebergTableSink first = sink();
    first.create(TABLE, CUSTOMERS, List.of("id"));
    IcebergTableSink second = sink();
    int batches = 6;
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < 2; w++) {
      int worker = w;
      IcebergTableSink s = worker == 0 ? first : second;
      threads.add(new Thread(() -> {
        try {
          for (int b = 0; b < batches; b++) {
            List<RowChange> changes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
              int id = worker * 1000 + b * 10 + i;
              changes.add(RowChange.upsert(Row.of(KEY, id), customer(id, "w" + worker, null),
                  io.tributary.core.Origin.of(TOPIC, worker, b)));
            }
            WriteResult r = write(s, TABLE, changes);
            s.commit(TABLE, r, new CommitRequest(SINK, "w" + worker + "-" + b,
                Map.of(StreamPartition.of(TOPIC, worker), (long) b + 1), Map.of()));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(errors).isEmpty();
    assertThat(first.read(TABLE)).hasSize(2 * batches * 5);
    assertThat(first.lastCommitted(TABLE, SINK).nextOffsets()).isEqualTo(Map.of(
        StreamPartition.of(TOPIC, 0), (long) batches, StreamPartition.of(TOPIC, 1), (long) batches));
  }

  @Test
  void localCatalogTablesAreReadableByAFreshCatalog() {
    IcebergTableSink sink = sink();
    sink.create(TABLE, CUSTOMERS, List.of("id"));
    commitBatch(sink, TABLE, List.of(upsert(customer(7, "g", "h"))));
    sink.close();
    sinks.remove(sink);

    org.apache.iceberg.catalog.Catalog fresh = org.apache.iceberg.CatalogUtil.buildIcebergCatalog(IcebergTableSink.DEFAULT_CATALOG_NAME,
        IcebergTableSink.localWarehouseProperties(warehouse), new org.apache.hadoop.conf.Configuration());
    try (IcebergTableSink reader = IcebergTableSink.builder().catalog(fresh).build()) {
      assertThat(reader.listTables()).containsExactly(TABLE);
      assertThat(reader.describe(TABLE).orElseThrow().keyColumns()).containsExactly("id");
      assertThat(maps(reader, TABLE)).containsExactly(Map.of("id", 7, "name", "g", "bio", "h"));
    }
    assertThat(warehouse.resolve("catalog.db")).exists();
  }

  static int count(Iterable<?> it) {
    int n = 0;
    for (Object o : it) {
      n++;
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  static <T> T roundTrip(T value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (T) in.readObject();
    }
  }
}
