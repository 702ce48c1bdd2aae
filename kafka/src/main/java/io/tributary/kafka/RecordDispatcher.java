package io.tributary.kafka;

import io.tributary.core.RecordException;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.SourceInfo;
import io.tributary.core.TableId;
import io.tributary.core.TributaryException;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.DefaultTableRouter;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.pipeline.RawRecord;
import io.tributary.core.sink.TableDescriptor;
import io.tributary.core.sink.TableSink;
import io.tributary.core.type.StructType;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.RecordDecoder;
import io.tributary.kafka.decode.SchemaHints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Decodes Kafka records and hands what they hold to an {@link IngestPipeline}: row changes, DDL events,
 * tombstones and heartbeats, and records that cannot be decoded (dead-lettered or fatal, as the pipeline is
 * configured). The Kafka runner, the file replay and the engine integrations all feed the pipeline this way.
 */
public final class RecordDispatcher {
  private final RecordDecoder decoder;
  private final IngestPipeline pipeline;
  private final DecodingThreads decoding;

  /** A dispatcher that decodes on the calling thread. */
  public RecordDispatcher(RecordDecoder decoder, IngestPipeline pipeline) {
    this(decoder, pipeline, DecodingThreads.callerOnly());
  }

  /** A dispatcher whose {@link #dispatchAll} decodes on the given threads; their owner closes them. */
  public RecordDispatcher(RecordDecoder decoder, IngestPipeline pipeline, DecodingThreads decoding) {
    this.decoder = decoder;
    this.pipeline = pipeline;
    this.decoding = decoding;
  }

  /**
   * Decodes the records on the dispatcher's decoding threads and feeds them to the pipeline in their order, on
   * the calling thread, each once it and the records before it are decoded.
   */
  public void dispatchAll(List<ConsumerRecord<byte[], byte[]>> records) {
    dispatchAll(records, () -> false);
  }

  /** As {@link #dispatchAll(List)}, but feeds no further record once {@code stopped} is true. */
  public void dispatchAll(List<ConsumerRecord<byte[], byte[]>> records, BooleanSupplier stopped) {
    decoding.decodeInOrder(this, records, feedingUnless(stopped));
  }

  /**
   * Starts decoding {@code records} on the dispatcher's helper threads while the caller goes on (to read the next
   * records); {@link #dispatchAll(DecodingThreads.Batch, BooleanSupplier)} feeds them to the pipeline later.
   */
  DecodingThreads.Batch decodeAhead(List<ConsumerRecord<byte[], byte[]>> records) {
    return decoding.start(this, records);
  }

  /** Feeds records whose decoding {@link #decodeAhead} started, as {@link #dispatchAll(List, BooleanSupplier)}. */
  void dispatchAll(DecodingThreads.Batch records, BooleanSupplier stopped) {
    records.handOver(feedingUnless(stopped));
  }

  private DecodingThreads.InOrder feedingUnless(BooleanSupplier stopped) {
    return (record, decoded) -> {
      if (stopped.getAsBoolean()) {
        return false;
      }
      dispatch(record, decoded);
      return true;
    };
  }

  /** Decodes one record and feeds it to the pipeline. */
  public void dispatch(ConsumerRecord<byte[], byte[]> record) {
    dispatch(record, decode(record));
  }

  /**
   * What decoding one record gave: the decoded record, or the error to report when the record's turn comes. Safe
   * to call from several threads at once, as the decoder is; the pipeline is not involved.
   */
  public Decoded decode(ConsumerRecord<byte[], byte[]> record) {
    try {
      return new Decoded(decoder.decode(record), null);
    } catch (RuntimeException e) {
      return new Decoded(null, e);
    }
  }

  /** Feeds a record decoded by {@link #decode} to the pipeline; records must come in the order they were read. */
  public void dispatch(ConsumerRecord<byte[], byte[]> record, Decoded result) {
    RawRecord raw = toRaw(record);
    RuntimeException error = result.error();
    if (error instanceof RecordException e) {
      pipeline.reject(e, raw);
      return;
    }
    if (error instanceof TributaryException e) {
      throw e;
    }
    if (error != null) {
      // a decoder bug on one record must not be mistaken for a broken pipeline
      pipeline.reject(new RecordException("cannot decode the record: " + error, raw.origin(), error), raw);
      return;
    }
    DecodedRecord decoded = result.record();
    if (decoded instanceof DecodedRecord.Change change) {
      pipeline.accept(change.event(), raw);
    } else if (decoded instanceof DecodedRecord.SchemaChange ddl) {
      for (SchemaChangeEvent event : ddl.events()) {
        pipeline.acceptSchemaChange(event, raw);
      }
    } else {
      pipeline.acceptNoChange(decoded.origin());
    }
  }

  /** The outcome of decoding one record: exactly one of {@code record} and {@code error} is set. */
  public record Decoded(DecodedRecord record, RuntimeException error) {}

  /** The record's bytes and headers as the pipeline keeps them for dead letters. */
  public static RawRecord toRaw(ConsumerRecord<byte[], byte[]> record) {
    Header[] in = record.headers().toArray();
    RawRecord.Header[] headers = new RawRecord.Header[in.length];
    for (int i = 0; i < in.length; i++) {
      headers[i] = new RawRecord.Header(in[i].key(), in[i].value());
    }
    return new RawRecord(io.tributary.core.Origin.of(record.topic(), record.partition(), record.offset()),
        record.key(), record.value(), List.of(headers), record.timestamp());
  }

  /**
   * Schema hints for schemaless JSON from the tables a sink already has, routed as the pipeline routes
   * ({@code tributary.route.*}). A table found once is remembered; a missing one is looked up again at most
   * every five seconds, so a table created meanwhile is used soon.
   */
  public static SchemaHints hintsFrom(TableSink sink, Settings settings) {
    DefaultTableRouter router = DefaultTableRouter.from(settings);
    Map<TableId, StructType> known = new ConcurrentHashMap<>();
    Map<TableId, Long> missingSince = new ConcurrentHashMap<>();
    return (String topic, SourceInfo source) -> {
      TableId table;
      try {
        table = router.route(topic, source);
      } catch (RecordException e) {
        return Optional.empty();
      }
      StructType schema = known.get(table);
      if (schema != null) {
        return Optional.of(schema);
      }
      long now = System.currentTimeMillis();
      Long since = missingSince.get(table);
      if (since != null && now - since < 5_000) {
        return Optional.empty();
      }
      Optional<StructType> found = sink.describe(table).map(TableDescriptor::schema);
      if (found.isPresent()) {
        known.put(table, found.get());
        missingSince.remove(table);
      } else {
        missingSince.put(table, now);
      }
      return found;
    };
  }
}
