package io.tributary.kafka.deadletter;

import io.tributary.core.FatalException;
import io.tributary.core.RetryableException;
import io.tributary.core.pipeline.DeadLetter;
import io.tributary.core.pipeline.DeadLetterHandler;
import io.tributary.core.pipeline.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A {@link DeadLetterHandler} that writes each rejected record, with its original key, value and headers, to
 * a dead-letter topic, adding {@code tributary.dlq.*} headers that name the record's origin, table and the
 * reason. Each send waits for the broker's acknowledgement, so the record is durable before its offset counts
 * as done.
 */
public final class KafkaDeadLetterHandler implements DeadLetterHandler, AutoCloseable {
  public static final String HEADER_TOPIC = "tributary.dlq.topic";
  public static final String HEADER_PARTITION = "tributary.dlq.partition";
  public static final String HEADER_OFFSET = "tributary.dlq.offset";
  public static final String HEADER_TABLE = "tributary.dlq.table";
  public static final String HEADER_ERROR_CLASS = "tributary.dlq.error.class";
  public static final String HEADER_ERROR_MESSAGE = "tributary.dlq.error.message";

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final boolean ownsProducer;

  private KafkaDeadLetterHandler(Producer<byte[], byte[]> producer, String topic, boolean ownsProducer) {
    this.producer = Objects.requireNonNull(producer, "producer");
    this.topic = Objects.requireNonNull(topic, "topic");
    this.ownsProducer = ownsProducer;
  }

  /**
   * A handler with its own producer, configured by {@code producerProperties} (connection and security,
   * passed unchanged) with byte-array serializers, {@code acks=all} and idempotence unless set otherwise.
   */
  public static KafkaDeadLetterHandler create(Map<String, ?> producerProperties, String topic) {
    Map<String, Object> props = new HashMap<>(producerProperties);
    props.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "tributary-dead-letters");
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return new KafkaDeadLetterHandler(new KafkaProducer<>(props), topic, true);
  }

  /** A handler that sends through the caller's producer; {@link #close()} leaves it open. */
  public static KafkaDeadLetterHandler using(Producer<byte[], byte[]> producer, String topic) {
    return new KafkaDeadLetterHandler(producer, topic, false);
  }

  public String topic() {
    return topic;
  }

  @Override
  public void handle(DeadLetter letter) {
    RawRecord raw = letter.raw();
    RecordHeaders headers = new RecordHeaders();
    if (raw != null) {
      for (RawRecord.Header h : raw.headers()) {
        headers.add(h.key(), h.value());
      }
    }
    headers.add(HEADER_TOPIC, utf8(letter.origin().topic()));
    headers.add(HEADER_PARTITION, utf8(Integer.toString(letter.origin().partition())));
    headers.add(HEADER_OFFSET, utf8(Long.toString(letter.origin().offset())));
    if (letter.table() != null) {
      headers.add(HEADER_TABLE, utf8(letter.table().toString()));
    }
    headers.add(HEADER_ERROR_CLASS, utf8(letter.cause() == null ? "none" : letter.cause().getClass().getName()));
    headers.add(HEADER_ERROR_MESSAGE, utf8(letter.reason()));
    Long timestamp = raw != null && raw.timestamp() >= 0 ? raw.timestamp() : null;
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, timestamp,
        raw == null ? null : raw.key(), raw == null ? null : raw.value(), headers);
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetryableException("Interrupted while dead-lettering the record at " + letter.origin()
          + " to topic " + topic, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RetriableException) {
        throw new RetryableException("Could not dead-letter the record at " + letter.origin() + " to topic "
            + topic + ": " + cause.getMessage() + ". It is read again after the retry.", cause);
      }
      throw new FatalException("Could not dead-letter the record at " + letter.origin() + " to topic " + topic
          + ": " + cause + ". Check that the topic exists (or auto-creation is on) and that this client may"
          + " write to it; nothing past this record was committed.", cause);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (ownsProducer) {
      producer.close();
    }
  }
}
