package io.tributary.core.sink;

import io.tributary.core.TableId;
import io.tributary.core.type.StructType;
import java.util.List;
import java.util.Optional;

/**
 * The table-format side of the pipeline: create and evolve tables, write changes into files, and commit
 * them atomically with the consumed offsets. Writing ({@link #newWriter}) and committing ({@link #commit})
 * are separate so that a distributed engine can run many writers and one committer.
 *
 * <p>Implementations must be safe for one committer thread per table; {@link #commit} must be atomic: after a
 * crash either the files and the offsets are both in the table or neither is.
 */
public interface TableSink extends AutoCloseable {

  /**
   * The schema this sink would store for a source schema: the source types mapped to the ones the format
   * has (e.g. Iceberg has no 16-bit integer and stores enums as strings). The schema comparator compares the
   * result with {@link TableDescriptor#schema()}.
   */
  StructType storageSchema(StructType sourceSchema);

  /** The table's current schema and key, or empty when it does not exist. */
  Optional<TableDescriptor> describe(TableId table);

  /**
   * Creates the table (and its namespace) with these columns and key columns (empty: no primary key). If it
   * already exists, returns it unchanged.
   */
  TableDescriptor create(TableId table, StructType schema, List<String> keyColumns);

  /** Applies a schema plan (all of it or nothing) and returns the table's new schema. */
  TableDescriptor evolve(TableId table, SchemaEvolution evolution);

  /** A writer for one batch of changes against the table's current schema. */
  TableWriter newWriter(TableId table);

  /**
   * Makes a write result visible together with the request's offsets and token. A request whose token the
   * table already holds for the sink id is skipped. Throws {@link io.tributary.core.RetryableException} on a
   * conflict that a later attempt can resolve.
   */
  void commit(TableId table, WriteResult result, CommitRequest request);

  /** Deletes every row of the table in one commit that records the request's offsets. */
  void truncate(TableId table, CommitRequest request);

  /** What the table holds for this sink id; {@link CommittedState#none()} when the table does not exist. */
  CommittedState lastCommitted(TableId table, String sinkId);

  /** Every table this sink can see, for consumers that need all recorded offsets on start. */
  List<TableId> listTables();

  @Override
  void close();
}
