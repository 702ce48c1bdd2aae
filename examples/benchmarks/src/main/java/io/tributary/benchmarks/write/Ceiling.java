package io.tributary.benchmarks.write;

import io.tributary.benchmarks.CustomersData.Event;
import java.util.List;

/**
 * A table format's own writer, without Tributary, committing the same batches as a Tributary run: the
 * ceiling a Tributary run is compared with. Rows are built before the clock starts, so that only writing and
 * committing is measured.
 *
 * @param <B> a batch of rows in the format's own row objects
 */
public interface Ceiling<B> extends AutoCloseable {
  /** What the ceiling is called in results, e.g. {@code ceiling-upsert}. */
  String name();

  /** The batch's rows in the format's objects (not measured). */
  B prepare(List<Event> events);

  /** Writes the rows into files and commits them as one snapshot. */
  void writeAndCommit(B batch);

  @Override
  void close();
}
