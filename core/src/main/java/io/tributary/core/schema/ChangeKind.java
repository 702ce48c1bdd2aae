package io.tributary.core.schema;

/** The kinds of {@link SchemaChange}; an {@link EvolutionPolicy} decides what to do with each kind. */
public enum ChangeKind {
  ADD_COLUMN,
  WIDEN_TYPE,
  MAKE_OPTIONAL,
  RENAME_COLUMN,
  INCOMPATIBLE
}
