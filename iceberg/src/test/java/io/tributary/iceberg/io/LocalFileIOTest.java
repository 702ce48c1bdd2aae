package io.tributary.iceberg.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileIOTest {
  @TempDir
  Path dir;

  private final LocalFileIO io = new LocalFileIO();

  @Test
  void bytesWrittenAreReadBackAtAnyPositionWhateverTheReadSizes() throws IOException {
    byte[] data = new byte[300_000];
    new Random(7).nextBytes(data);
    String location = dir.toUri() + "a/b/data.bin";
    OutputFile out = io.newOutputFile(location);
    try (PositionOutputStream stream = out.create()) {
      stream.write(data, 0, 10);
      stream.write(data[10]);
      stream.write(data, 11, data.length - 11);
      assertThat(stream.getPos()).isEqualTo(data.length);
    }
    InputFile in = io.newInputFile(location);
    assertThat(in.location()).isEqualTo(location);
    assertThat(in.getLength()).isEqualTo(data.length);
    try (SeekableInputStream stream = in.newStream()) {
      assertThat(stream.read()).isEqualTo(data[0] & 0xff);
      stream.seek(200_000);
      byte[] big = new byte[100_000];
      assertThat(stream.readNBytes(big, 0, big.length)).isEqualTo(big.length);
      assertThat(big).isEqualTo(Arrays.copyOfRange(data, 200_000, 300_000));
      assertThat(stream.read()).isEqualTo(-1);
      stream.seek(5);
      byte[] small = new byte[7];
      assertThat(stream.readNBytes(small, 0, 7)).isEqualTo(7);
      assertThat(small).isEqualTo(Arrays.copyOfRange(data, 5, 12));
      assertThat(stream.getPos()).isEqualTo(12);
      stream.seek(3);
      assertThat(stream.read()).isEqualTo(data[3] & 0xff);
      assertThat(stream.skip(1_000)).isEqualTo(1_000);
      assertThat(stream.read()).isEqualTo(data[1_004] & 0xff);
    }
  }

  @Test
  void createRefusesAnExistingFileAndCreateOrOverwriteReplacesIt() throws IOException {
    String location = dir.resolve("f.txt").toString();
    write(io.newOutputFile(location), "first, longer content");
    assertThatThrownBy(() -> io.newOutputFile(location).create()).isInstanceOf(AlreadyExistsException.class);
    try (PositionOutputStream stream = io.newOutputFile(location).createOrOverwrite()) {
      stream.write("second".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(read(io.newInputFile(location))).isEqualTo("second");
  }

  @Test
  void missingFilesAreNotFoundAndDeletesOfThemAreNoOps() {
    String location = dir.toUri() + "missing.parquet";
    assertThat(io.newInputFile(location).exists()).isFalse();
    assertThatThrownBy(() -> io.newInputFile(location).newStream()).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> io.newInputFile(location).getLength()).isInstanceOf(NotFoundException.class);
    io.deleteFile(location);
    assertThatThrownBy(() -> io.newInputFile("relative/path")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> io.newInputFile("file://host/tmp/x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prefixesListAndDeleteEveryFileBelowThemWithTheirLocationsInTheGivenForm() throws IOException {
    // like Hadoop's local file system: what follows file: is the path as it is
    String prefix = "file:" + dir + "/table with space";
    write(io.newOutputFile(prefix + "/data/one.parquet"), "1");
    write(io.newOutputFile(prefix + "/metadata/v1.metadata.json"), "22");
    assertThat(Files.exists(dir.resolve("table with space/data/one.parquet"))).isTrue();
    assertThat(io.listPrefix(prefix)).extracting(FileInfo::location, FileInfo::size)
        .containsExactlyInAnyOrder(
            Tuple.tuple(prefix + "/data/one.parquet", 1L),
            Tuple.tuple(prefix + "/metadata/v1.metadata.json", 2L));
    assertThat(read(io.newInputFile(io.listPrefix(prefix).iterator().next().location()))).isNotEmpty();
    io.deletePrefix(prefix);
    assertThat(Files.exists(dir.resolve("table with space"))).isFalse();
    assertThat(io.listPrefix(prefix)).isEmpty();
  }

  private static void write(OutputFile file, String content) throws IOException {
    try (PositionOutputStream stream = file.create()) {
      stream.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String read(InputFile file) throws IOException {
    try (InputStream stream = file.newStream()) {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
