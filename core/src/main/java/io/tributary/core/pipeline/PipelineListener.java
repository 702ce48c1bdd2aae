package io.tributary.core.pipeline;

import io.tributary.core.TableId;
import io.tributary.core.schema.SchemaChangePlan;

/**
 * Receives what the pipeline does, for metrics and progress output. Methods are called on the pipeline's
 * thread and must be quick; bridge them to Micrometer, JMX or a terminal as needed.
 */
public interface PipelineListener {
  /** A change event was accepted into a table's buffer. */
  default void onEvent(TableId table) {}

  /** A record was skipped because the table already holds it (replay after a restart). */
  default void onSkipped(TableId table) {}

  default void onTableCreated(TableId table) {}

  default void onSchemaEvolved(TableId table, SchemaChangePlan appliedPlan) {}

  default void onCommitted(CommitStats stats) {}

  default void onDeadLetter(DeadLetter letter) {}

  /** A listener that does nothing. */
  static PipelineListener none() {
    return new PipelineListener() {};
  }

  /** A listener that forwards to several. */
  static PipelineListener all(PipelineListener... listeners) {
    return new CompositeListener(listeners);
  }
}
