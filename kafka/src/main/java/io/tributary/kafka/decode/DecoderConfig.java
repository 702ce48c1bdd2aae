package io.tributary.kafka.decode;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import java.util.Objects;

/**
 * Settings of a {@link RecordDecoder}: the record encoding, the TOAST placeholder text, the representation of
 * variable-scale decimals and, for Avro, the schema registry (Confluent-compatible, or the AWS Glue Schema
 * Registry). Built fluently or read from dotted properties.
 */
public final class DecoderConfig {
  public static final ConfigKey<DecoderFormat> FORMAT =
      ConfigKey.enumKey("tributary.decoder.format", DecoderFormat.class, DecoderFormat.AUTO,
          "Record encoding: json, json-schemaless, unwrapped, avro (Confluent registry), glue-avro (AWS Glue Schema"
              + " Registry) or auto (detect per record).");
  public static final ConfigKey<String> UNAVAILABLE_VALUE_PLACEHOLDER =
      ConfigKey.stringKey("tributary.decoder.unavailable-value-placeholder", "__debezium_unavailable_value",
          "The connector's unavailable.value.placeholder; such values decode to Unavailable.VALUE.");
  public static final ConfigKey<VariableScaleDecimalMode> VARIABLE_SCALE_DECIMAL =
      ConfigKey.enumKey("tributary.decoder.variable-scale-decimal", VariableScaleDecimalMode.class,
          VariableScaleDecimalMode.STRING,
          "How io.debezium.data.VariableScaleDecimal is represented: string (lossless) or decimal (38, 18).");
  public static final ConfigKey<String> SCHEMA_REGISTRY_URL =
      ConfigKey.stringKey("tributary.decoder.schema-registry.url", null,
          "Base URL of a Confluent-compatible schema registry (GET /schemas/ids/{id}); needed for Avro.");
  public static final ConfigKey<String> SCHEMA_REGISTRY_USER_INFO =
      ConfigKey.stringKey("tributary.decoder.schema-registry.basic-auth.user-info", null,
          "USER:PASSWORD for HTTP basic authentication against the schema registry.");
  public static final ConfigKey<String> SCHEMA_REGISTRY_TRUSTSTORE_LOCATION =
      ConfigKey.stringKey("tributary.decoder.schema-registry.ssl.truststore.location", null,
          "Trust store (PKCS12 or JKS file) for an HTTPS schema registry; the JVM default when unset.");
  public static final ConfigKey<String> SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD =
      ConfigKey.stringKey("tributary.decoder.schema-registry.ssl.truststore.password", null,
          "Password of the schema registry trust store.");
  public static final ConfigKey<String> SCHEMA_REGISTRY_TRUSTSTORE_TYPE =
      ConfigKey.stringKey("tributary.decoder.schema-registry.ssl.truststore.type", "PKCS12",
          "Type of the schema registry trust store (PKCS12 or JKS).");
  public static final ConfigKey<Long> SCHEMA_REGISTRY_TIMEOUT_MS =
      ConfigKey.longKey("tributary.decoder.schema-registry.request-timeout-ms", 30_000L,
          "Timeout of one schema registry request, in milliseconds.");
  public static final ConfigKey<String> GLUE_REGION =
      ConfigKey.stringKey("tributary.decoder.glue.region", null,
          "AWS region of the Glue Schema Registry (format glue-avro); unset: the AWS default region provider chain"
              + " (aws.region, AWS_REGION, the profile).");
  public static final ConfigKey<String> GLUE_ENDPOINT =
      ConfigKey.stringKey("tributary.decoder.glue.endpoint", null,
          "Endpoint URL of the Glue API, such as a VPC endpoint; unset: the region's public Glue endpoint.");
  public static final ConfigKey<String> GLUE_CREDENTIALS_PROVIDER =
      ConfigKey.stringKey("tributary.decoder.glue.credentials-provider", null,
          "Class name of an AWS SDK v2 AwsCredentialsProvider with a static create() or a public no-argument"
              + " constructor; unset: the AWS default credentials provider chain.");
  public static final ConfigKey<Integer> GLUE_CACHE_SIZE =
      ConfigKey.intKey("tributary.decoder.glue.cache-size", 200,
          "How many schema versions the glue-avro decoder keeps (writer schema and decoding plan); a version's"
              + " definition never changes, so they are kept until the cache is full.");

  private final DecoderFormat format;
  private final String placeholder;
  private final VariableScaleDecimalMode variableScaleDecimalMode;
  private final String registryUrl;
  private final String registryUserInfo;
  private final String truststoreLocation;
  private final String truststorePassword;
  private final String truststoreType;
  private final long registryTimeoutMs;
  private final String glueRegion;
  private final String glueEndpoint;
  private final String glueCredentialsProvider;
  private final int glueCacheSize;

  private DecoderConfig(Builder b) {
    this.format = Objects.requireNonNull(b.format, "format");
    this.placeholder = Objects.requireNonNull(b.placeholder, "placeholder");
    this.variableScaleDecimalMode = Objects.requireNonNull(b.variableScaleDecimalMode, "variableScaleDecimalMode");
    this.registryUrl = b.registryUrl;
    this.registryUserInfo = b.registryUserInfo;
    this.truststoreLocation = b.truststoreLocation;
    this.truststorePassword = b.truststorePassword;
    this.truststoreType = b.truststoreType;
    this.registryTimeoutMs = b.registryTimeoutMs;
    this.glueRegion = b.glueRegion;
    this.glueEndpoint = b.glueEndpoint;
    this.glueCredentialsProvider = b.glueCredentialsProvider;
    this.glueCacheSize = b.glueCacheSize;
    if (glueCacheSize < 1) {
      throw new IllegalArgumentException(GLUE_CACHE_SIZE.name() + " must be at least 1, not " + glueCacheSize);
    }
    if (format == DecoderFormat.AVRO && (registryUrl == null || registryUrl.isBlank())) {
      throw new IllegalArgumentException("format avro needs " + SCHEMA_REGISTRY_URL.name());
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads the {@code tributary.decoder.*} keys; unset keys take their defaults. */
  public static DecoderConfig from(Settings settings) {
    return builder()
        .format(settings.get(FORMAT))
        .unavailableValuePlaceholder(settings.get(UNAVAILABLE_VALUE_PLACEHOLDER))
        .variableScaleDecimalMode(settings.get(VARIABLE_SCALE_DECIMAL))
        .schemaRegistryUrl(settings.get(SCHEMA_REGISTRY_URL))
        .schemaRegistryUserInfo(settings.get(SCHEMA_REGISTRY_USER_INFO))
        .schemaRegistryTruststore(settings.get(SCHEMA_REGISTRY_TRUSTSTORE_LOCATION),
            settings.get(SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD), settings.get(SCHEMA_REGISTRY_TRUSTSTORE_TYPE))
        .schemaRegistryTimeoutMs(settings.get(SCHEMA_REGISTRY_TIMEOUT_MS))
        .glueRegion(settings.get(GLUE_REGION))
        .glueEndpoint(settings.get(GLUE_ENDPOINT))
        .glueCredentialsProvider(settings.get(GLUE_CREDENTIALS_PROVIDER))
        .glueCacheSize(settings.get(GLUE_CACHE_SIZE))
        .build();
  }

  public DecoderFormat format() {
    return format;
  }

  public String unavailableValuePlaceholder() {
    return placeholder;
  }

  public VariableScaleDecimalMode variableScaleDecimalMode() {
    return variableScaleDecimalMode;
  }

  /** The schema registry's base URL, or null when none is configured. */
  public String schemaRegistryUrl() {
    return registryUrl;
  }

  public String schemaRegistryUserInfo() {
    return registryUserInfo;
  }

  public String schemaRegistryTruststoreLocation() {
    return truststoreLocation;
  }

  public String schemaRegistryTruststorePassword() {
    return truststorePassword;
  }

  public String schemaRegistryTruststoreType() {
    return truststoreType;
  }

  public long schemaRegistryTimeoutMs() {
    return registryTimeoutMs;
  }

  /** The Glue Schema Registry's AWS region, or null for the AWS default region provider chain. */
  public String glueRegion() {
    return glueRegion;
  }

  /** The Glue API endpoint override, or null for the region's endpoint. */
  public String glueEndpoint() {
    return glueEndpoint;
  }

  /** The class name of the AWS credentials provider, or null for the default provider chain. */
  public String glueCredentialsProvider() {
    return glueCredentialsProvider;
  }

  public int glueCacheSize() {
    return glueCacheSize;
  }

  @Override
  public String toString() {
    return "DecoderConfig{format=" + format + ", placeholder=" + placeholder + ", variableScaleDecimal="
        + variableScaleDecimalMode + ", schemaRegistry=" + registryUrl
        + (registryUserInfo == null ? "" : ", basic-auth=****")
        + (format == DecoderFormat.GLUE_AVRO ? ", glueRegion=" + glueRegion + ", glueEndpoint=" + glueEndpoint : "")
        + "}";
  }

  /** Builds a {@link DecoderConfig}. */
  public static final class Builder {
    private DecoderFormat format = FORMAT.defaultValue();
    private String placeholder = UNAVAILABLE_VALUE_PLACEHOLDER.defaultValue();
    private VariableScaleDecimalMode variableScaleDecimalMode = VARIABLE_SCALE_DECIMAL.defaultValue();
    private String registryUrl;
    private String registryUserInfo;
    private String truststoreLocation;
    private String truststorePassword;
    private String truststoreType = SCHEMA_REGISTRY_TRUSTSTORE_TYPE.defaultValue();
    private long registryTimeoutMs = SCHEMA_REGISTRY_TIMEOUT_MS.defaultValue();
    private String glueRegion;
    private String glueEndpoint;
    private String glueCredentialsProvider;
    private int glueCacheSize = GLUE_CACHE_SIZE.defaultValue();

    private Builder() {}

    public Builder format(DecoderFormat value) { this.format = value; return this; }
    public Builder unavailableValuePlaceholder(String value) { this.placeholder = value; return this; }
    public Builder variableScaleDecimalMode(VariableScaleDecimalMode value) {
      this.variableScaleDecimalMode = value;
      return this;
    }
    public Builder schemaRegistryUrl(String value) { this.registryUrl = value; return this; }
    /** {@code USER:PASSWORD} for basic authentication. */
    public Builder schemaRegistryUserInfo(String value) { this.registryUserInfo = value; return this; }
    public Builder schemaRegistryTruststore(String location, String password, String type) {
      this.truststoreLocation = location;
      this.truststorePassword = password;
      this.truststoreType = type == null ? SCHEMA_REGISTRY_TRUSTSTORE_TYPE.defaultValue() : type;
      return this;
    }
    public Builder schemaRegistryTimeoutMs(long value) { this.registryTimeoutMs = value; return this; }
    public Builder glueRegion(String value) { this.glueRegion = value; return this; }
    public Builder glueEndpoint(String value) { this.glueEndpoint = value; return this; }
    /** Class name of an {@code AwsCredentialsProvider}; see {@link #GLUE_CREDENTIALS_PROVIDER}. */
    public Builder glueCredentialsProvider(String value) { this.glueCredentialsProvider = value; return this; }
    public Builder glueCacheSize(int value) { this.glueCacheSize = value; return this; }

    public DecoderConfig build() {
      return new DecoderConfig(this);
    }
  }
}
