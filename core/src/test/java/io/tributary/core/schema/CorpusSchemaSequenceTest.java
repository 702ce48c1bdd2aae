package io.tributary.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.ColumnRename;
import io.tributary.core.testing.Corpus;
import io.tributary.core.type.DataType;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays the exact sequence of row schemas (and rename DDL) that the real MariaDB connector emitted in the
 * corpus and checks the plan the comparator makes at every schema change.
 */
class CorpusSchemaSequenceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RENAME = Pattern.compile("RENAME COLUMN `?(\\w+)`? TO `?(\\w+)`?", Pattern.CASE_INSENSITIVE);

  /** Per table, the plans made at each new schema, with DDL renames as evidence. */
  private Map<String, List<SchemaChangePlan>> replay(SchemaComparator comparator) throws IOException {
    Map<String, StructType> tables = new LinkedHashMap<>();
    Map<String, List<ColumnRename>> pendingRenames = new LinkedHashMap<>();
    Map<String, List<SchemaChangePlan>> plans = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(Corpus.mariadb().resolve("json-schemas/events.jsonl"))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode record = JSON.readTree(line);
        JsonNode value = record.get("value");
        if (value == null || value.isNull()) {
          continue;
        }
        String topic = record.get("topic").asText();
        if (topic.equals("mariadb")) {
          String ddl = value.get("payload").get("ddl").asText();
          Matcher m = RENAME.matcher(ddl);
          for (JsonNode change : value.get("payload").get("tableChanges")) {
            String table = change.get("id").asText().replace("\"", "").replaceAll("^.*\\.", "");
            while (m.find()) {
              pendingRenames.computeIfAbsent(table, t -> new ArrayList<>()).add(ColumnRename.of(m.group(1), m.group(2)));
            }
          }
          continue;
        }
        String table = topic.substring(topic.lastIndexOf('.') + 1);
        JsonNode rowSchema = null;
        for (JsonNode f : value.get("schema").get("fields")) {
          if (f.get("field").asText().equals("after") || f.get("field").asText().equals("before")) {
            rowSchema = f;
          }
        }
        StructType source = (StructType) toType(rowSchema);
        StructType current = tables.get(table);
        if (current == null) {
          tables.put(table, source);
          continue;
        }
        List<ColumnRename> renames = pendingRenames.getOrDefault(table, List.of());
        SchemaChangePlan plan = comparator.compare(current, source, renames);
        if (!plan.isEmpty()) {
          plans.computeIfAbsent(table, t -> new ArrayList<>()).add(plan);
          StructType evolved = plan.applyTo(current);
          assertThat(comparator.compare(evolved, source, renames).isEmpty())
              .as("applying the plan makes the table accept the source schema").isTrue();
          tables.put(table, evolved);
        }
        pendingRenames.remove(table);
      }
    }
    return plans;
  }

  @Test
  void corpusSchemaChangesBecomeTheExpectedPlans() throws IOException {
    Map<String, List<SchemaChangePlan>> plans = replay(SchemaComparator.defaults());

    assertThat(plans.get("customers")).containsExactly(
        SchemaChangePlan.of(List.of(new SchemaChange.AddColumn(List.of(),
            Field.optional("status", Types.StringType.get()), "wake_time"))),
        SchemaChangePlan.of(List.of(new SchemaChange.AddColumn(List.of(),
            Field.required("loyalty", Types.IntegerType.get()).withDefault(0), "status"))),
        // DROP COLUMN notes needs no change: notes is optional and kept
        SchemaChangePlan.of(List.of(new SchemaChange.RenameColumn(List.of("score"), "rating",
            SchemaChange.RenameColumn.Evidence.DDL))));
    assertThat(plans.get("order_lines")).containsExactly(SchemaChangePlan.of(List.of(
        new SchemaChange.WidenType(List.of("qty"), Types.IntegerType.get(), Types.LongType.get()))));
    assertThat(plans).doesNotContainKey("events_nopk");
  }

  @Test
  void withoutDdlEvidenceTheRenameIsInferredOrBecomesANewColumn() throws IOException {
    SchemaComparator inferring = SchemaComparator.builder().renameDetection(RenameDetection.INFERRED).build();
    SchemaComparator off = SchemaComparator.builder().renameDetection(RenameDetection.OFF).build();

    assertThat(replay(inferring).get("customers").get(2).changes()).containsExactly(
        new SchemaChange.RenameColumn(List.of("score"), "rating", SchemaChange.RenameColumn.Evidence.DDL));
    assertThat(replay(off).get("customers").get(2).changes()).containsExactly(
        new SchemaChange.AddColumn(List.of(), Field.optional("rating", Types.DoubleType.get()), "active"));
  }

  /** Just enough of Connect's JSON schema format for the corpus's row schemas. */
  private static DataType toType(JsonNode schema) {
    String name = schema.path("name").asText("");
    switch (name) {
      case "org.apache.kafka.connect.data.Decimal":
        return Types.DecimalType.of(schema.get("parameters").get("connect.decimal.precision").asInt(),
            schema.get("parameters").get("scale").asInt());
      case "io.debezium.time.Timestamp":
        return Types.TimestampType.local();
      case "io.debezium.time.ZonedTimestamp":
        return Types.TimestampType.zoned();
      case "io.debezium.time.Date":
        return Types.DateType.get();
      case "io.debezium.time.MicroTime":
        return Types.TimeType.get();
      case "io.debezium.data.Enum":
        return Types.EnumType.of(List.of(schema.get("parameters").get("allowed").asText().split(",")));
      default:
        break;
    }
    switch (schema.get("type").asText()) {
      case "struct": {
        List<Field> fields = new ArrayList<>();
        for (JsonNode f : schema.get("fields")) {
          DataType type = toType(f);
          Field field = f.path("optional").asBoolean(false)
              ? Field.optional(f.get("field").asText(), type)
              : Field.required(f.get("field").asText(), type);
          if (f.has("default")) {
            field = field.withDefault(f.get("default").asInt());
          }
          fields.add(field);
        }
        return StructType.of(fields);
      }
      case "int16": return Types.IntegerType.ofBits(16);
      case "int32": return Types.IntegerType.get();
      case "int64": return Types.LongType.get();
      case "double": return Types.DoubleType.get();
      case "string": return Types.StringType.get();
      case "bytes": return Types.BinaryType.get();
      default: throw new IllegalArgumentException("unexpected corpus type " + schema);
    }
  }
}
