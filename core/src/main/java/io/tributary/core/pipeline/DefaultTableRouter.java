package io.tributary.core.pipeline;

import io.tributary.core.ChangeEvent;
import io.tributary.core.Origin;
import io.tributary.core.RecordException;
import io.tributary.core.SchemaChangeEvent;
import io.tributary.core.SourceInfo;
import io.tributary.core.TableId;
import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Routes a change to {@code <namespace>.<table>}: the namespace is the source schema (PostgreSQL) or database
 * (MySQL/MariaDB), the name the source table. Records without a source block (unwrapped records) fall back to
 * the last two segments of the topic name {@code <prefix>.<database>.<table>}. The resulting
 * {@code namespace.table} text may then be rewritten by a regex, and the table name given a prefix and suffix.
 */
public final class DefaultTableRouter implements TableRouter {
  public static final ConfigKey<String> NAMESPACE = ConfigKey.stringKey(
      "tributary.route.namespace", null,
      "A fixed namespace for every table, instead of the source database/schema.");
  public static final ConfigKey<String> REGEX = ConfigKey.stringKey(
      "tributary.route.regex", null,
      "A regex matched against 'namespace.table'; when it matches, tributary.route.replacement (with $1..)"
          + " gives the new 'namespace.table'.");
  public static final ConfigKey<String> REPLACEMENT = ConfigKey.stringKey(
      "tributary.route.replacement", null, "The replacement for tributary.route.regex.");
  public static final ConfigKey<String> TABLE_PREFIX = ConfigKey.stringKey(
      "tributary.route.table-prefix", "", "Put before every table name.");
  public static final ConfigKey<String> TABLE_SUFFIX = ConfigKey.stringKey(
      "tributary.route.table-suffix", "", "Put after every table name.");

  private final String namespace;
  private final Pattern regex;
  private final String replacement;
  private final String prefix;
  private final String suffix;

  private DefaultTableRouter(Builder b) {
    this.namespace = b.namespace;
    this.regex = b.regex;
    this.replacement = b.replacement;
    this.prefix = b.prefix;
    this.suffix = b.suffix;
  }

  public static DefaultTableRouter defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static DefaultTableRouter from(Settings settings) {
    Builder b = builder()
        .namespace(settings.get(NAMESPACE))
        .tablePrefix(settings.get(TABLE_PREFIX))
        .tableSuffix(settings.get(TABLE_SUFFIX));
    String regex = settings.get(REGEX);
    if (regex != null) {
      String replacement = settings.get(REPLACEMENT);
      if (replacement == null) {
        throw new IllegalArgumentException(REGEX.name() + " is set but " + REPLACEMENT.name() + " is not");
      }
      b.rename(Pattern.compile(regex), replacement);
    }
    return b.build();
  }

  @Override
  public TableId route(ChangeEvent event) {
    return route(event.origin() == null ? null : event.origin().topic(), event.source(), event.origin());
  }

  /**
   * The table for a record of {@code topic} with this source block (null when the record has none), for
   * callers that route before decoding a whole change (schema hints).
   */
  public TableId route(String topic, SourceInfo source) {
    return route(topic, source, null);
  }

  private TableId route(String topic, SourceInfo source, Origin origin) {
    if (source != null && source.hasTable()) {
      return finish(source.namespace(), source.table());
    }
    if (topic == null) {
      throw new RecordException("change event has neither a source table nor a topic to route by", origin, null);
    }
    String[] parts = topic.split("\\.");
    if (parts.length < 2) {
      throw new RecordException(
          "cannot route topic '" + topic + "': it has no source block and the topic name is not"
              + " <prefix>.<database>.<table>; configure a router", origin, null);
    }
    return finish(parts[parts.length - 2], parts[parts.length - 1]);
  }

  @Override
  public Optional<TableId> route(SchemaChangeEvent event) {
    if (!event.hasTable() || event.namespace() == null || event.namespace().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(finish(event.namespace(), event.table()));
  }

  private TableId finish(String sourceNamespace, String table) {
    String ns = namespace != null ? namespace : sourceNamespace;
    TableId id = TableId.of(ns, table);
    if (regex != null) {
      var m = regex.matcher(id.toString());
      if (m.matches()) {
        id = TableId.parse(m.replaceAll(replacement));
      }
    }
    if (!prefix.isEmpty() || !suffix.isEmpty()) {
      id = TableId.of(id.namespace(), prefix + id.name() + suffix);
    }
    return id;
  }

  /** Builds a {@link DefaultTableRouter}. */
  public static final class Builder {
    private String namespace;
    private Pattern regex;
    private String replacement;
    private String prefix = "";
    private String suffix = "";

    private Builder() {}

    public Builder namespace(String value) {
      this.namespace = value;
      return this;
    }

    /** Rewrites {@code namespace.table} when {@code pattern} matches it whole. */
    public Builder rename(Pattern pattern, String replacementText) {
      this.regex = pattern;
      this.replacement = replacementText;
      return this;
    }

    public Builder tablePrefix(String value) {
      this.prefix = value == null ? "" : value;
      return this;
    }

    public Builder tableSuffix(String value) {
      this.suffix = value == null ? "" : value;
      return this;
    }

    public DefaultTableRouter build() {
      return new DefaultTableRouter(this);
    }
  }
}
