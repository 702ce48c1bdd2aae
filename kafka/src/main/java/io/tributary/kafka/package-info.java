/**
 * Running Tributary on Kafka: {@link io.tributary.kafka.IngestRunner} consumes Debezium topics with one consumer
 * thread and feeds an {@link io.tributary.core.pipeline.IngestPipeline}; several runners in one consumer group
 * share the partitions.
 *
 * <p>Exactly once: on every assignment a runner seeks each partition to the highest offset below which the
 * tables (their commit metadata for {@code tributary.sink.id}) or the group's committed offset say everything
 * is committed, and the pipeline skips records a table already holds. Group offsets are committed only after
 * table commits and serve monitoring. Transient failures re-read from the last safe offsets with backoff.
 *
 * <p>Known limit: a column rename proven only by the DDL on the schema-change topic is applied in the order the
 * consumer happens to read that topic and the table's topic. A runner that has caught up reads them in source
 * order; one that catches up a backlog (first start, restart after a crash within the rename's commit
 * interval) may read the renamed column's data first, and then adds it as a new column.
 */
package io.tributary.kafka;
