package io.tributary.paimon.glue.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.paimon.types.ArrayType;
import org.apache.paimon.types.CharType;
import org.apache.paimon.types.DataField;
import org.apache.paimon.types.DataType;
import org.apache.paimon.types.DecimalType;
import org.apache.paimon.types.MapType;
import org.apache.paimon.types.MultisetType;
import org.apache.paimon.types.RowType;
import org.apache.paimon.types.VarCharType;
import software.amazon.awssdk.services.glue.model.Column;

/**
 * Paimon types as the Hive type names Glue, Athena and Spark expect in a table's columns. The columns are for
 * people and query planners that look at Glue; the Paimon schema files stay the source of truth.
 */
public final class HiveTypeNames {
  private HiveTypeNames() {
  }

  /** The Glue columns of the given fields, leaving out the named ones (partition columns go elsewhere). */
  public static List<Column> columns(List<DataField> fields, Set<String> excluded) {
    List<Column> columns = new ArrayList<>();
    for (DataField f : fields) {
      if (!excluded.contains(f.name())) {
        columns.add(column(f));
      }
    }
    return columns;
  }

  /** One Glue column, with the field's description as comment. */
  public static Column column(DataField field) {
    return Column.builder().name(field.name()).type(typeName(field.type())).comment(field.description()).build();
  }

  /** The Hive type name of a Paimon type; types Hive lacks (TIME, VARIANT, ...) are shown as string. */
  public static String typeName(DataType type) {
    switch (type.getTypeRoot()) {
      case BOOLEAN:
        return "boolean";
      case TINYINT:
        return "tinyint";
      case SMALLINT:
        return "smallint";
      case INTEGER:
        return "int";
      case BIGINT:
        return "bigint";
      case FLOAT:
        return "float";
      case DOUBLE:
        return "double";
      case DECIMAL:
        DecimalType decimal = (DecimalType) type;
        return "decimal(" + decimal.getPrecision() + "," + decimal.getScale() + ")";
      case CHAR:
        int charLength = ((CharType) type).getLength();
        return charLength <= 255 ? "char(" + charLength + ")" : "string";
      case VARCHAR:
        int length = ((VarCharType) type).getLength();
        return length <= 65535 ? "varchar(" + length + ")" : "string";
      case BINARY:
      case VARBINARY:
        return "binary";
      case DATE:
        return "date";
      case TIMESTAMP_WITHOUT_TIME_ZONE:
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
        return "timestamp";
      case ARRAY:
        return "array<" + typeName(((ArrayType) type).getElementType()) + ">";
      case MAP:
        MapType map = (MapType) type;
        return "map<" + typeName(map.getKeyType()) + "," + typeName(map.getValueType()) + ">";
      case MULTISET:
        return "map<" + typeName(((MultisetType) type).getElementType()) + ",int>";
      case ROW:
        StringBuilder struct = new StringBuilder("struct<");
        List<DataField> fields = ((RowType) type).getFields();
        for (int i = 0; i < fields.size(); i++) {
          if (i > 0) {
            struct.append(',');
          }
          struct.append(fields.get(i).name()).append(':').append(typeName(fields.get(i).type()));
        }
        return struct.append('>').toString();
      default:
        return "string";
    }
  }
}
