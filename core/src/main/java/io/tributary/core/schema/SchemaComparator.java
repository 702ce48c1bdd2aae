package io.tributary.core.schema;

import io.tributary.core.ColumnRename;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.TypeRoot;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares an incoming row schema with a table's current schema and returns the {@link SchemaChangePlan}
 * that lets the table accept the rows. It is a pure function: no table format is involved.
 *
 * <ul>
 *   <li>A source column the table lacks is added (nested fields too), after its source predecessor, with
 *       its nullability and default.
 *   <li>A wider source type widens the column (int→long, float→double, decimal precision up at equal
 *       scale); a table type at least as wide as the source's needs nothing.
 *   <li>A nullable source column makes a required table column optional; a column missing from the source
 *       is never dropped, it becomes optional.
 *   <li>Renames come from DDL evidence, or are inferred from position and type when configured.
 *   <li>Everything else (narrowing, family change, scale change) is reported as incompatible with the
 *       column path, the table type and the source type.
 * </ul>
 */
public final class SchemaComparator {
  private final boolean caseSensitive;
  private final RenameDetection renameDetection;

  private SchemaComparator(boolean caseSensitive, RenameDetection renameDetection) {
    this.caseSensitive = caseSensitive;
    this.renameDetection = renameDetection;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A comparator with the defaults: case-sensitive names, renames from DDL only. */
  public static SchemaComparator defaults() {
    return builder().build();
  }

  public RenameDetection renameDetection() {
    return renameDetection;
  }

  /** Compares without rename evidence. */
  public SchemaChangePlan compare(StructType table, StructType source) {
    return compare(table, source, List.of());
  }

  /**
   * Compares {@code source} with {@code table}. {@code renames} is DDL evidence for top-level columns; it is
   * used unless rename detection is off, and a rename whose old column the table no longer has is ignored
   * (it was already applied).
   */
  public SchemaChangePlan compare(StructType table, StructType source, List<ColumnRename> renames) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(source, "source");
    List<SchemaChange> renameChanges = new ArrayList<>();
    List<SchemaChange> typeChanges = new ArrayList<>();
    List<SchemaChange> additions = new ArrayList<>();
    compareStruct(List.of(), table, source, renames, renameChanges, typeChanges, additions);
    List<SchemaChange> all = new ArrayList<>(renameChanges);
    all.addAll(typeChanges);
    all.addAll(additions);
    return SchemaChangePlan.of(all);
  }

  private void compareStruct(
      List<String> path,
      StructType table,
      StructType source,
      List<ColumnRename> ddlRenames,
      List<SchemaChange> renameChanges,
      List<SchemaChange> typeChanges,
      List<SchemaChange> additions) {
    // table column name -> the name it has after this plan's renames
    Map<String, String> renamedTo = new HashMap<>();
    if (renameDetection != RenameDetection.OFF) {
      for (ColumnRename r : ddlRenames) {
        int from = find(table, r.from());
        if (from >= 0 && find(table, r.to()) < 0 && !renamedTo.containsValue(r.to())) {
          String fromName = table.field(from).name();
          renamedTo.put(fromName, r.to());
          renameChanges.add(new SchemaChange.RenameColumn(
              SchemaPaths.child(path, fromName), r.to(), SchemaChange.RenameColumn.Evidence.DDL));
        }
      }
    }
    if (renameDetection == RenameDetection.INFERRED) {
      inferRenames(path, table, source, renamedTo, renameChanges);
    }

    // the table as seen after the renames, to match source columns by name
    Map<String, Field> tableByName = new HashMap<>();
    Set<String> matchedTableColumns = new HashSet<>();
    for (Field f : table.fields()) {
      String name = renamedTo.getOrDefault(f.name(), f.name());
      tableByName.put(caseSensitive ? name : name.toLowerCase(java.util.Locale.ROOT), f);
    }

    String previousName = null;
    for (Field sourceField : source.fields()) {
      Field tableField = tableByName.get(key(sourceField.name()));
      if (tableField == null) {
        additions.add(new SchemaChange.AddColumn(path, sourceField, previousName));
        previousName = sourceField.name();
        continue;
      }
      matchedTableColumns.add(tableField.name());
      String currentName = renamedTo.getOrDefault(tableField.name(), tableField.name());
      List<String> columnPath = SchemaPaths.child(path, currentName);
      compareType(columnPath, tableField.type(), sourceField.type(), renameChanges, typeChanges, additions);
      if (tableField.isRequired() && sourceField.isOptional()) {
        typeChanges.add(new SchemaChange.MakeOptional(columnPath, SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE));
      }
      previousName = currentName;
    }

    for (Field f : table.fields()) {
      if (!matchedTableColumns.contains(f.name()) && f.isRequired()) {
        typeChanges.add(new SchemaChange.MakeOptional(
            SchemaPaths.child(path, renamedTo.getOrDefault(f.name(), f.name())),
            SchemaChange.MakeOptional.Reason.MISSING_AT_SOURCE));
      }
    }
  }

  /**
   * Pairs a vanished table column with an appeared source column when they have the same type and the
   * same neighbour (predecessor or successor), and the pairing is unambiguous.
   */
  private void inferRenames(
      List<String> path,
      StructType table,
      StructType source,
      Map<String, String> renamedTo,
      List<SchemaChange> renameChanges) {
    List<Integer> vanished = new ArrayList<>();
    for (int i = 0; i < table.size(); i++) {
      String name = table.field(i).name();
      if (!renamedTo.containsKey(name) && find(source, name) < 0) {
        vanished.add(i);
      }
    }
    List<Integer> appeared = new ArrayList<>();
    for (int i = 0; i < source.size(); i++) {
      String name = source.field(i).name();
      if (find(table, name) < 0 && !renamedTo.containsValue(name)) {
        appeared.add(i);
      }
    }
    Map<Integer, List<Integer>> candidates = new HashMap<>();
    Map<Integer, Integer> candidateCount = new HashMap<>();
    for (int s : appeared) {
      Field sf = source.field(s);
      for (int t : vanished) {
        Field tf = table.field(t);
        if (tf.type().equals(sf.type()) && sameNeighbour(table, t, source, s)) {
          candidates.computeIfAbsent(s, k -> new ArrayList<>()).add(t);
          candidateCount.merge(t, 1, Integer::sum);
        }
      }
    }
    for (Map.Entry<Integer, List<Integer>> e : candidates.entrySet()) {
      if (e.getValue().size() == 1 && candidateCount.get(e.getValue().get(0)) == 1) {
        Field tf = table.field(e.getValue().get(0));
        String newName = source.field(e.getKey()).name();
        renamedTo.put(tf.name(), newName);
        renameChanges.add(new SchemaChange.RenameColumn(
            SchemaPaths.child(path, tf.name()), newName, SchemaChange.RenameColumn.Evidence.INFERRED));
      }
    }
  }

  private boolean sameNeighbour(StructType table, int t, StructType source, int s) {
    String tablePrev = previousPresentIn(table, t, source);
    String sourcePrev = s == 0 ? null : source.field(s - 1).name();
    if (Objects.equals(key(tablePrev), key(sourcePrev))) {
      return true;
    }
    String tableNext = nextPresentIn(table, t, source);
    String sourceNext = s == source.size() - 1 ? null : source.field(s + 1).name();
    return tableNext != null && Objects.equals(key(tableNext), key(sourceNext));
  }

  /** The nearest column before {@code t} in the table that the source still has (skipping dropped ones). */
  private String previousPresentIn(StructType table, int t, StructType source) {
    for (int i = t - 1; i >= 0; i--) {
      if (find(source, table.field(i).name()) >= 0) {
        return table.field(i).name();
      }
    }
    return null;
  }

  private String nextPresentIn(StructType table, int t, StructType source) {
    for (int i = t + 1; i < table.size(); i++) {
      if (find(source, table.field(i).name()) >= 0) {
        return table.field(i).name();
      }
    }
    return null;
  }

  private void compareType(
      List<String> path,
      DataType table,
      DataType source,
      List<SchemaChange> renameChanges,
      List<SchemaChange> typeChanges,
      List<SchemaChange> additions) {
    if (table.equals(source)) {
      return;
    }
    if (table instanceof StructType ts && source instanceof StructType ss) {
      compareStruct(path, ts, ss, List.of(), renameChanges, typeChanges, additions);
      return;
    }
    if (table instanceof Types.ListType tl && source instanceof Types.ListType sl) {
      List<String> elementPath = SchemaPaths.child(path, SchemaPaths.ELEMENT);
      compareType(elementPath, tl.elementType(), sl.elementType(), renameChanges, typeChanges, additions);
      if (!tl.elementOptional() && sl.elementOptional()) {
        typeChanges.add(new SchemaChange.MakeOptional(elementPath, SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE));
      }
      return;
    }
    if (table instanceof Types.MapType tm && source instanceof Types.MapType sm) {
      List<String> keyPath = SchemaPaths.child(path, SchemaPaths.KEY);
      if (!tm.keyType().equals(sm.keyType())) {
        compareType(keyPath, tm.keyType(), sm.keyType(), renameChanges, typeChanges, additions);
      }
      List<String> valuePath = SchemaPaths.child(path, SchemaPaths.VALUE);
      compareType(valuePath, tm.valueType(), sm.valueType(), renameChanges, typeChanges, additions);
      if (!tm.valueOptional() && sm.valueOptional()) {
        typeChanges.add(new SchemaChange.MakeOptional(valuePath, SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE));
      }
      return;
    }
    switch (TypeWidening.compare(table, source)) {
      case SAME_OR_WIDER:
        return;
      case WIDEN:
        typeChanges.add(new SchemaChange.WidenType(path, table, TypeWidening.widened(table, source)));
        return;
      default:
        typeChanges.add(new SchemaChange.Incompatible(path, table, source, TypeWidening.reason(table, source)));
    }
  }

  private int find(StructType struct, String name) {
    if (name == null) {
      return -1;
    }
    return caseSensitive ? struct.indexOf(name) : struct.indexOfIgnoreCase(name);
  }

  private String key(String name) {
    return name == null || caseSensitive ? name : name.toLowerCase(java.util.Locale.ROOT);
  }

  /** Builds a {@link SchemaComparator}. */
  public static final class Builder {
    private boolean caseSensitive = true;
    private RenameDetection renameDetection = RenameDetection.DDL;

    private Builder() {}

    /** Match column names exactly (the default). */
    public Builder caseSensitive() {
      this.caseSensitive = true;
      return this;
    }

    /** Match column names ignoring case, for catalogs that lower-case names (Glue, Hive). */
    public Builder caseInsensitive() {
      this.caseSensitive = false;
      return this;
    }

    public Builder renameDetection(RenameDetection detection) {
      this.renameDetection = Objects.requireNonNull(detection, "detection");
      return this;
    }

    public SchemaComparator build() {
      return new SchemaComparator(caseSensitive, renameDetection);
    }
  }

  static boolean isIntegral(DataType type) {
    return type.root() == TypeRoot.INTEGER || type.root() == TypeRoot.LONG;
  }
}
