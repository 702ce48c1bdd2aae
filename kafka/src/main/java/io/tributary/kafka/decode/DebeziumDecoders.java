package io.tributary.kafka.decode;

import io.tributary.core.config.Settings;
import io.tributary.kafka.decode.internal.AvroRecordDecoder;
import io.tributary.kafka.decode.internal.ConfluentWireFormat;
import io.tributary.kafka.decode.internal.GlueLibrary;
import io.tributary.kafka.decode.internal.JsonRecordDecoder;

/**
 * Creates {@link RecordDecoder}s for the encodings Debezium connectors are deployed with.
 *
 * <p>What a schemaless decoder ({@link #schemaless(SchemaHints)}) cannot know without a hint for the
 * table: decimals arrive as base64 text and are indistinguishable from strings and bytes (without a hint
 * they stay strings); temporal values arrive as bare numbers (days, milliseconds, microseconds or
 * nanoseconds) or ISO strings and are typed as long/string; integer widths, float vs double, enum labels,
 * JSON vs text, UUIDs, optionality and column defaults are invisible; a column whose value is null has no
 * type (it is typed as an optional string); columns absent from a record do not exist for it. With a hint,
 * a value is decoded as the hinted column type: base64 decimals with the column's scale; numbers of a
 * date column as days; numbers of a time column as microseconds; numbers of a timestamp column by
 * magnitude (|v| &lt; 10^13 milliseconds, &lt; 10^16 microseconds, else nanoseconds — micro-timestamps
 * within ~115 days of 1970 are therefore misread); ISO strings of temporal columns are parsed.
 */
public final class DebeziumDecoders {
  private DebeziumDecoders() {}

  /** A decoder configured by the {@code tributary.decoder.*} keys of {@link DecoderConfig}. */
  public static RecordDecoder create(Settings settings) {
    return create(DecoderConfig.from(settings), SchemaHints.none());
  }

  /** A decoder configured by the {@code tributary.decoder.*} keys, with hints for schemaless records. */
  public static RecordDecoder create(Settings settings, SchemaHints hints) {
    return create(DecoderConfig.from(settings), hints);
  }

  /**
   * A decoder for {@code config}. Format {@code avro} needs a schema registry URL; format {@code auto} with a
   * schema registry URL also accepts Avro records in the Confluent wire format. Format {@code glue-avro} needs
   * {@code software.amazon.glue:schema-registry-serde} on the classpath.
   *
   * @throws IllegalStateException when format {@code glue-avro} is asked for and that library is missing
   */
  public static RecordDecoder create(DecoderConfig config, SchemaHints hints) {
    JsonRecordDecoder json = new JsonRecordDecoder(config, hints);
    if (config.format() == DecoderFormat.AVRO) {
      return new AvroRecordDecoder(config, new ConfluentWireFormat(config), Integer.MAX_VALUE, json, false);
    }
    if (config.format() == DecoderFormat.GLUE_AVRO) {
      return new AvroRecordDecoder(config, GlueLibrary.wireFormat(config), config.glueCacheSize(), json, false);
    }
    if (config.format() == DecoderFormat.AUTO && config.schemaRegistryUrl() != null
        && !config.schemaRegistryUrl().isBlank()) {
      return new AvroRecordDecoder(config, new ConfluentWireFormat(config), Integer.MAX_VALUE, json, true);
    }
    return json;
  }

  /** Avro in Confluent's wire format, with writer schemas from the registry at {@code schemaRegistryUrl}. */
  public static RecordDecoder avro(String schemaRegistryUrl) {
    return create(DecoderConfig.builder().format(DecoderFormat.AVRO).schemaRegistryUrl(schemaRegistryUrl).build(),
        SchemaHints.none());
  }

  /**
   * Avro through the AWS Glue Schema Registry in {@code region}, with credentials from the AWS default provider
   * chain; see {@link DecoderConfig#GLUE_REGION} and the other {@code tributary.decoder.glue.*} keys for more.
   */
  public static RecordDecoder glueAvro(String region) {
    return create(DecoderConfig.builder().format(DecoderFormat.GLUE_AVRO).glueRegion(region).build(),
        SchemaHints.none());
  }

  /** JsonConverter output with {@code schemas.enable=true}, the fully typed encoding. */
  public static RecordDecoder json() {
    return create(DecoderConfig.builder().format(DecoderFormat.JSON).build(), SchemaHints.none());
  }

  /** JsonConverter output with {@code schemas.enable=false}; types come from {@code hints} or inference. */
  public static RecordDecoder schemaless(SchemaHints hints) {
    return create(DecoderConfig.builder().format(DecoderFormat.JSON_SCHEMALESS).build(), hints);
  }

  /** ExtractNewRecordState output, with or without the schema envelope. */
  public static RecordDecoder unwrapped() {
    return create(DecoderConfig.builder().format(DecoderFormat.UNWRAPPED).build(), SchemaHints.none());
  }

  /** Detects the encoding of each record. */
  public static RecordDecoder auto() {
    return create(DecoderConfig.builder().format(DecoderFormat.AUTO).build(), SchemaHints.none());
  }
}
