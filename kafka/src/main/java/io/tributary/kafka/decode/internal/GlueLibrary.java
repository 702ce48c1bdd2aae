package io.tributary.kafka.decode.internal;

import io.tributary.kafka.decode.DecoderConfig;

/**
 * Guards the optional {@code software.amazon.glue:schema-registry-serde} dependency. This class mentions none of
 * the library's types, so it loads without it and can say what to add instead of failing with a
 * {@link NoClassDefFoundError} deep inside the first decode.
 */
public final class GlueLibrary {
  static final String ARTIFACT = "software.amazon.glue:schema-registry-serde";
  private static final String PROBE =
      "com.amazonaws.services.schemaregistry.deserializers.GlueSchemaRegistryDeserializationFacade";

  private GlueLibrary() {}

  /** The AWS Glue Schema Registry wire format for {@code config}, once the library is known to be there. */
  public static AvroWireFormat wireFormat(DecoderConfig config) {
    require(GlueLibrary.class.getClassLoader());
    return GlueWireFormat.create(config);
  }

  /** Fails with the artifact to add when {@code loader} cannot see the library. */
  static void require(ClassLoader loader) {
    try {
      Class.forName(PROBE, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(DecoderConfig.FORMAT.name() + "=glue-avro needs the AWS Glue Schema Registry"
          + " library, an optional dependency of tributary-kafka: add " + ARTIFACT + " (1.1.27 or later) to the"
          + " application's dependencies", e);
    }
  }
}
