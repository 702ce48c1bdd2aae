package io.tributary.benchmarks.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.ConnectEncoding;
import io.tributary.benchmarks.CustomersData;
import io.tributary.benchmarks.CustomersData.Event;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The produced records are exactly what JsonConverter writes, in the partition Kafka's producer picks. */
class ChangeEventRecordsTest {

  @Test
  void sameBytesAndPartitionsAsJsonConverterAndTheProducer() {
    ConnectEncoding converter = ConnectEncoding.withSchemas();
    ChangeEventRecords records = new ChangeEventRecords("t", 6);
    for (Event e : CustomersData.events(KafkaBenchmarks.SEED, 2000)) {
      ProducerRecord<byte[], byte[]> r = records.record(e);
      assertThat(r.value()).isEqualTo(converter.value(e));
      assertThat(r.key()).isEqualTo(converter.key(e));
      assertThat(r.partition()).isEqualTo(BuiltInPartitioner.partitionForKey(r.key(), 6));
    }
  }
}
