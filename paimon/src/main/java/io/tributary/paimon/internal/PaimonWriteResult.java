package io.tributary.paimon.internal;

import io.tributary.core.TableId;
import io.tributary.core.sink.WriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.paimon.table.sink.CommitMessage;
import org.apache.paimon.table.sink.CommitMessageSerializer;

/**
 * The commit messages of one Paimon write, kept in Paimon's own binary form ({@link CommitMessageSerializer})
 * so that the result is Java-serializable and can travel from writer tasks to the committer.
 */
public final class PaimonWriteResult implements WriteResult {
  private static final long serialVersionUID = 1L;

  private final String namespace;
  private final String table;
  private final int serializerVersion;
  private final byte[][] messages;
  private final long rowCount;
  private final long deleteCount;
  private final String writerSession;
  private final long sequence;

  private PaimonWriteResult(TableId table, int version, byte[][] messages, long rows, long deletes,
      String writerSession, long sequence) {
    this.writerSession = writerSession;
    this.sequence = sequence;
    this.namespace = table.namespace();
    this.table = table.name();
    this.serializerVersion = version;
    this.messages = messages;
    this.rowCount = rows;
    this.deleteCount = deletes;
  }

  /**
   * A result of {@code messages}; {@code writerSession} and {@code sequence} identify the pooled write and
   * batch that produced it, so that the committer can tell the pool the write may continue.
   */
  public static PaimonWriteResult of(TableId table, List<CommitMessage> messages, long rows, long deletes,
      String writerSession, long sequence) {
    CommitMessageSerializer serializer = new CommitMessageSerializer();
    byte[][] bytes = new byte[messages.size()][];
    try {
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = serializer.serialize(messages.get(i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize Paimon commit messages of " + table, e);
    }
    return new PaimonWriteResult(table, serializer.getVersion(), bytes, rows, deletes, writerSession, sequence);
  }

  public TableId tableId() {
    return TableId.of(namespace, table);
  }

  public String writerSession() {
    return writerSession;
  }

  public long sequence() {
    return sequence;
  }

  public List<CommitMessage> messages() {
    CommitMessageSerializer serializer = new CommitMessageSerializer();
    List<CommitMessage> out = new ArrayList<>(messages.length);
    try {
      for (byte[] m : messages) {
        out.add(serializer.deserialize(serializerVersion, m));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Paimon commit messages of " + tableId(), e);
    }
    return out;
  }

  @Override
  public long rowCount() {
    return rowCount;
  }

  @Override
  public long deleteCount() {
    return deleteCount;
  }

  @Override
  public String toString() {
    return "PaimonWriteResult{" + tableId() + ", " + messages.length + " messages, " + rowCount + " rows, "
        + deleteCount + " deletes}";
  }
}
