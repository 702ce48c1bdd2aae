package io.tributary.flink;

import io.tributary.engines.CdcRecord;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.sink.TableSink;
import io.tributary.engines.TableKeys;
import io.tributary.engines.TributarySinks;
import io.tributary.flink.internal.TableOffsetsInitializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.flink.util.Collector;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * The entry points of a Flink job: {@link #deserializer()} for the Kafka source, {@link #sinkTo} to partition the
 * records by destination table and write them with a {@link TributaryFlinkSink}.
 */
public final class TributaryFlink {
  private TributaryFlink() {}

  /**
   * Sends every record to the writer of its table (so one table's records, DDL included, stay in order) and
   * writes them exactly once with the given {@code tributary.*} settings.
   */
  public static DataStreamSink<CdcRecord> sinkTo(DataStream<CdcRecord> records, Map<String, String> settings) {
    return records
        .partitionCustom(new ByTable(), new TableKeySelector(settings))
        .sinkTo(TributaryFlinkSink.of(settings))
        .name("tributary")
        .uid("tributary-sink");
  }

  /** A Kafka source deserializer that keeps each record's bytes, headers and position. */
  public static KafkaRecordDeserializationSchema<CdcRecord> deserializer() {
    return new KafkaRecordDeserializationSchema<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<CdcRecord> out) {
        out.collect(CdcRecord.of(record));
      }

      @Override
      public TypeInformation<CdcRecord> getProducedType() {
        return TypeInformation.of(CdcRecord.class);
      }
    };
  }

  /**
   * Starting offsets for a Kafka source from what the tables hold: per partition, the highest offset below
   * which some table of this sink id recorded every record as committed; other partitions start at the
   * earliest offset. For starting a job without its Flink state (after a stale write stopped it, or to
   * change the job graph); records the tables already hold are skipped by the writers either way.
   */
  public static OffsetsInitializer committedOffsets(Map<String, String> settings) {
    Settings s = Settings.of(settings);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    try (TableSink sink = TributarySinks.create(s)) {
      String sinkId = s.get(PipelineConfig.SINK_ID);
      for (TableId table : sink.listTables()) {
        sink.lastCommitted(table, sinkId).watermarks().forEach((p, o) ->
            offsets.merge(new TopicPartition(p.topic(), p.partition()), o, Math::max));
      }
    }
    return new TableOffsetsInitializer(offsets);
  }

  /** Spreads tables over the writer subtasks by the hash of their name. */
  private static final class ByTable implements Partitioner<String> {
    private static final long serialVersionUID = 1L;

    @Override
    public int partition(String key, int numPartitions) {
      return Math.floorMod(key.hashCode(), numPartitions);
    }
  }

  /** The destination table of a record ({@link TableKeys}). */
  private static final class TableKeySelector implements KeySelector<CdcRecord, String> {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> settings;
    private transient TableKeys keys;

    TableKeySelector(Map<String, String> settings) {
      this.settings = new HashMap<>(settings);
    }

    @Override
    public String getKey(CdcRecord record) {
      if (keys == null) {
        keys = TableKeys.from(Settings.of(settings));
      }
      return keys.keyOf(record.toConsumerRecord());
    }
  }
}
