package io.tributary.engines.internal;

import io.tributary.core.TableId;
import io.tributary.core.sink.CommitRequest;
import io.tributary.core.sink.CommittedState;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableSink;
import io.tributary.core.sink.TableWriter;
import io.tributary.core.sink.WriteResult;
import io.tributary.core.type.StructType;
import io.tributary.engines.PendingCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link TableSink} that writes and evolves through the real sink but keeps each commit and truncate as a
 * {@link PendingCommit} instead of making it, so that an {@link io.tributary.core.pipeline.IngestPipeline}
 * can run unchanged inside an engine task whose results a separate committer makes visible.
 */
public final class DeferringSink implements TableSink {
  private final TableSink delegate;
  private final List<PendingCommit> pending = new ArrayList<>();

  public DeferringSink(TableSink delegate) {
    this.delegate = delegate;
  }

  /** The commits deferred since the last call, in the order the pipeline made them. */
  public List<PendingCommit> drain() {
    List<PendingCommit> out = List.copyOf(pending);
    pending.clear();
    return out;
  }

  @Override
  public StructType storageSchema(StructType sourceSchema) {
    return delegate.storageSchema(sourceSchema);
  }

  @Override
  public Optional<TableDescriptor> describe(TableId table) {
    return delegate.describe(table);
  }

  @Override
  public TableDescriptor create(TableId table, StructType schema, List<String> keyColumns) {
    return delegate.create(table, schema, keyColumns);
  }

  @Override
  public TableDescriptor evolve(TableId table, SchemaEvolution evolution) {
    return delegate.evolve(table, evolution);
  }

  @Override
  public TableWriter newWriter(TableId table) {
    return delegate.newWriter(table);
  }

  @Override
  public void commit(TableId table, WriteResult result, CommitRequest request) {
    pending.add(PendingCommit.data(table, result, request.token(), request.nextOffsets(), request.watermarks()));
  }

  @Override
  public void truncate(TableId table, CommitRequest request) {
    pending.add(PendingCommit.truncate(table, request.token(), request.nextOffsets(), request.watermarks()));
  }

  @Override
  public CommittedState lastCommitted(TableId table, String sinkId) {
    return delegate.lastCommitted(table, sinkId);
  }

  @Override
  public List<TableId> listTables() {
    return delegate.listTables();
  }

  /** The real sink is owned by whoever created it. */
  @Override
  public void close() {}
}
