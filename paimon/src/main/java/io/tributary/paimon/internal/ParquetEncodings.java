package io.tributary.paimon.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.paimon.table.SpecialFields;

/** Write options that make Paimon's Parquet writer leave out the dictionary of chosen columns. */
public final class ParquetEncodings {
  /** Parquet's per-column dictionary switch, which Paimon hands from the table options to its Parquet writer. */
  static final String DICTIONARY_OF = "parquet.enable.dictionary#";

  private ParquetEncodings() {}

  /**
   * Options that write the given columns of the table without a dictionary, in the key part of a primary-key
   * table's files as well, and the sequence number Paimon gives every row, which is distinct in every file.
   * Columns whose dictionary the table's own options set are left as set.
   */
  public static Map<String, String> withoutDictionary(TableModel model, Set<String> columns) {
    Map<String, String> tableOptions = model.table().options();
    Map<String, String> options = new HashMap<>();
    for (String column : columns) {
      if (model.schema().indexOf(column) >= 0) {
        plain(column, tableOptions, options);
        if (model.keyColumns().contains(column)) {
          plain(SpecialFields.KEY_FIELD_PREFIX + column, tableOptions, options);
        }
      }
    }
    plain(SpecialFields.SEQUENCE_NUMBER.name(), tableOptions, options);
    return options;
  }

  private static void plain(String column, Map<String, String> tableOptions, Map<String, String> options) {
    if (!tableOptions.containsKey(DICTIONARY_OF + column)) {
      options.put(DICTIONARY_OF + column, "false");
    }
  }
}
