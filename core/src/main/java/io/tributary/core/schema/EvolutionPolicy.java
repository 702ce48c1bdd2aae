package io.tributary.core.schema;

import io.tributary.core.config.ConfigKey;
import io.tributary.core.config.Settings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, per {@link ChangeKind}, what happens to a schema change: apply it to the table, ignore it, send
 * the record that needs it to the dead-letter destination, or stop the pipeline. The defaults are those of
 * an automatic pipeline that never loses data: additions, widenings, nullability changes and renames are
 * applied; incompatible changes stop the pipeline rather than coerce values silently.
 */
public final class EvolutionPolicy {
  /** What to do with one kind of change. */
  public enum Action {
    APPLY,
    IGNORE,
    DEAD_LETTER,
    FAIL
  }

  public static final ConfigKey<RenameDetection> RENAME_DETECTION = ConfigKey.enumKey(
      "tributary.schema.rename-detection", RenameDetection.class, RenameDetection.DDL,
      "How column renames are recognised: ddl (renames proven by DDL events), inferred (also from a column"
          + " that vanished and one of the same type that appeared at its position), off.");
  public static final ConfigKey<Boolean> CASE_SENSITIVE = ConfigKey.booleanKey(
      "tributary.schema.case-sensitive", true,
      "Whether source and table column names are matched case-sensitively.");
  public static final ConfigKey<Action> ON_ADD_COLUMN = ConfigKey.enumKey(
      "tributary.schema.on-add-column", Action.class, Action.APPLY,
      "What to do when the source has a column the table lacks: apply, ignore, dead-letter, fail.");
  public static final ConfigKey<Action> ON_WIDEN_TYPE = ConfigKey.enumKey(
      "tributary.schema.on-widen-type", Action.class, Action.APPLY,
      "What to do when a source column's type is wider than the table's (int->long, float->double,"
          + " decimal precision up).");
  public static final ConfigKey<Action> ON_MAKE_OPTIONAL = ConfigKey.enumKey(
      "tributary.schema.on-make-optional", Action.class, Action.APPLY,
      "What to do when a required table column must accept null (nullable or dropped at the source).");
  public static final ConfigKey<Action> ON_RENAME = ConfigKey.enumKey(
      "tributary.schema.on-rename", Action.class, Action.APPLY,
      "What to do with a detected column rename.");
  public static final ConfigKey<Action> ON_INCOMPATIBLE = ConfigKey.enumKey(
      "tributary.schema.on-incompatible", Action.class, Action.FAIL,
      "What to do with an incompatible change (narrowing, type family or decimal scale change):"
          + " fail (default), dead-letter the records, or ignore (records that then fail to convert are"
          + " dead-lettered).");

  private final Map<ChangeKind, Action> actions;
  private final RenameDetection renameDetection;
  private final boolean caseSensitive;

  private EvolutionPolicy(Map<ChangeKind, Action> actions, RenameDetection renameDetection, boolean caseSensitive) {
    this.actions = new EnumMap<>(actions);
    this.renameDetection = renameDetection;
    this.caseSensitive = caseSensitive;
  }

  public static EvolutionPolicy defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The policy configured by the {@code tributary.schema.*} keys, defaults for the rest. */
  public static EvolutionPolicy from(Settings settings) {
    Builder b = builder()
        .on(ChangeKind.ADD_COLUMN, settings.get(ON_ADD_COLUMN))
        .on(ChangeKind.WIDEN_TYPE, settings.get(ON_WIDEN_TYPE))
        .on(ChangeKind.MAKE_OPTIONAL, settings.get(ON_MAKE_OPTIONAL))
        .on(ChangeKind.RENAME_COLUMN, settings.get(ON_RENAME))
        .on(ChangeKind.INCOMPATIBLE, settings.get(ON_INCOMPATIBLE))
        .renameDetection(settings.get(RENAME_DETECTION));
    if (!settings.get(CASE_SENSITIVE)) {
      b.caseInsensitiveNames();
    }
    return b.build();
  }

  public Action actionFor(ChangeKind kind) {
    return actions.get(kind);
  }

  public RenameDetection renameDetection() {
    return renameDetection;
  }

  /** The comparator that matches this policy's name matching and rename detection. */
  public SchemaComparator comparator() {
    SchemaComparator.Builder b = SchemaComparator.builder().renameDetection(renameDetection);
    if (!caseSensitive) {
      b.caseInsensitive();
    }
    return b.build();
  }

  /** Splits a plan into what to apply and the strongest action any change asks for. */
  public Decision decide(SchemaChangePlan plan) {
    List<SchemaChange> apply = new ArrayList<>();
    List<SchemaChange> rejected = new ArrayList<>();
    Action outcome = Action.APPLY;
    for (SchemaChange change : plan.changes()) {
      Action action = actions.get(change.kind());
      if (change.kind() == ChangeKind.INCOMPATIBLE && action == Action.APPLY) {
        action = Action.FAIL; // an incompatible change cannot be applied by any format
      }
      switch (action) {
        case APPLY -> apply.add(change);
        case IGNORE -> { }
        case DEAD_LETTER, FAIL -> rejected.add(change);
        default -> throw new IllegalStateException(String.valueOf(action));
      }
      if (action.ordinal() > outcome.ordinal()) {
        outcome = action;
      }
    }
    if (outcome == Action.IGNORE) {
      outcome = Action.APPLY;
    }
    return new Decision(SchemaChangePlan.of(apply), outcome, rejected);
  }

  /**
   * The outcome of {@link #decide}: the changes to apply, and {@code action} = {@code APPLY} when the records
   * may be written, {@code DEAD_LETTER} or {@code FAIL} when a change was rejected ({@code rejected} names them).
   */
  public record Decision(SchemaChangePlan toApply, Action action, List<SchemaChange> rejected) {
    public Decision {
      Objects.requireNonNull(toApply, "toApply");
      rejected = List.copyOf(rejected);
    }

    public boolean isAccepted() {
      return action == Action.APPLY;
    }

    /** A sentence naming the rejected changes, for errors and dead-letter reasons. */
    public String describeRejected() {
      return "schema change rejected by policy (" + action.name().toLowerCase().replace('_', '-') + "): "
          + rejected;
    }
  }

  /** Builds an {@link EvolutionPolicy}. */
  public static final class Builder {
    private final Map<ChangeKind, Action> actions = new EnumMap<>(ChangeKind.class);
    private RenameDetection renameDetection = RenameDetection.DDL;
    private boolean caseSensitive = true;

    private Builder() {
      actions.put(ChangeKind.ADD_COLUMN, Action.APPLY);
      actions.put(ChangeKind.WIDEN_TYPE, Action.APPLY);
      actions.put(ChangeKind.MAKE_OPTIONAL, Action.APPLY);
      actions.put(ChangeKind.RENAME_COLUMN, Action.APPLY);
      actions.put(ChangeKind.INCOMPATIBLE, Action.FAIL);
    }

    public Builder on(ChangeKind kind, Action action) {
      actions.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(action, "action"));
      return this;
    }

    public Builder renameDetection(RenameDetection detection) {
      this.renameDetection = Objects.requireNonNull(detection, "detection");
      return this;
    }

    public Builder caseInsensitiveNames() {
      this.caseSensitive = false;
      return this;
    }

    public EvolutionPolicy build() {
      return new EvolutionPolicy(actions, renameDetection, caseSensitive);
    }
  }
}
