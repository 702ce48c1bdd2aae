package io.tributary.kafka.decode;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import java.util.Objects;

/**
 * Settings of a {@link RecordDecoder}: the record encoding, the TOAST placeholder text and the
 * representation of variable-scale decimals. Built fluently or read from dotted properties.
 */
public final class DecoderConfig {
  public static final ConfigKey<DecoderFormat> FORMAT =
      ConfigKey.enumKey("tributary.decoder.format", DecoderFormat.class, DecoderFormat.AUTO,
          "Record encoding: json, json-schemaless, unwrapped or auto (detect per record).");
  public static final ConfigKey<String> UNAVAILABLE_VALUE_PLACEHOLDER =
      ConfigKey.stringKey("tributary.decoder.unavailable-value-placeholder", "__debezium_unavailable_value",
          "The connector's unavailable.value.placeholder; such values decode to Unavailable.VALUE.");
  public static final ConfigKey<VariableScaleDecimalMode> VARIABLE_SCALE_DECIMAL =
      ConfigKey.enumKey("tributary.decoder.variable-scale-decimal", VariableScaleDecimalMode.class,
          VariableScaleDecimalMode.STRING,
          "How io.debezium.data.VariableScaleDecimal is represented: string (lossless) or decimal (38, 18).");

  private final DecoderFormat format;
  private final String placeholder;
  private final VariableScaleDecimalMode variableScaleDecimalMode;

  private DecoderConfig(Builder b) {
    this.format = Objects.requireNonNull(b.format, "format");
    this.placeholder = Objects.requireNonNull(b.placeholder, "placeholder");
    this.variableScaleDecimalMode = Objects.requireNonNull(b.variableScaleDecimalMode, "variableScaleDecimalMode");
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

  /** Builds a {@link DecoderConfig}. */
  public static final class Builder {
    private DecoderFormat format = FORMAT.defaultValue();
    private String placeholder = UNAVAILABLE_VALUE_PLACEHOLDER.defaultValue();
    private VariableScaleDecimalMode variableScaleDecimalMode = VARIABLE_SCALE_DECIMAL.defaultValue();

    private Builder() {}

    public Builder format(DecoderFormat value) { this.format = value; return this; }
    public Builder unavailableValuePlaceholder(String value) { this.placeholder = value; return this; }
    public Builder variableScaleDecimalMode(VariableScaleDecimalMode value) {
      this.variableScaleDecimalMode = value;
      return this;
    }

    public DecoderConfig build() {
      return new DecoderConfig(this);
    }
  }
}
