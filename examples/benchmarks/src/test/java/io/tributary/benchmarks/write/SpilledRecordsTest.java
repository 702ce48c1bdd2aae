package io.tributary.benchmarks.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.benchmarks.CustomersData.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark reads back from its spill file exactly the records the generator made, and the file is deleted. */
class SpilledRecordsTest {
  @TempDir Path dir;

  @Test
  void readsBackTheGeneratedRecordsInOrder() {
    // 7 records in chunks of 3: the last chunk is short
    List<ConsumerRecord<byte[], byte[]>> expected = EventChunks.of(Workload.DELETE_10).next(7);
    Path file = dir.resolve("nested/records.spill");
    try (SpilledRecords records = SpilledRecords.write(file, EventChunks.of(Workload.DELETE_10), 7, 3)) {
      assertThat(records.count()).isEqualTo(7);
      assertThat(file).exists();
      assertThat(records.sizeInBytes()).isGreaterThan(expected.stream()
          .mapToLong(r -> r.key().length + r.value().length).sum());
      for (int pass = 0; pass < 2; pass++) {
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        try (SpilledRecords.Reader reader = records.open()) {
          for (ConsumerRecord<byte[], byte[]> r = reader.next(); r != null; r = reader.next()) {
            read.add(r);
          }
          assertThat(reader.next()).isNull();
        }
        assertThat(read).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
          ConsumerRecord<byte[], byte[]> want = expected.get(i);
          ConsumerRecord<byte[], byte[]> got = read.get(i);
          assertThat(got.topic()).isEqualTo(want.topic());
          assertThat(got.partition()).isEqualTo(want.partition());
          assertThat(got.offset()).isEqualTo(i).isEqualTo(want.offset());
          assertThat(got.key()).isEqualTo(want.key());
          assertThat(got.value()).isEqualTo(want.value());
        }
      }
      assertThat(records.first().value()).isEqualTo(expected.get(0).value());
    }
    assertThat(file).doesNotExist();
  }

  @Test
  void spillsNothingForNoRecords() {
    assertThatThrownBy(() -> SpilledRecords.write(dir.resolve("empty.spill"), EventChunks.of(Workload.INSERT_ONLY), 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dir.resolve("empty.spill")).doesNotExist();
  }
}
