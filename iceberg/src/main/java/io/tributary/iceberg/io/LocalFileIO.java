package io.tributary.iceberg.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Iceberg {@code FileIO} for warehouses on a local disk, on {@code java.nio} alone.
 *
 * <p>Hadoop's local file system, behind Iceberg's {@code HadoopFileIO}, starts a {@code chmod} process for every
 * file it creates (and one for its {@code .crc} side file) unless Hadoop's native library is installed, which a
 * library on a Maven class path never has: a dozen processes per commit. This one writes each file once, without
 * side files, and forces it to disk when it is closed, so that a catalog commit never points at a file that a power
 * loss could take back.
 *
 * <p>Locations are {@code file:} URIs or plain absolute paths and are kept as given: files this writes are named in
 * table metadata exactly as Iceberg's location provider named them. As with Hadoop's local file system, the part
 * after {@code file:} is the path as it is, without percent-decoding, so tables written before through
 * {@code HadoopFileIO}, or read by an engine that uses it, name the same files.
 */
public final class LocalFileIO implements SupportsPrefixOperations {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER_SIZE = 64 * 1024;

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInputFile(location, pathOf(location), -1);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return new LocalInputFile(location, pathOf(location), length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutputFile(location, pathOf(location));
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(pathOf(location));
    } catch (IOException e) {
      throw new RuntimeIOException(e, "cannot delete %s", location);
    }
  }

  /** Every regular file under the directory {@code prefix} names, at any depth. */
  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = pathOf(prefix);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    String base = prefix.endsWith("/") ? prefix : prefix + "/";
    List<FileInfo> found = new ArrayList<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        BasicFileAttributes attrs = Files.readAttributes(p, BasicFileAttributes.class);
        if (attrs.isRegularFile()) {
          String relative = root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
          found.add(new FileInfo(base + relative, attrs.size(), attrs.lastModifiedTime().toMillis()));
        }
      }
    } catch (IOException e) {
      throw new RuntimeIOException(e, "cannot list %s", prefix);
    } catch (UncheckedIOException e) {
      // a directory that could not be read during the walk
      throw new RuntimeIOException(e.getCause(), "cannot list %s", prefix);
    }
    return found;
  }

  /** Deletes the directory {@code prefix} names with everything in it. */
  @Override
  public void deletePrefix(String prefix) {
    Path root = pathOf(prefix);
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new RuntimeIOException(e, "cannot delete %s", prefix);
    }
  }

  /** The local path of a {@code file:} location ({@code file:/p} or {@code file:///p}) or an absolute path. */
  static Path pathOf(String location) {
    String raw = location;
    if (raw.startsWith("file:")) {
      raw = raw.substring("file:".length());
      if (raw.startsWith("//")) {
        int slash = raw.indexOf('/', 2);
        if (slash != 2) {
          throw new IllegalArgumentException("not a local file location (it names a host): " + location);
        }
        raw = raw.substring(2);
      }
    }
    Path path = Path.of(raw);
    if (!path.isAbsolute()) {
      throw new IllegalArgumentException("not a local file location: " + location);
    }
    return path;
  }

  private record LocalInputFile(String location, Path path, long knownLength) implements InputFile {
    @Override
    public long getLength() {
      if (knownLength >= 0) {
        return knownLength;
      }
      try {
        return Files.size(path);
      } catch (NoSuchFileException e) {
        throw new NotFoundException(e, "file does not exist: %s", location);
      } catch (IOException e) {
        throw new RuntimeIOException(e, "cannot read the length of %s", location);
      }
    }

    @Override
    public SeekableInputStream newStream() {
      try {
        return new ChannelInputStream(FileChannel.open(path, StandardOpenOption.READ));
      } catch (NoSuchFileException e) {
        throw new NotFoundException(e, "file does not exist: %s", location);
      } catch (IOException e) {
        throw new RuntimeIOException(e, "cannot open %s", location);
      }
    }

    @Override
    public boolean exists() {
      return Files.exists(path);
    }

    @Override
    public String toString() {
      return location;
    }
  }

  private record LocalOutputFile(String location, Path path) implements OutputFile {
    @Override
    public PositionOutputStream create() {
      return open(EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW));
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return open(EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING));
    }

    private PositionOutputStream open(Set<StandardOpenOption> options) {
      try {
        Files.createDirectories(path.getParent());
        return new ChannelOutputStream(FileChannel.open(path, options));
      } catch (FileAlreadyExistsException e) {
        throw new AlreadyExistsException(e, "file already exists: %s", location);
      } catch (IOException e) {
        throw new RuntimeIOException(e, "cannot create %s", location);
      }
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInputFile(location, path, -1);
    }

    @Override
    public String toString() {
      return location;
    }
  }

  /** Buffered writes; {@link #close()} forces the file's content to the disk before it returns. */
  private static final class ChannelOutputStream extends PositionOutputStream {
    private final FileChannel channel;
    private final OutputStream out;
    private long position;
    private boolean closed;

    ChannelOutputStream(FileChannel channel) {
      this.channel = channel;
      this.out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      position++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      position += len;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (FileChannel c = channel) {
        out.flush();
        c.force(true);
      }
    }
  }

  /** Reads through a buffer; a seek within the buffered range keeps it. */
  private static final class ChannelInputStream extends SeekableInputStream {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE).limit(0);
    private long bufferStart;

    ChannelInputStream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long getPos() {
      return bufferStart + buffer.position();
    }

    @Override
    public void seek(long pos) throws IOException {
      if (pos < 0) {
        throw new IOException("cannot seek to negative position " + pos);
      }
      if (pos >= bufferStart && pos <= bufferStart + buffer.limit()) {
        buffer.position((int) (pos - bufferStart));
      } else {
        bufferStart = pos;
        buffer.limit(0);
      }
    }

    @Override
    public int read() throws IOException {
      if (!buffer.hasRemaining() && fill() <= 0) {
        return -1;
      }
      return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!buffer.hasRemaining()) {
        if (len >= BUFFER_SIZE) {
          // large reads (Parquet column chunks) go straight into the caller's array
          long pos = getPos();
          int n = channel.read(ByteBuffer.wrap(b, off, len), pos);
          if (n > 0) {
            bufferStart = pos + n;
            buffer.limit(0);
          }
          return n;
        }
        if (fill() <= 0) {
          return -1;
        }
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      if (n <= 0) {
        return 0;
      }
      long target = Math.min(getPos() + n, channel.size());
      long skipped = target - getPos();
      seek(target);
      return skipped;
    }

    @Override
    public int available() {
      return buffer.remaining();
    }

    private int fill() throws IOException {
      bufferStart = getPos();
      buffer.clear();
      int n = channel.read(buffer, bufferStart);
      buffer.flip();
      return n;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
