package io.tributary.benchmarks;

import io.tributary.benchmarks.report.ProcessCounters;
import io.tributary.core.config.Settings;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.DecoderConfig;
import io.tributary.kafka.decode.RecordDecoder;
import io.tributary.kafka.decode.SchemaHints;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Decoding throughput of change events of a corpus-shaped {@code customers} table, one record per operation
 * on one thread, so the score is records per second per core. {@code jsonConverter*} is the baseline: Kafka
 * Connect's own {@link JsonConverter#toConnectData} on the same bytes as {@link #jsonSchemas}.
 *
 * <p>On a shared machine the wall-clock score depends on what else runs, so each trial also prints the
 * records decoded per second of CPU time of the benchmark JVM (benchmark thread, garbage collector and JIT
 * compiler; the forked JVM runs nothing else) during the measurement iterations ({@code cpu-normalized ...}
 * lines), which depends less on the machine's other load.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Thread)
public class DecodeBenchmark {
  /** Distinct records, cycled. */
  static final int RECORDS = 4096;
  static final long SEED = 20_240_601L;

  private ConsumerRecord<byte[], byte[]>[] jsonSchemasRecords;
  private ConsumerRecord<byte[], byte[]>[] jsonPlainRecords;
  private ConsumerRecord<byte[], byte[]>[] unwrappedRecords;
  private ConsumerRecord<byte[], byte[]>[] avroRecords;
  private ConsumerRecord<byte[], byte[]>[] glueAvroRecords;
  private RecordDecoder json;
  private RecordDecoder schemaless;
  private RecordDecoder unwrapped;
  private RecordDecoder avro;
  private RecordDecoder glueAvro;
  private JsonConverter keyConverter;
  private JsonConverter valueConverter;
  private AvroEncoding avroEncoding;
  private GlueEncoding glueEncoding;
  private int next;
  private long decoded;
  private boolean measuring;
  private long iterationCpu;
  private long iterationRecords;
  private long measuredCpu;
  private long measuredRecords;

  @Setup(Level.Trial)
  public void setUp() {
    List<CustomersData.Event> events = CustomersData.events(SEED, RECORDS);
    ConnectEncoding withSchemas = ConnectEncoding.withSchemas();
    ConnectEncoding plain = ConnectEncoding.schemaless();
    avroEncoding = new AvroEncoding();
    glueEncoding = new GlueEncoding(avroEncoding);
    jsonSchemasRecords = records(events, withSchemas::key, withSchemas::value);
    jsonPlainRecords = records(events, plain::key, plain::value);
    unwrappedRecords = records(events, withSchemas::key, withSchemas::unwrappedValue);
    avroRecords = records(events, avroEncoding::key, avroEncoding::value);
    glueAvroRecords = records(events, glueEncoding::key, glueEncoding::value);
    json = DebeziumDecoders.json();
    schemaless = DebeziumDecoders.schemaless(SchemaHints.none());
    unwrapped = DebeziumDecoders.unwrapped();
    avro = DebeziumDecoders.avro(avroEncoding.registryUrl());
    glueAvro = glueDecoder(glueEncoding);
    keyConverter = ConnectEncoding.converter(true, true);
    valueConverter = ConnectEncoding.converter(true, false);
    // every decoder must accept every record before its speed means anything
    for (int i = 0; i < RECORDS; i++) {
      requireChange(json.decode(jsonSchemasRecords[i]));
      requireChange(schemaless.decode(jsonPlainRecords[i]));
      requireChange(unwrapped.decode(unwrappedRecords[i]));
      requireChange(avro.decode(avroRecords[i]));
      requireChange(glueAvro.decode(glueAvroRecords[i]));
    }
  }

  @Setup(Level.Iteration)
  public void startIteration(IterationParams params) {
    measuring = params.getType() == IterationType.MEASUREMENT;
    iterationRecords = decoded;
    iterationCpu = ProcessCounters.cpuNanos();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    long cpu = ProcessCounters.cpuNanos() - iterationCpu;
    if (measuring) {
      measuredCpu += cpu;
      measuredRecords += decoded - iterationRecords;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown(BenchmarkParams params) {
    glueEncoding.close();
    avroEncoding.close();
    if (measuredCpu > 0) {
      System.out.printf("%ncpu-normalized %s: %.0f records per CPU-second (%d records, %.2f s CPU)%n",
          params.getBenchmark(), measuredRecords * 1e9 / measuredCpu, measuredRecords, measuredCpu / 1e9);
    }
  }

  /** The glue-avro decoder for the loopback Glue endpoint of {@code encoding}. */
  static RecordDecoder glueDecoder(GlueEncoding encoding) {
    return DebeziumDecoders.create(Settings.of(Map.of(
        DecoderConfig.FORMAT.name(), "glue-avro",
        DecoderConfig.GLUE_REGION.name(), GlueEncoding.REGION,
        DecoderConfig.GLUE_ENDPOINT.name(), encoding.endpoint(),
        DecoderConfig.GLUE_CREDENTIALS_PROVIDER.name(), GlueEncoding.Credentials.class.getName())));
  }

  private static void requireChange(DecodedRecord r) {
    if (!(r instanceof DecodedRecord.Change c) || c.event().key() == null) {
      throw new IllegalStateException("expected a change event with a key, got " + r);
    }
  }

  @SuppressWarnings("unchecked")
  static ConsumerRecord<byte[], byte[]>[] records(List<CustomersData.Event> events,
      Function<CustomersData.Event, byte[]> key, Function<CustomersData.Event, byte[]> value) {
    ConsumerRecord<byte[], byte[]>[] out = new ConsumerRecord[events.size()];
    for (int i = 0; i < out.length; i++) {
      CustomersData.Event e = events.get(i);
      out[i] = new ConsumerRecord<>(ConnectEncoding.TOPIC, 0, i, key.apply(e), value.apply(e));
    }
    return out;
  }

  private int index() {
    int i = next;
    next = i + 1 == RECORDS ? 0 : i + 1;
    decoded++;
    return i;
  }

  /** Ours, JsonConverter schemas.enable=true output: key and value decoded to a ChangeEvent. */
  @Benchmark
  public DecodedRecord jsonSchemas() {
    return json.decode(jsonSchemasRecords[index()]);
  }

  /** Baseline, apples to apples with {@link #jsonSchemas}: JsonConverter.toConnectData of key and value. */
  @Benchmark
  public void jsonConverterKeyValue(Blackhole bh) {
    ConsumerRecord<byte[], byte[]> r = jsonSchemasRecords[index()];
    SchemaAndValue key = keyConverter.toConnectData(r.topic(), r.key());
    SchemaAndValue value = valueConverter.toConnectData(r.topic(), r.value());
    bh.consume(key);
    bh.consume(value);
  }

  /** Baseline: JsonConverter.toConnectData of the value only (less work than {@link #jsonSchemas} does). */
  @Benchmark
  public SchemaAndValue jsonConverterValueOnly() {
    ConsumerRecord<byte[], byte[]> r = jsonSchemasRecords[index()];
    return valueConverter.toConnectData(r.topic(), r.value());
  }

  /** Ours, JsonConverter schemas.enable=false output (json-plain), typed by inference. */
  @Benchmark
  public DecodedRecord jsonSchemaless() {
    return schemaless.decode(jsonPlainRecords[index()]);
  }

  /** Ours, ExtractNewRecordState output with the schema envelope. */
  @Benchmark
  public DecodedRecord unwrapped() {
    return unwrapped.decode(unwrappedRecords[index()]);
  }

  /** Ours, Avro in Confluent's wire format (writer schemas fetched once from a loopback registry). */
  @Benchmark
  public DecodedRecord avro() {
    return avro.decode(avroRecords[index()]);
  }

  /**
   * Ours, Avro through the AWS Glue Schema Registry: the same data as {@link #avro} behind the 18-byte GSR header
   * (writer schemas fetched once from a loopback Glue endpoint).
   */
  @Benchmark
  public DecodedRecord glueAvro() {
    return glueAvro.decode(glueAvroRecords[index()]);
  }
}
