package io.tributary.core.schema;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * The ordered list of {@link SchemaChange}s that turn a table's schema into one that accepts an incoming row
 * schema. Renames come first, then type and nullability changes, then additions, so that a sink can apply
 * them in order. {@link #applyTo(StructType)} computes the resulting schema without any table format.
 */
public final class SchemaChangePlan {
  private static final SchemaChangePlan EMPTY = new SchemaChangePlan(List.of());
  private final List<SchemaChange> changes;

  private SchemaChangePlan(List<SchemaChange> changes) {
    this.changes = List.copyOf(changes);
  }

  public static SchemaChangePlan empty() {
    return EMPTY;
  }

  public static SchemaChangePlan of(List<SchemaChange> changes) {
    return changes.isEmpty() ? EMPTY : new SchemaChangePlan(changes);
  }

  public List<SchemaChange> changes() {
    return changes;
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  public boolean hasIncompatibleChanges() {
    return changes.stream().anyMatch(c -> c.kind() == ChangeKind.INCOMPATIBLE);
  }

  /** The changes of one kind. */
  public List<SchemaChange> changesOf(ChangeKind kind) {
    return changes.stream().filter(c -> c.kind() == kind).toList();
  }

  /** A plan with only the changes that match. */
  public SchemaChangePlan filter(Predicate<SchemaChange> keep) {
    return of(changes.stream().filter(keep).toList());
  }

  /**
   * The schema that results from applying this plan to {@code table}. Incompatible changes are not
   * applicable and leave the column as it is.
   */
  public StructType applyTo(StructType table) {
    StructType result = table;
    for (SchemaChange change : changes) {
      result = apply(result, change);
    }
    return result;
  }

  private static StructType apply(StructType root, SchemaChange change) {
    if (change instanceof SchemaChange.Incompatible) {
      return root;
    }
    if (change instanceof SchemaChange.AddColumn add) {
      if (add.parentPath().isEmpty()) {
        return insertAfter(root, add.field(), add.after());
      }
      return (StructType) replace(root, add.parentPath(), 0, parent -> {
        if (!(parent.type() instanceof StructType s)) {
          throw new IllegalArgumentException("cannot add a column to non-struct " + String.join(".", add.parentPath()));
        }
        return parent.withType(insertAfter(s, add.field(), add.after()));
      });
    }
    return (StructType) replace(root, change.path(), 0, f -> {
      if (change instanceof SchemaChange.WidenType w) {
        return f.withType(w.to());
      } else if (change instanceof SchemaChange.MakeOptional) {
        return f.asOptional();
      } else if (change instanceof SchemaChange.RenameColumn r) {
        return f.withName(r.newName());
      }
      return f;
    });
  }

  private static StructType insertAfter(StructType struct, Field field, String after) {
    List<Field> fields = new ArrayList<>(struct.fields());
    int at = after == null ? 0 : struct.indexOf(after) + 1;
    if (after != null && at == 0) {
      at = fields.size();
    }
    fields.add(at, field);
    return StructType.of(fields);
  }

  /** Replaces the field (or list element / map key or value) at {@code path} below {@code type}. */
  private static DataType replace(DataType type, List<String> path, int depth, UnaryOperator<Field> fn) {
    String step = path.get(depth);
    boolean last = depth == path.size() - 1;
    if (type instanceof StructType struct) {
      int idx = struct.indexOf(step);
      if (idx < 0) {
        throw new IllegalArgumentException("no column " + String.join(".", path.subList(0, depth + 1)));
      }
      Field f = struct.field(idx);
      Field updated = last ? fn.apply(f) : f.withType(replace(f.type(), path, depth + 1, fn));
      List<Field> fields = new ArrayList<>(struct.fields());
      fields.set(idx, updated);
      return StructType.of(fields);
    }
    if (type instanceof Types.ListType l && step.equals(SchemaPaths.ELEMENT)) {
      Field element = pseudo(step, l.elementType(), l.elementOptional());
      Field updated = last ? fn.apply(element) : element.withType(replace(l.elementType(), path, depth + 1, fn));
      return Types.ListType.of(updated.type(), updated.isOptional());
    }
    if (type instanceof Types.MapType m && step.equals(SchemaPaths.VALUE)) {
      Field value = pseudo(step, m.valueType(), m.valueOptional());
      Field updated = last ? fn.apply(value) : value.withType(replace(m.valueType(), path, depth + 1, fn));
      return Types.MapType.of(m.keyType(), updated.type(), updated.isOptional());
    }
    if (type instanceof Types.MapType m && step.equals(SchemaPaths.KEY)) {
      Field key = Field.required(step, m.keyType());
      Field updated = last ? fn.apply(key) : key.withType(replace(m.keyType(), path, depth + 1, fn));
      return Types.MapType.of(updated.type(), m.valueType(), m.valueOptional());
    }
    throw new IllegalArgumentException(
        "path " + String.join(".", path) + " does not exist below " + type);
  }

  private static Field pseudo(String name, DataType type, boolean optional) {
    return optional ? Field.optional(name, type) : Field.required(name, type);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SchemaChangePlan p && changes.equals(p.changes);
  }

  @Override
  public int hashCode() {
    return changes.hashCode();
  }

  @Override
  public String toString() {
    return changes.isEmpty() ? "no changes" : changes.toString();
  }
}
