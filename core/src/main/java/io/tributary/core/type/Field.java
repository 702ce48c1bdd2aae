package io.tributary.core.type;

import java.util.Objects;

/**
 * A named column of a {@link StructType}: its type, nullability, default value (canonical value of the type,
 * as the source declares it) and documentation.
 */
public final class Field {
  private final String name;
  private final DataType type;
  private final boolean optional;
  private final Object defaultValue;
  private final String doc;

  private Field(String name, DataType type, boolean optional, Object defaultValue, String doc) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.optional = optional;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  public static Field optional(String name, DataType type) {
    return new Field(name, type, true, null, null);
  }

  public static Field required(String name, DataType type) {
    return new Field(name, type, false, null, null);
  }

  public Field withDefault(Object value) {
    return new Field(name, type, optional, value, doc);
  }

  public Field withDoc(String text) {
    return new Field(name, type, optional, defaultValue, text);
  }

  public Field withName(String newName) {
    return new Field(newName, type, optional, defaultValue, doc);
  }

  public Field withType(DataType newType) {
    return new Field(name, newType, optional, defaultValue, doc);
  }

  public Field asOptional() {
    return optional ? this : new Field(name, type, true, defaultValue, doc);
  }

  public String name() {
    return name;
  }

  public DataType type() {
    return type;
  }

  public boolean isOptional() {
    return optional;
  }

  public boolean isRequired() {
    return !optional;
  }

  /** The source's default value, canonical for {@link #type()}, or null when there is none. */
  public Object defaultValue() {
    return defaultValue;
  }

  public boolean hasDefault() {
    return defaultValue != null;
  }

  public String doc() {
    return doc;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Field f)) {
      return false;
    }
    return optional == f.optional
        && name.equals(f.name)
        && type.equals(f.type)
        && Objects.equals(defaultValue, f.defaultValue)
        && Objects.equals(doc, f.doc);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, optional, defaultValue);
  }

  @Override
  public String toString() {
    return name + ": " + (optional ? "optional " : "required ") + type
        + (defaultValue != null ? " default " + defaultValue : "");
  }
}
