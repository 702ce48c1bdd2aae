package io.tributary.benchmarks.write;

import io.tributary.benchmarks.CustomersData.Event;
import java.util.ArrayList;
import java.util.List;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.table.sink.StreamTableCommit;
import org.apache.paimon.table.sink.StreamTableWrite;
import org.apache.paimon.table.sink.StreamWriteBuilder;
import org.apache.paimon.types.RowKind;
import org.apache.paimon.types.RowType;

/**
 * Paimon's own primary-key write: one {@link StreamTableWrite} kept open for the whole run (as a Paimon
 * streaming job does), inserts and updates as {@code +I} rows, deletes as {@code -D} rows with the before
 * image, each batch committed with {@link StreamTableCommit}. Buckets, file format and compression are the
 * table's, i.e. the ones Tributary's table was created with.
 */
public final class PaimonCeiling implements Ceiling<List<GenericRow>> {
  private final RowType rowType;
  private final StreamTableWrite write;
  private final StreamTableCommit commit;
  private long identifier;

  public PaimonCeiling(FileStoreTable table) {
    this.rowType = table.rowType();
    StreamWriteBuilder builder = table.newStreamWriteBuilder().withCommitUser("ceiling");
    this.write = builder.newWrite();
    this.commit = builder.newCommit();
  }

  @Override
  public String name() {
    return "ceiling-pk";
  }

  @Override
  public List<GenericRow> prepare(List<Event> events) {
    List<GenericRow> rows = new ArrayList<>(events.size());
    for (Event e : events) {
      rows.add(e.op().equals("d")
          ? CeilingRows.paimon(rowType, e.before(), RowKind.DELETE)
          : CeilingRows.paimon(rowType, e.after(), RowKind.INSERT));
    }
    return rows;
  }

  @Override
  public void writeAndCommit(List<GenericRow> batch) {
    try {
      for (GenericRow row : batch) {
        write.write(row);
      }
      identifier++;
      commit.commit(identifier, write.prepareCommit(false, identifier));
    } catch (Exception e) {
      throw new IllegalStateException("Paimon ceiling write failed", e);
    }
  }

  @Override
  public void close() {
    try {
      write.close();
      commit.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the Paimon ceiling writer failed", e);
    }
  }
}
