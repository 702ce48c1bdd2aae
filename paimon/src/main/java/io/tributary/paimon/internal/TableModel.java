package io.tributary.paimon.internal;

import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.paimon.table.FileStoreTable;
import org.apache.paimon.types.ArrayType;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.MapType;
import org.apache.paimon.types.RowType;

/**
 * A Paimon table seen through core types: its visible columns (the hidden row key of key-less tables left
 * out), key columns, the defaults Tributary recorded in table options, and field positions.
 */
public final class TableModel {
  /** The hidden primary key column of tables created without a key. */
  public static final String ROW_KEY_COLUMN = "_tributary_row_key";

  /** Table option prefix of column defaults, by dotted column path. */
  public static final String DEFAULT_PREFIX = "tributary.default.";

  /** Table option listing added columns whose default still has to be written into existing rows. */
  public static final String BACKFILL_PENDING = "tributary.backfill-pending";

  /** Table option prefix of the schema evolution history. */
  public static final String HISTORY_PREFIX = "tributary.history.";

  private final FileStoreTable table;
  private final RowType rowType;
  private final StructType schema;
  private final List<String> keyColumns;
  private final int rowKeyPosition;
  private final int[] visiblePositions;
  private final int[] visibleFieldIds;

  private TableModel(FileStoreTable table) {
    this.table = table;
    this.rowType = table.rowType();
    Map<String, String> options = table.options();
    List<Field> fields = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    int hidden = -1;
    List<DataField> all = rowType.getFields();
    for (int i = 0; i < all.size(); i++) {
      DataField f = all.get(i);
      if (f.name().equals(ROW_KEY_COLUMN)) {
        hidden = i;
        continue;
      }
      fields.add(toCoreField(f, f.name(), options));
      positions.add(i);
    }
    this.rowKeyPosition = hidden;
    this.schema = StructType.of(fields);
    this.visiblePositions = positions.stream().mapToInt(Integer::intValue).toArray();
    this.visibleFieldIds = positions.stream().mapToInt(p -> all.get(p).id()).toArray();
    this.keyColumns = hidden >= 0 ? List.of() : List.copyOf(table.primaryKeys());
  }

  public static TableModel of(FileStoreTable table) {
    return new TableModel(table);
  }

  private static Field toCoreField(DataField f, String path, Map<String, String> options) {
    DataType core = coreType(f.type(), path, options);
    Field field = f.type().isNullable() ? Field.optional(f.name(), core) : Field.required(f.name(), core);
    String def = options.get(DEFAULT_PREFIX + path);
    if (def != null) {
      field = field.withDefault(Values.decodeDefault(def, core));
    }
    if (f.description() != null) {
      field = field.withDoc(f.description());
    }
    return field;
  }

  private static DataType coreType(org.apache.paimon.types.DataType type, String path, Map<String, String> options) {
    if (type instanceof RowType r) {
      List<Field> fields = new ArrayList<>();
      for (DataField f : r.getFields()) {
        fields.add(toCoreField(f, path + "." + f.name(), options));
      }
      return StructType.of(fields);
    }
    if (type instanceof ArrayType a && a.getElementType() instanceof RowType) {
      return Types.ListType.of(coreType(a.getElementType(), path + ".element", options), a.getElementType().isNullable());
    }
    if (type instanceof MapType m && m.getValueType() instanceof RowType) {
      return Types.MapType.of(TypeMapping.toCore(m.getKeyType()), coreType(m.getValueType(), path + ".value", options),
          m.getValueType().isNullable());
    }
    return TypeMapping.toCore(type);
  }

  public FileStoreTable table() {
    return table;
  }

  public RowType rowType() {
    return rowType;
  }

  /** The visible columns in core types. */
  public StructType schema() {
    return schema;
  }

  public List<String> keyColumns() {
    return keyColumns;
  }

  public boolean hasRowKey() {
    return rowKeyPosition >= 0;
  }

  public int rowKeyPosition() {
    return rowKeyPosition;
  }

  /** Position in {@link #rowType()} of visible column {@code i}. */
  public int position(int visibleColumn) {
    return visiblePositions[visibleColumn];
  }

  public int[] visibleFieldIds() {
    return visibleFieldIds;
  }

  public long schemaId() {
    return table.schema().id();
  }
}
