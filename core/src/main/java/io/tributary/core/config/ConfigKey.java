package io.tributary.core.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed, documented configuration key with a default, in the style of Kafka's {@code ConfigDef}. Keys are
 * dotted ({@code tributary.commit.interval-ms}) so that Spark, Flink and Kafka-style property maps pass
 * straight through.
 *
 * @param <T> the type of the value
 */
public final class ConfigKey<T> {
  private final String name;
  private final Class<T> type;
  private final T defaultValue;
  private final String doc;
  private final Function<String, T> parser;

  private ConfigKey(String name, Class<T> type, T defaultValue, String doc, Function<String, T> parser) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = type;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.parser = parser;
  }

  public static ConfigKey<String> stringKey(String name, String defaultValue, String doc) {
    return new ConfigKey<>(name, String.class, defaultValue, doc, s -> s);
  }

  public static ConfigKey<Integer> intKey(String name, int defaultValue, String doc) {
    return new ConfigKey<>(name, Integer.class, defaultValue, doc, s -> Integer.parseInt(s.trim()));
  }

  public static ConfigKey<Long> longKey(String name, long defaultValue, String doc) {
    return new ConfigKey<>(name, Long.class, defaultValue, doc, s -> Long.parseLong(s.trim()));
  }

  public static ConfigKey<Boolean> booleanKey(String name, boolean defaultValue, String doc) {
    return new ConfigKey<>(name, Boolean.class, defaultValue, doc, ConfigKey::parseBoolean);
  }

  /**
   * An enum key; values are matched ignoring case, with {@code -} and {@code _} treated alike
   * ({@code dead-letter} selects {@code DEAD_LETTER}).
   */
  public static <E extends Enum<E>> ConfigKey<E> enumKey(
      String name, Class<E> type, E defaultValue, String doc) {
    return new ConfigKey<>(name, type, defaultValue, doc, s -> parseEnum(name, type, s));
  }

  public String name() {
    return name;
  }

  public Class<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Parses a textual value; throws {@link IllegalArgumentException} naming the key when it is invalid. */
  public T parse(String text) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "invalid value '" + text + "' for " + name + ": " + e.getMessage(), e);
    }
  }

  private static Boolean parseBoolean(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("expected true or false");
  }

  private static <E extends Enum<E>> E parseEnum(String name, Class<E> type, String s) {
    String wanted = s.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(wanted)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        "expected one of "
            + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .toList());
  }

  @Override
  public String toString() {
    return name;
  }
}
