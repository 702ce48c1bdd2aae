package io.tributary.core.type;

/** The families of {@link DataType}. */
public enum TypeRoot {
  BOOLEAN,
  INTEGER,
  LONG,
  FLOAT,
  DOUBLE,
  DECIMAL,
  STRING,
  BINARY,
  DATE,
  TIME,
  TIMESTAMP,
  UUID,
  JSON,
  ENUM,
  STRUCT,
  LIST,
  MAP
}
