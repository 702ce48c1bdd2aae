package io.tributary.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.benchmarks.CustomersData.Customer;
import io.tributary.benchmarks.CustomersData.Event;
import io.tributary.core.ChangeEvent;
import io.tributary.core.Operation;
import io.tributary.core.Row;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.RecordDecoder;
import io.tributary.kafka.decode.SchemaHints;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/** The benchmark's records decode, by our decoders and by JsonConverter, to the rows they were made from. */
class GeneratedRecordsTest {
  private static final int COUNT = 1500;
  private final List<Event> events = CustomersData.events(DecodeBenchmark.SEED, COUNT);

  @Test
  void generatorIsSeeded() {
    assertThat(CustomersData.events(DecodeBenchmark.SEED, COUNT)).hasSize(COUNT)
        .usingRecursiveFieldByFieldElementComparator().isEqualTo(events);
    assertThat(events).extracting(Event::op).contains("r", "c", "u", "d");
  }

  @Test
  void recordsAreCorpusSized() {
    ConnectEncoding enc = ConnectEncoding.withSchemas();
    long total = 0;
    for (Event e : events) {
      total += enc.value(e).length + enc.key(e).length;
    }
    // corpus customers change events (key + value, JsonConverter with schemas) have a median of about 5.1 KB
    assertThat(total / COUNT).isBetween(4600L, 6000L);
    assertThat(new String(enc.value(events.get(0)), StandardCharsets.UTF_8))
        .startsWith("{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"fields\":"
            + "[{\"type\":\"int32\",\"optional\":false,\"field\":\"id\"}");
  }

  @Test
  void ourDecodersReadTheRowsBack() {
    ConnectEncoding enc = ConnectEncoding.withSchemas();
    ConnectEncoding plain = ConnectEncoding.schemaless();
    try (AvroEncoding avro = new AvroEncoding(); GlueEncoding glue = new GlueEncoding(avro)) {
      ConsumerRecord<byte[], byte[]>[] json = DecodeBenchmark.records(events, enc::key, enc::value);
      ConsumerRecord<byte[], byte[]>[] unwrapped = DecodeBenchmark.records(events, enc::key, enc::unwrappedValue);
      ConsumerRecord<byte[], byte[]>[] avroRecords = DecodeBenchmark.records(events, avro::key, avro::value);
      ConsumerRecord<byte[], byte[]>[] glueRecords = DecodeBenchmark.records(events, glue::key, glue::value);
      ConsumerRecord<byte[], byte[]>[] schemaless = DecodeBenchmark.records(events, plain::key, plain::value);
      RecordDecoder jsonDecoder = DebeziumDecoders.json();
      RecordDecoder unwrappedDecoder = DebeziumDecoders.unwrapped();
      RecordDecoder avroDecoder = DebeziumDecoders.avro(avro.registryUrl());
      RecordDecoder glueDecoder = DecodeBenchmark.glueDecoder(glue);
      Map<ConsumerRecord<byte[], byte[]>[], RecordDecoder> decoders =
          Map.of(json, jsonDecoder, avroRecords, avroDecoder, glueRecords, glueDecoder);
      RecordDecoder schemalessDecoder = DebeziumDecoders.schemaless(SchemaHints.none());
      for (int i = 0; i < COUNT; i++) {
        Event e = events.get(i);
        for (ConsumerRecord<byte[], byte[]>[] records : List.of(json, avroRecords, glueRecords)) {
          ChangeEvent c = change(decoders.get(records), records[i]);
          assertThat(c.operation()).isEqualTo(Operation.fromCode(e.op()));
          assertThat(image(c.before())).as("before of %s", i).isEqualTo(CanonicalCustomers.of(e.before()));
          assertThat(image(c.after())).as("after of %s", i).isEqualTo(CanonicalCustomers.of(e.after()));
          assertThat(c.key().get("id")).isEqualTo(id(e));
          assertThat(c.source().table()).isEqualTo("customers");
          assertThat(c.source().position().component(1)).isEqualTo(e.pos());
        }
        ChangeEvent u = change(unwrappedDecoder, unwrapped[i]);
        Customer row = e.after() != null ? e.after() : e.before();
        assertThat(image(u.image())).isEqualTo(CanonicalCustomers.of(row));
        assertThat(u.operation()).isEqualTo(e.op().equals("r") || e.op().equals("c") ? Operation.fromCode(e.op())
            : e.op().equals("u") ? Operation.UPDATE : Operation.DELETE);
        ChangeEvent s = change(schemalessDecoder, schemaless[i]);
        assertThat(s.image().get("name")).isEqualTo(row.name());
        assertThat(((Number) s.image().get("id")).intValue()).isEqualTo(row.id());
        assertThat(((Number) s.key().get("id")).intValue()).isEqualTo(row.id());
      }
    }
  }

  @Test
  void jsonConverterReadsTheSameBytes() {
    ConnectEncoding enc = ConnectEncoding.withSchemas();
    JsonConverter value = ConnectEncoding.converter(true, false);
    JsonConverter key = ConnectEncoding.converter(true, true);
    for (Event e : events) {
      SchemaAndValue v = value.toConnectData(ConnectEncoding.TOPIC, enc.value(e));
      Struct struct = (Struct) v.value();
      assertThat(struct.getString("op")).isEqualTo(e.op());
      Customer row = e.after() != null ? e.after() : e.before();
      Struct image = struct.getStruct(e.after() != null ? "after" : "before");
      assertThat(image.getString("name")).isEqualTo(row.name());
      assertThat(image.get("balance")).isEqualTo(row.balance());
      assertThat(((Struct) key.toConnectData(ConnectEncoding.TOPIC, enc.key(e)).value()).getInt32("id"))
          .isEqualTo(row.id());
    }
  }

  private static ChangeEvent change(RecordDecoder decoder, ConsumerRecord<byte[], byte[]> record) {
    DecodedRecord r = decoder.decode(record);
    assertThat(r).isInstanceOf(DecodedRecord.Change.class);
    return ((DecodedRecord.Change) r).event();
  }

  private static int id(Event e) {
    return (e.after() != null ? e.after() : e.before()).id();
  }

  private static Map<String, Object> image(Row row) {
    if (row == null) {
      return null;
    }
    Map<String, Object> m = new HashMap<>(row.toMap());
    m.keySet().removeIf(k -> k.startsWith("__"));
    m.values().removeIf(v -> v == null);
    return m;
  }
}
