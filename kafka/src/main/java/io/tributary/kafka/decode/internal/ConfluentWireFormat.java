package io.tributary.kafka.decode.internal;

import io.tributary.kafka.decode.DecoderConfig;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;

/**
 * Confluent's wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro binary datum; writer schemas
 * come from a Confluent-compatible registry through {@link SchemaRegistryClient}.
 */
public final class ConfluentWireFormat implements AvroWireFormat {
  private static final byte MAGIC = 0;
  private static final int HEADER_LENGTH = 5;

  private final SchemaRegistryClient registry;

  public ConfluentWireFormat(DecoderConfig config) {
    this.registry = new SchemaRegistryClient(config);
  }

  @Override
  public boolean matches(byte[] bytes) {
    return bytes != null && bytes.length >= HEADER_LENGTH && bytes[0] == MAGIC;
  }

  @Override
  public Framed frame(byte[] bytes) {
    if (!matches(bytes)) {
      throw new DecodeException("not in the Confluent Avro wire format (magic byte 0 and a"
          + " 4-byte schema id)");
    }
    return new Framed(ByteBuffer.wrap(bytes, 1, 4).getInt(), bytes, bytes, HEADER_LENGTH);
  }

  @Override
  public Schema schema(Framed framed) {
    return registry.schema((Integer) framed.schemaId());
  }

  @Override
  public String describe(Object schemaId) {
    return "schema id " + schemaId;
  }
}
