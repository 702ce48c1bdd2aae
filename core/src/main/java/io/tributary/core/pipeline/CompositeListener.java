package io.tributary.core.pipeline;

import io.tributary.core.TableId;
import io.tributary.core.schema.SchemaChangePlan;
import java.util.List;

/** Forwards every callback to each of its listeners in order. */
final class CompositeListener implements PipelineListener {
  private final List<PipelineListener> listeners;

  CompositeListener(PipelineListener... listeners) {
    this.listeners = List.of(listeners);
  }

  @Override public void onEvent(TableId table) { listeners.forEach(l -> l.onEvent(table)); }
  @Override public void onSkipped(TableId table) { listeners.forEach(l -> l.onSkipped(table)); }
  @Override public void onTableCreated(TableId table) { listeners.forEach(l -> l.onTableCreated(table)); }

  @Override
  public void onSchemaEvolved(TableId table, SchemaChangePlan plan) {
    listeners.forEach(l -> l.onSchemaEvolved(table, plan));
  }

  @Override public void onCommitted(CommitStats stats) { listeners.forEach(l -> l.onCommitted(stats)); }
  @Override public void onDeadLetter(DeadLetter letter) { listeners.forEach(l -> l.onDeadLetter(letter)); }
}
