package io.tributary.core.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * An immutable map of dotted configuration properties with typed access through {@link ConfigKey}s.
 * Unknown keys are kept, so that one map can carry Tributary, catalog and Kafka client settings together.
 */
public final class Settings {
  private static final Settings EMPTY = new Settings(Map.of());
  private final Map<String, String> values;

  private Settings(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public static Settings empty() {
    return EMPTY;
  }

  public static Settings of(Map<String, String> values) {
    return new Settings(values);
  }

  public static Settings of(Properties properties) {
    Map<String, String> map = new HashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return new Settings(map);
  }

  /** The typed value of {@code key}, or its default when unset. */
  public <T> T get(ConfigKey<T> key) {
    String text = values.get(key.name());
    return text == null ? key.defaultValue() : key.parse(text);
  }

  public String get(String name) {
    return values.get(name);
  }

  public boolean contains(String name) {
    return values.containsKey(name);
  }

  /** The entries whose key starts with {@code prefix}, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(prefix)) {
        out.put(e.getKey().substring(prefix.length()), e.getValue());
      }
    }
    return out;
  }

  /** A copy with one more entry (replacing an existing one). */
  public Settings with(String name, String value) {
    Map<String, String> copy = new HashMap<>(values);
    copy.put(name, value);
    return new Settings(copy);
  }

  /** A copy with every entry of {@code other} added (replacing existing ones). */
  public Settings withAll(Map<String, String> other) {
    Map<String, String> copy = new HashMap<>(values);
    copy.putAll(other);
    return new Settings(copy);
  }

  public Map<String, String> asMap() {
    return values;
  }

  /**
   * The map with values of keys that look secret ({@code password}, {@code secret}, {@code sasl.jaas.config},
   * credentials, tokens) replaced by {@code ****}, for logs.
   */
  public Map<String, String> redacted() {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      out.put(e.getKey(), isSecret(e.getKey()) ? "****" : e.getValue());
    }
    return out;
  }

  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password")
        || k.contains("secret")
        || k.contains("jaas")
        || k.contains("token")
        || k.contains("credential")
        || k.endsWith(".key")
        || k.contains("access-key")
        || k.contains("access.key");
  }

  @Override
  public String toString() {
    return redacted().toString();
  }
}
