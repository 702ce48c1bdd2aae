package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFileTest {
  @TempDir Path tmp;

  private static List<ConsumerRecord<byte[], byte[]>> read(Path file) throws Exception {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (RecordFile f = RecordFile.open(file)) {
      f.forEach(out::add);
    }
    return out;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void readsCorpusLinesByteForByteAndNumbersMissingOffsetsPerTopicPartition() throws Exception {
    Path file = tmp.resolve("records.jsonl");
    Files.writeString(file, String.join("\n",
        "{\"topic\":\"a\",\"key\":{\"id\":1},\"value\":{\"x\":1.7976931348623157E308,\"s\":\"\\uD83D\\uDE80\"}}",
        "{\"topic\":\"b\",\"partition\":2,\"key\":null,\"value\":null}",
        "",
        "{\"topic\":\"a\",\"key\":{\"id\":2},\"value\":\"{\\\"y\\\": 2}\",\"headers\":{\"h\":{\"k\":1}}}",
        "{\"topic\":\"a\",\"offset\":40,\"key\":{\"id\":3},\"value\":{}}"));

    List<ConsumerRecord<byte[], byte[]>> records = read(file);

    assertThat(records).extracting(ConsumerRecord::topic).containsExactly("a", "b", "a", "a");
    assertThat(records).extracting(ConsumerRecord::offset).containsExactly(0L, 0L, 1L, 40L);
    assertThat(records.get(1).partition()).isEqualTo(2);
    assertThat(text(records.get(0).value())).isEqualTo("{\"x\":1.7976931348623157E308,\"s\":\"\\uD83D\\uDE80\"}");
    assertThat(text(records.get(0).key())).isEqualTo("{\"id\":1}");
    assertThat(records.get(1).value()).isNull();
    assertThat(text(records.get(2).value())).isEqualTo("{\"y\": 2}");
    assertThat(text(records.get(2).headers().lastHeader("h").value())).isEqualTo("{\"k\":1}");
  }

  @Test
  void readsKcatJsonOutputFromAGzipFile() throws Exception {
    Path file = tmp.resolve("kcat.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(("{\"topic\":\"t\",\"partition\":1,\"offset\":7,\"tstype\":\"create\",\"ts\":1700000000000,"
          + "\"broker\":0,\"headers\":[\"__debezium.newkey\",\"{\\\"id\\\":5}\"],\"key\":\"{\\\"id\\\":4}\","
          + "\"payload\":\"{\\\"op\\\":\\\"d\\\"}\"}\n").getBytes(StandardCharsets.UTF_8));
    }

    ConsumerRecord<byte[], byte[]> r = read(file).get(0);

    assertThat(r.topic()).isEqualTo("t");
    assertThat(r.partition()).isEqualTo(1);
    assertThat(r.offset()).isEqualTo(7);
    assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(text(r.key())).isEqualTo("{\"id\":4}");
    assertThat(text(r.value())).isEqualTo("{\"op\":\"d\"}");
    assertThat(text(r.headers().lastHeader("__debezium.newkey").value())).isEqualTo("{\"id\":5}");
  }

  @Test
  void aBadLineIsAnErrorNamingFileAndLine() throws Exception {
    Path file = tmp.resolve("bad.jsonl");
    Files.writeString(file, "{\"topic\":\"a\",\"value\":{}}\n{\"value\":{}}\n");
    assertThatThrownBy(() -> read(file)).hasMessageContaining("bad.jsonl line 2 has no \"topic\"");
    Files.writeString(file, "not json\n");
    assertThatThrownBy(() -> read(file)).hasMessageContaining("bad.jsonl line 1");
  }
}
