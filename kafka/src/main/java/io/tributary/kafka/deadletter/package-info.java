/** Dead-letter destinations on Kafka: {@link io.tributary.kafka.deadletter.KafkaDeadLetterHandler}. */
package io.tributary.kafka.deadletter;
