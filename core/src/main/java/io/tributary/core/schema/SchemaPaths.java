package io.tributary.core.schema;

import java.util.ArrayList;
import java.util.List;

/** Small helpers for column paths. */
final class SchemaPaths {
  static final String ELEMENT = "element";
  static final String KEY = "key";
  static final String VALUE = "value";

  private SchemaPaths() {}

  static List<String> child(List<String> parent, String name) {
    List<String> path = new ArrayList<>(parent.size() + 1);
    path.addAll(parent);
    path.add(name);
    return List.copyOf(path);
  }
}
