package io.tributary.kafka.decode;

import io.tributary.core.SourceInfo;
import io.tributary.core.type.StructType;
import java.util.Optional;

/**
 * Supplies the column types of a table to the schemaless decoder, typically the schema of the destination
 * table when it already exists. Without a hint, schemaless values are typed by inference only.
 */
@FunctionalInterface
public interface SchemaHints {

  /**
   * The schema of the table the record belongs to, or empty when unknown.
   *
   * @param topic the record's topic
   * @param source the record's source block (database, schema, table), or null when the record has none
   */
  Optional<StructType> schemaFor(String topic, SourceInfo source);

  /** No hints: every schemaless value is typed by inference. */
  static SchemaHints none() {
    return (topic, source) -> Optional.empty();
  }
}
