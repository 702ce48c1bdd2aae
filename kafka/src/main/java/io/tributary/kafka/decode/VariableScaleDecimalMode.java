package io.tributary.kafka.decode;

/**
 * How to represent {@code io.debezium.data.VariableScaleDecimal} (PostgreSQL NUMERIC without scale), whose
 * values carry their own scale and therefore fit no fixed decimal type.
 */
public enum VariableScaleDecimalMode {
  /** A {@code StringType} column holding {@link java.math.BigDecimal#toPlainString()}: lossless. */
  STRING,
  /**
   * A {@code decimal(38, 18)} column; values are rounded half-even to 18 fraction digits and a value
   * needing more than 20 integer digits is an error.
   */
  DECIMAL
}
