/**
 * Metrics bridges. {@link io.tributary.kafka.metrics.MicrometerPipelineListener} needs
 * {@code io.micrometer:micrometer-core}, an optional dependency of this module.
 */
package io.tributary.kafka.metrics;
