package io.tributary.iceberg.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.core.FatalException;
import io.tributary.core.Origin;
import io.tributary.core.TableId;
import io.tributary.core.schema.SchemaChange;
import io.tributary.core.sink.SchemaEvolution;
import io.tributary.core.type.Field;
import io.tributary.core.sink.SchemaHistoryEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types.NestedField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Translates a schema change plan into one Iceberg schema update, committed in one transaction with an entry
 * of the table's evolution history. Changes the table already has are skipped, so that applying a plan
 * again (after a lost commit race or a restart) is harmless.
 */
public final class SchemaEvolver {
  /** Prefix of the table properties holding the evolution history. */
  public static final String HISTORY_PREFIX = "tributary.schema-history.";
  private static final Logger LOG = LoggerFactory.getLogger(SchemaEvolver.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TypeMapping mapping;

  public SchemaEvolver(TypeMapping mapping) {
    this.mapping = mapping;
  }

  /**
   * Stages the plan's changes that {@code table} does not have yet in a transaction, with a history entry.
   *
   * @return the transaction to commit, or null when the table already has every change
   */
  public Transaction stage(TableId id, Table table, SchemaEvolution evolution) {
    for (SchemaChange c : evolution.plan().changes()) {
      if (c instanceof SchemaChange.Incompatible inc) {
        throw new FatalException("table " + id + " cannot take schema change: " + inc
            + (evolution.cause() != null ? " (caused by " + evolution.cause() + ")" : "")
            + "; recreate the table or route the topic elsewhere");
      }
    }
    Schema schema = table.schema();
    boolean v3 = TableUtil.formatVersion(table) >= 3;
    Transaction tx = table.newTransaction();
    UpdateSchema update = tx.updateSchema();
    List<String> applied = new ArrayList<>();
    Map<String, String> renamed = new HashMap<>();
    Set<String> added = new HashSet<>();
    for (SchemaChange change : evolution.plan().changes()) {
      if (stageChange(id, schema, update, change, v3, renamed, added)) {
        applied.add(change.toString());
      }
    }
    if (applied.isEmpty()) {
      return null;
    }
    update.commit();
    int schemaId = tx.table().schema().schemaId();
    int sequence = historySize(table.properties()) + 1;
    tx.updateProperties().set(HISTORY_PREFIX + sequence, historyJson(schemaId, evolution, applied)).commit();
    LOG.info("table {}: schema {} after {}", id, schemaId, applied);
    return tx;
  }

  /**
   * The name of a column in the schema the update started from: a plan names columns as they are after its
   * earlier changes, while {@link UpdateSchema} resolves names against its base schema.
   */
  private static String baseName(List<String> path, Map<String, String> renamed) {
    for (int i = path.size(); i > 0; i--) {
      String prefix = String.join(".", path.subList(0, i));
      String old = renamed.get(prefix);
      if (old != null) {
        List<String> rest = path.subList(i, path.size());
        return rest.isEmpty() ? old : old + "." + String.join(".", rest);
      }
    }
    return String.join(".", path);
  }

  private boolean stageChange(
      TableId id, Schema schema, UpdateSchema update, SchemaChange change, boolean v3,
      Map<String, String> renamed, Set<String> added) {
    if (change instanceof SchemaChange.AddColumn add) {
      String parent = add.parentPath().isEmpty() ? null : baseName(add.parentPath(), renamed);
      String full = parent == null ? add.field().name() : parent + "." + add.field().name();
      if (schema.findField(full) != null) {
        return false;
      }
      added.add(full);
      Field storage = mapping.storageField(add.field());
      Type type = mapping.toIcebergType(storage.type(), new AtomicInteger(1000));
      Literal<?> def = v3 ? mapping.defaultLiteral(storage, type) : null;
      if (storage.isRequired() && def != null) {
        update.addRequiredColumn(parent, storage.name(), type, storage.doc(), def);
      } else {
        // without a default (or in format version 2, which has none) existing rows have no value: optional
        update.addColumn(parent, storage.name(), type, storage.doc(), def);
      }
      if (add.after() == null) {
        update.moveFirst(full);
      } else {
        List<String> afterPath = new ArrayList<>(add.parentPath());
        afterPath.add(add.after());
        String after = baseName(afterPath, renamed);
        if (schema.findField(after) != null || renamed.containsValue(after) || added.contains(after)) {
          update.moveAfter(full, after);
        }
        // else the column it followed at the source is gone from the table: the new one goes last
      }
      return true;
    }
    if (change instanceof SchemaChange.WidenType widen) {
      String name = baseName(widen.path(), renamed);
      NestedField field = schema.findField(name);
      if (field == null) {
        throw new FatalException("table " + id + " has no column " + name + " to widen");
      }
      Type to = mapping.toIcebergType(mapping.storageType(widen.to()), new AtomicInteger(1000));
      if (field.type().equals(to)) {
        return false;
      }
      if (!to.isPrimitiveType()) {
        throw new FatalException("table " + id + ": cannot widen nested column " + name + " to " + to);
      }
      update.updateColumn(name, to.asPrimitiveType());
      return true;
    }
    if (change instanceof SchemaChange.MakeOptional opt) {
      String name = baseName(opt.path(), renamed);
      NestedField field = schema.findField(name);
      if (field == null || field.isOptional()) {
        return false;
      }
      if (schema.identifierFieldIds().contains(field.fieldId())) {
        // Iceberg identifier fields must be required; a key value is never null at the source anyway, and
        // a row that has none fails on its own as a record error
        LOG.warn("table {}: key column {} stays required (Iceberg identifier fields cannot be optional)",
            id, name);
        return false;
      }
      update.makeColumnOptional(name);
      return true;
    }
    if (change instanceof SchemaChange.RenameColumn rename) {
      String name = baseName(rename.path(), renamed);
      List<String> parent = rename.path().subList(0, rename.path().size() - 1);
      String newPath = parent.isEmpty() ? rename.newName() : String.join(".", parent) + "." + rename.newName();
      if (schema.findField(name) == null) {
        if (schema.findField(newPath) != null) {
          return false;
        }
        throw new FatalException("table " + id + " has no column " + name + " to rename");
      }
      update.renameColumn(name, rename.newName());
      renamed.put(newPath, name);
      return true;
    }
    return false;
  }

  private static int historySize(Map<String, String> properties) {
    int max = 0;
    for (String key : properties.keySet()) {
      if (key.startsWith(HISTORY_PREFIX)) {
        try {
          max = Math.max(max, Integer.parseInt(key.substring(HISTORY_PREFIX.length())));
        } catch (NumberFormatException e) {
          // not one of ours
        }
      }
    }
    return max;
  }

  private static String historyJson(int schemaId, SchemaEvolution evolution, List<String> applied) {
    ObjectNode node = JSON.createObjectNode();
    node.put("schema-id", schemaId);
    node.put("timestamp-ms", evolution.timestampMillis());
    Origin cause = evolution.cause();
    if (cause != null) {
      node.put("topic", cause.topic());
      node.put("partition", cause.partition());
      node.put("offset", cause.offset());
    }
    ArrayNode changes = node.putArray("changes");
    applied.forEach(changes::add);
    return node.toString();
  }

  /** The history recorded in a table's properties, oldest first. */
  public static List<SchemaHistoryEntry> history(Map<String, String> properties) {
    java.util.TreeMap<Integer, SchemaHistoryEntry> entries = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (!e.getKey().startsWith(HISTORY_PREFIX)) {
        continue;
      }
      int sequence;
      try {
        sequence = Integer.parseInt(e.getKey().substring(HISTORY_PREFIX.length()));
      } catch (NumberFormatException ex) {
        continue;
      }
      try {
        JsonNode node = JSON.readTree(e.getValue());
        Origin cause = node.has("topic")
            ? Origin.of(node.get("topic").asText(), node.get("partition").asInt(), node.get("offset").asLong())
            : null;
        List<String> changes = new ArrayList<>();
        node.path("changes").forEach(c -> changes.add(c.asText()));
        entries.put(sequence, new SchemaHistoryEntry(node.path("schema-id").asInt(),
            node.path("timestamp-ms").asLong(), cause, changes));
      } catch (JsonProcessingException ex) {
        LOG.warn("unreadable schema history property {}: {}", e.getKey(), ex.getMessage());
      }
    }
    return new ArrayList<>(entries.values());
  }
}
