package io.tributary.paimon.internal;

import io.tributary.core.FatalException;
import io.tributary.core.Origin;
import io.tributary.core.RetryableException;
import io.tributary.core.TableId;
import io.tributary.core.schema.SchemaChangePlan;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import io.tributary.core.sink.SchemaHistoryEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.paimon.catalog.Catalog;
import org.apache.paimon.catalog.Identifier;
import org.apache.paimon.data.BinaryString;
import org.apache.paimon.data.GenericRow;
import org.apache.paimon.schema.SchemaChange;
import org.apache.paimon.table.sink.BatchTableCommit;
import org.apache.paimon.table.sink.BatchTableWrite;
import org.apache.paimon.table.sink.BatchWriteBuilder;
import org.apache.paimon.types.RowKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates a core {@link SchemaChangePlan} into Paimon {@link SchemaChange}s applied in one
 * {@code alterTable} call together with Tributary's table options (column defaults, evolution history,
 * pending default backfill), and writes the defaults of added columns into existing rows.
 */
public final class SchemaEvolver {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolver.class);
  private static final int ATTEMPTS = 3;
  /** Marks a pending backfill column whose source declares it NOT NULL: it is made required afterwards. */
  private static final String REQUIRED_MARK = ":required";
  /** Paimon's switch that allows making a nullable column NOT NULL (set to false on our tables). */
  public static final String NULL_TO_NOT_NULL_DISABLED = "alter-column-null-to-not-null.disabled";

  private SchemaEvolver() {}

  /** Adds the default options of a field (and its nested fields) at {@code path}. */
  public static void defaultOptions(Field f, String path, Map<String, String> options) {
    String text = Values.encodeDefault(f.defaultValue(), f.type());
    if (text != null) {
      options.put(TableModel.DEFAULT_PREFIX + path, text);
    }
    if (f.type() instanceof StructType s) {
      for (Field nested : s.fields()) {
        defaultOptions(nested, path + "." + nested.name(), options);
      }
    }
  }

  /** Applies the plan, skipping changes the table already has, so that a retried evolution is harmless. */
  public static void apply(Catalog catalog, Identifier id, Supplier<TableModel> current, SchemaEvolution evolution) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      TableModel model = current.get();
      List<SchemaChange> changes = new ArrayList<>();
      List<String> applied = new ArrayList<>();
      Map<String, String> options = model.table().options();
      Set<String> pending = new LinkedHashSet<>(pendingBackfill(options));
      StructType schema = model.schema();
      for (io.tributary.core.schema.SchemaChange change : evolution.plan().changes()) {
        if (translate(change, model, schema, options, pending, changes)) {
          applied.add(change.toString());
          schema = SchemaChangePlan.of(List.of(change)).applyTo(schema);
        }
      }
      if (changes.isEmpty()) {
        return;
      }
      if (!pending.isEmpty()) {
        changes.add(SchemaChange.setOption(TableModel.BACKFILL_PENDING, String.join(",", pending)));
      }
      int n = history(options).size();
      String prefix = TableModel.HISTORY_PREFIX + n + ".";
      changes.add(SchemaChange.setOption(prefix + "schema-id", Long.toString(model.schemaId() + 1)));
      changes.add(SchemaChange.setOption(prefix + "time", Long.toString(evolution.timestampMillis())));
      changes.add(SchemaChange.setOption(prefix + "changes", String.join("\n", applied)));
      Origin cause = evolution.cause();
      if (cause != null) {
        changes.add(SchemaChange.setOption(prefix + "cause",
            cause.topic() + "\n" + cause.partition() + "\n" + cause.offset()));
      }
      try {
        catalog.alterTable(id, changes, false);
        LOG.info("evolved Paimon table {}: {}", id, applied);
        return;
      } catch (Catalog.TableNotExistException e) {
        throw new FatalException("Paimon table " + id + " vanished during evolution", e);
      } catch (Catalog.ColumnAlreadyExistException | Catalog.ColumnNotExistException e) {
        last = new RetryableException("schema of " + id + " changed concurrently: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        last = e;
        LOG.warn("attempt {} to evolve {} failed: {}", attempt, id, e.toString());
      }
    }
    throw new RetryableException("cannot evolve Paimon table " + id + ": " + last.getMessage(), last);
  }

  private static boolean translate(
      io.tributary.core.schema.SchemaChange change, TableModel model, StructType schema, Map<String, String> options,
      Set<String> pending, List<SchemaChange> out) {
    if (change instanceof io.tributary.core.schema.SchemaChange.AddColumn add) {
      if (find(schema, add.path()) != null) {
        return false;
      }
      Field f = add.field().withType(TypeMapping.storageType(add.field().type()));
      String[] path = add.path().toArray(new String[0]);
      SchemaChange.Move move = null;
      if (add.parentPath().isEmpty()) {
        if (add.after() == null) {
          move = SchemaChange.Move.first(f.name());
        } else if (schema.indexOf(add.after()) >= 0) {
          move = SchemaChange.Move.after(f.name(), add.after());
        } else if (model.hasRowKey()) {
          move = SchemaChange.Move.before(f.name(), TableModel.ROW_KEY_COLUMN);
        }
      }
      // Paimon refuses NOT NULL on added columns: rows written before have no value for it
      out.add(SchemaChange.addColumn(path, TypeMapping.toPaimon(f.type(), true), f.doc(), move));
      Map<String, String> defaults = new TreeMap<>();
      defaultOptions(f, String.join(".", add.path()), defaults);
      defaults.forEach((k, v) -> out.add(SchemaChange.setOption(k, v)));
      if (f.hasDefault() && add.parentPath().isEmpty() && !f.type().isNested()) {
        pending.add(f.name() + (f.isRequired() ? REQUIRED_MARK : ""));
      }
      return true;
    }
    if (change instanceof io.tributary.core.schema.SchemaChange.WidenType widen) {
      Field f = find(schema, widen.path());
      DataType to = TypeMapping.storageType(widen.to());
      if (f == null || f.type().equals(to)) {
        return false;
      }
      out.add(SchemaChange.updateColumnType(widen.path().toArray(new String[0]),
          TypeMapping.toPaimon(to, f.isOptional()), true));
      return true;
    }
    if (change instanceof io.tributary.core.schema.SchemaChange.MakeOptional opt) {
      Field f = find(schema, opt.path());
      if (f == null || f.isOptional()) {
        return false;
      }
      if (opt.path().size() == 1 && model.table().primaryKeys().contains(opt.pathText())) {
        // Paimon keeps key columns NOT NULL; a key never holds null, so the table accepts the rows anyway
        LOG.warn("not making primary key column {} of {} optional", opt.pathText(), model.table().name());
        return false;
      }
      out.add(SchemaChange.updateColumnNullability(opt.path().toArray(new String[0]), true));
      return true;
    }
    if (change instanceof io.tributary.core.schema.SchemaChange.RenameColumn rename) {
      if (find(schema, rename.path()) == null) {
        return false;
      }
      out.add(SchemaChange.renameColumn(rename.path().toArray(new String[0]), rename.newName()));
      String from = String.join(".", rename.path());
      List<String> to = new ArrayList<>(rename.path());
      to.set(to.size() - 1, rename.newName());
      String toText = String.join(".", to);
      for (Map.Entry<String, String> e : options.entrySet()) {
        String key = e.getKey();
        String prefix = TableModel.DEFAULT_PREFIX + from;
        if (key.equals(prefix) || key.startsWith(prefix + ".")) {
          out.add(SchemaChange.removeOption(key));
          out.add(SchemaChange.setOption(TableModel.DEFAULT_PREFIX + toText + key.substring(prefix.length()),
              e.getValue()));
        }
      }
      if (rename.path().size() == 1) {
        for (String mark : List.of("", REQUIRED_MARK)) {
          if (pending.remove(from + mark)) {
            pending.add(rename.newName() + mark);
          }
        }
      }
      return true;
    }
    LOG.warn("not applying {}: no table format can apply it without rewriting data", change);
    return false;
  }

  private static Field find(StructType schema, List<String> path) {
    DataType type = schema;
    Field found = null;
    for (String step : path) {
      if (type instanceof Types.ListType l && step.equals("element")) {
        type = l.elementType();
        found = l.elementOptional() ? Field.optional(step, type) : Field.required(step, type);
        continue;
      }
      if (type instanceof Types.MapType m && (step.equals("value") || step.equals("key"))) {
        boolean value = step.equals("value");
        type = value ? m.valueType() : m.keyType();
        found = value && m.valueOptional() ? Field.optional(step, type) : Field.required(step, type);
        continue;
      }
      if (!(type instanceof StructType s) || s.field(step) == null) {
        return null;
      }
      found = s.field(step);
      type = found.type();
    }
    return found;
  }

  static List<String> pendingBackfill(Map<String, String> options) {
    String text = options.get(TableModel.BACKFILL_PENDING);
    return text == null || text.isEmpty() ? List.of() : Arrays.asList(text.split(","));
  }

  /**
   * Writes the defaults of newly added columns into the rows that hold null there (rows written before the
   * column existed), in one commit, then clears the pending marker. Rows of a key-less table get a new
   * hidden key, since their values changed. Running it again after a crash finds nothing left to do.
   */
  public static void backfill(Catalog catalog, Identifier id, TableId table, TableModel model) {
    List<String> pending = pendingBackfill(model.table().options());
    if (pending.isEmpty()) {
      return;
    }
    StructType schema = model.schema();
    List<Integer> columns = new ArrayList<>();
    List<SchemaChange> finish = new ArrayList<>();
    for (String entry : pending) {
      boolean required = entry.endsWith(REQUIRED_MARK);
      String name = required ? entry.substring(0, entry.length() - REQUIRED_MARK.length()) : entry;
      int pos = schema.indexOf(name);
      if (pos >= 0 && schema.field(pos).hasDefault()) {
        columns.add(pos);
        if (required && schema.field(pos).isOptional()) {
          // every row holds a value now, so the column can declare NOT NULL as the source does
          finish.add(SchemaChange.updateColumnNullability(new String[] {name}, false));
        }
      }
    }
    finish.add(SchemaChange.removeOption(TableModel.BACKFILL_PENDING));
    long count = 0;
    BatchWriteBuilder builder = model.table().newBatchWriteBuilder();
    try (BatchTableWrite write = builder.newWrite(); BatchTableCommit commit = builder.newCommit()) {
      for (TableReads.ReadRow r : TableReads.read(model, null)) {
        Object[] values = new Object[schema.size()];
        boolean changed = false;
        for (int i = 0; i < values.length; i++) {
          values[i] = r.row().get(i);
        }
        for (int pos : columns) {
          if (values[pos] == null) {
            values[pos] = schema.field(pos).defaultValue();
            r.internal().setField(model.position(pos), Values.toPaimon(values[pos], schema.field(pos).type()));
            changed = true;
          }
        }
        if (!changed) {
          continue;
        }
        if (model.hasRowKey()) {
          GenericRow old = copy(r.internal());
          old.setRowKind(RowKind.DELETE);
          for (int pos : columns) {
            old.setField(model.position(pos), null);
          }
          write.write(old);
          r.internal().setField(model.rowKeyPosition(),
              BinaryString.fromString(RowHasher.hash(schema, model.visibleFieldIds(), values)));
        }
        r.internal().setRowKind(RowKind.INSERT);
        write.write(r.internal());
        count++;
      }
      commit.commit(write.prepareCommit());
      if (finish.size() > 1 && !"false".equals(model.table().options().get(NULL_TO_NOT_NULL_DISABLED))) {
        // Paimon reads this switch from the schema before the change, so it needs its own step
        catalog.alterTable(id, List.of(SchemaChange.setOption(NULL_TO_NOT_NULL_DISABLED, "false")), false);
      }
      catalog.alterTable(id, finish, false);
    } catch (Exception e) {
      throw new RetryableException("cannot write the defaults of " + pending + " into existing rows of " + table
          + ": " + e.getMessage(), e);
    }
    LOG.info("wrote the defaults of {} into {} existing rows of {}", pending, count, table);
  }

  private static GenericRow copy(GenericRow row) {
    GenericRow out = new GenericRow(row.getFieldCount());
    for (int i = 0; i < row.getFieldCount(); i++) {
      out.setField(i, row.getField(i));
    }
    return out;
  }

  /** The recorded history, oldest first. */
  public static List<SchemaHistoryEntry> history(Map<String, String> options) {
    List<SchemaHistoryEntry> out = new ArrayList<>();
    for (int n = 0; ; n++) {
      String prefix = TableModel.HISTORY_PREFIX + n + ".";
      String changes = options.get(prefix + "changes");
      if (changes == null) {
        return out;
      }
      String cause = options.get(prefix + "cause");
      Origin origin = null;
      if (cause != null) {
        String[] parts = cause.split("\n");
        origin = Origin.of(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
      }
      out.add(new SchemaHistoryEntry(
          Long.parseLong(options.getOrDefault(prefix + "schema-id", "-1")),
          Long.parseLong(options.getOrDefault(prefix + "time", "0")),
          origin,
          List.of(changes.split("\n"))));
    }
  }
}
