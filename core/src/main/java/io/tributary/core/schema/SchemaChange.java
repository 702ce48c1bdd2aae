package io.tributary.core.schema;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import java.util.List;
import java.util.Objects;

/**
 * One change between a table's schema and an incoming row schema. Column paths are lists of names from the
 * top-level column down into nested structs; list elements and map keys/values appear as
 * {@code element}, {@code key} and {@code value}.
 */
public sealed interface SchemaChange
    permits SchemaChange.AddColumn,
        SchemaChange.WidenType,
        SchemaChange.MakeOptional,
        SchemaChange.RenameColumn,
        SchemaChange.Incompatible {

  ChangeKind kind();

  /** The path of the column the change is about (for an added column: its future path). */
  List<String> path();

  /** The path joined with dots, for messages. */
  default String pathText() {
    return String.join(".", path());
  }

  /**
   * Add {@code field} to the struct at {@code parentPath} (empty for the top level), placed right after the
   * column named {@code after}, or first when {@code after} is null. The field keeps the source's
   * nullability and default.
   */
  record AddColumn(List<String> parentPath, Field field, String after) implements SchemaChange {
    public AddColumn {
      parentPath = List.copyOf(parentPath);
      Objects.requireNonNull(field, "field");
    }

    @Override public ChangeKind kind() { return ChangeKind.ADD_COLUMN; }

    @Override
    public List<String> path() {
      return SchemaPaths.child(parentPath, field.name());
    }

    @Override
    public String toString() {
      return "add " + pathText() + " " + field.type() + (field.isOptional() ? "" : " not null")
          + (field.hasDefault() ? " default " + field.defaultValue() : "")
          + (after == null ? " first" : " after " + after);
    }
  }

  /** Promote a column's type to a wider one of the same family (int→long, float→double, decimal precision). */
  record WidenType(List<String> path, DataType from, DataType to) implements SchemaChange {
    public WidenType {
      path = List.copyOf(path);
    }

    @Override public ChangeKind kind() { return ChangeKind.WIDEN_TYPE; }

    @Override
    public String toString() {
      return "widen " + pathText() + " " + from + " -> " + to;
    }
  }

  /** Make a required column optional, because the source now allows null or no longer sends it. */
  record MakeOptional(List<String> path, Reason reason) implements SchemaChange {
    /** Why the column must accept null from now on. */
    public enum Reason {
      /** The source declares the column nullable. */
      NULLABLE_AT_SOURCE,
      /** The source no longer has the column: it is kept, and later rows carry null. */
      MISSING_AT_SOURCE
    }

    public MakeOptional {
      path = List.copyOf(path);
    }

    @Override public ChangeKind kind() { return ChangeKind.MAKE_OPTIONAL; }

    @Override
    public String toString() {
      return "make optional " + pathText() + " (" + reason.name().toLowerCase() + ")";
    }
  }

  /** Rename a column; {@code evidence} says whether a DDL statement proved it or it was inferred. */
  record RenameColumn(List<String> path, String newName, Evidence evidence) implements SchemaChange {
    /** How the rename is known. */
    public enum Evidence {
      DDL,
      INFERRED
    }

    public RenameColumn {
      path = List.copyOf(path);
      Objects.requireNonNull(newName, "newName");
    }

    @Override public ChangeKind kind() { return ChangeKind.RENAME_COLUMN; }

    @Override
    public String toString() {
      return "rename " + pathText() + " to " + newName + " (" + evidence.name().toLowerCase() + ")";
    }
  }

  /** A change no table format can apply without losing or reinterpreting data (narrowing, string→number, scale change). */
  record Incompatible(List<String> path, DataType tableType, DataType sourceType, String reason)
      implements SchemaChange {
    public Incompatible {
      path = List.copyOf(path);
    }

    @Override public ChangeKind kind() { return ChangeKind.INCOMPATIBLE; }

    @Override
    public String toString() {
      return "incompatible " + pathText() + ": table has " + tableType + ", source sends " + sourceType
          + " (" + reason + ")";
    }
  }
}
