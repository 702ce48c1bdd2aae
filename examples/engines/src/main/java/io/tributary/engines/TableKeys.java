package io.tributary.engines;

import io.tributary.core.RecordException;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.TableId;
import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.DefaultTableRouter;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.DecodedRecord;
import io.tributary.kafka.decode.RecordDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The key an engine partitions records by before the writers: the destination table, so that all of one
 * table's records, including the DDL events of the schema-change topic that rename its columns, reach the
 * same writer task in order. Data topics are routed by name ({@code <prefix>.<database>.<table>}, with the
 * {@code tributary.route.*} settings); other topics are decoded to find the table a DDL event changes.
 * Records that belong to no table (heartbeats, DDL without a table) are keyed by their topic.
 */
public final class TableKeys {
  private final DefaultTableRouter router;
  private final RecordDecoder decoder;

  private TableKeys(Settings settings) {
    this.router = DefaultTableRouter.from(settings);
    this.decoder = DebeziumDecoders.create(settings);
  }

  public static TableKeys from(Settings settings) {
    return new TableKeys(settings);
  }

  /** The routing key of one record. */
  public String keyOf(ConsumerRecord<byte[], byte[]> record) {
    String topic = record.topic();
    if (topic.split("\\.").length >= 3) {
      try {
        return router.route(topic, null).toString();
      } catch (RecordException e) {
        // not a Debezium data topic name: decode below
      }
    }
    if (record.value() == null) {
      return topic;
    }
    try {
      DecodedRecord decoded = decoder.decode(record);
      if (decoded instanceof DecodedRecord.SchemaChange ddl) {
        for (SchemaChangeEvent event : ddl.events()) {
          java.util.Optional<TableId> table = router.route(event);
          if (table.isPresent()) {
            return table.get().toString();
          }
        }
      } else if (decoded instanceof DecodedRecord.Change change) {
        return router.route(change.event()).toString();
      }
    } catch (RecordException e) {
      // an undecodable record is rejected by the writer that receives it; any writer will do
    }
    return topic;
  }
}
