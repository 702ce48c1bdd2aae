package io.tributary.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.ColumnRename;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaComparatorTest {
  private static final Field ID = Field.required("id", Types.IntegerType.get());
  private static final Field NAME = Field.required("name", Types.StringType.get());
  private static final Field SCORE = Field.optional("score", Types.DoubleType.get());
  private static final Field QTY = Field.optional("qty", Types.IntegerType.get());

  private final SchemaComparator comparator = SchemaComparator.defaults();

  @Test
  void comparingASchemaWithItselfYieldsNoChanges() {
    StructType nested = StructType.of(ID, NAME,
        Field.optional("address", StructType.of(Field.optional("city", Types.StringType.get()))),
        Field.optional("tags", Types.ListType.of(Types.StringType.get(), true)),
        Field.optional("attrs", Types.MapType.of(Types.StringType.get(), Types.LongType.get(), true)),
        Field.optional("price", Types.DecimalType.of(10, 2)),
        Field.optional("ts", Types.TimestampType.zoned()));
    assertThat(comparator.compare(nested, nested).isEmpty()).isTrue();
    assertThat(SchemaComparator.builder().caseInsensitive().renameDetection(RenameDetection.INFERRED).build()
        .compare(nested, nested).isEmpty()).isTrue();
  }

  @Test
  void addsNewColumnsAfterTheirSourcePredecessorWithNullabilityAndDefault() {
    StructType table = StructType.of(ID, NAME);
    Field loyalty = Field.required("loyalty", Types.IntegerType.get()).withDefault(0);
    Field email = Field.optional("email", Types.StringType.get());
    StructType source = StructType.of(ID, email, NAME, loyalty);

    SchemaChangePlan plan = comparator.compare(table, source);

    assertThat(plan.changes()).containsExactly(
        new SchemaChange.AddColumn(List.of(), email, "id"),
        new SchemaChange.AddColumn(List.of(), loyalty, "name"));
    StructType evolved = plan.applyTo(table);
    assertThat(evolved.fieldNames()).containsExactly("id", "email", "name", "loyalty");
    assertThat(evolved.field("loyalty").defaultValue()).isEqualTo(0);
    assertThat(evolved.field("loyalty").isRequired()).isTrue();
    assertThat(comparator.compare(evolved, source).isEmpty()).isTrue();
  }

  @Test
  void addsAColumnFirstWhenItHasNoPredecessor() {
    Field first = Field.optional("first", Types.StringType.get());
    SchemaChangePlan plan = comparator.compare(StructType.of(ID), StructType.of(first, ID));
    assertThat(plan.changes()).containsExactly(new SchemaChange.AddColumn(List.of(), first, null));
    assertThat(plan.applyTo(StructType.of(ID)).fieldNames()).containsExactly("first", "id");
  }

  @Test
  void widensIntegersFloatsAndDecimalPrecision() {
    StructType table = StructType.of(ID, QTY,
        Field.optional("f", Types.FloatType.get()),
        Field.optional("d", Types.DecimalType.of(10, 2)),
        Field.optional("small", Types.IntegerType.ofBits(16)));
    StructType source = StructType.of(ID, Field.optional("qty", Types.LongType.get()),
        Field.optional("f", Types.DoubleType.get()),
        Field.optional("d", Types.DecimalType.of(14, 2)),
        Field.optional("small", Types.IntegerType.get()));

    SchemaChangePlan plan = comparator.compare(table, source);

    assertThat(plan.changes()).containsExactly(
        new SchemaChange.WidenType(List.of("qty"), Types.IntegerType.get(), Types.LongType.get()),
        new SchemaChange.WidenType(List.of("f"), Types.FloatType.get(), Types.DoubleType.get()),
        new SchemaChange.WidenType(List.of("d"), Types.DecimalType.of(10, 2), Types.DecimalType.of(14, 2)),
        new SchemaChange.WidenType(List.of("small"), Types.IntegerType.ofBits(16), Types.IntegerType.get()));
    assertThat(comparator.compare(plan.applyTo(table), source).isEmpty()).isTrue();
  }

  @Test
  void aTableWiderThanTheSourceNeedsNothing() {
    StructType table = StructType.of(ID, Field.optional("qty", Types.LongType.get()),
        Field.optional("d", Types.DecimalType.of(20, 2)), Field.optional("x", Types.DoubleType.get()));
    StructType source = StructType.of(ID, QTY,
        Field.optional("d", Types.DecimalType.of(10, 2)), Field.optional("x", Types.FloatType.get()));
    assertThat(comparator.compare(table, source).isEmpty()).isTrue();
  }

  @Test
  void reportsIncompatibleChangesWithPathAndBothTypes() {
    StructType table = StructType.of(ID, Field.optional("qty", Types.LongType.get()),
        Field.optional("d", Types.DecimalType.of(10, 2)), Field.optional("s", Types.StringType.get()),
        Field.optional("x", Types.DoubleType.get()));
    StructType source = StructType.of(ID, Field.optional("qty", Types.StringType.get()),
        Field.optional("d", Types.DecimalType.of(10, 4)), Field.optional("s", Types.LongType.get()),
        Field.optional("x", Types.FloatType.get()));

    SchemaChangePlan plan = comparator.compare(table, source);

    assertThat(plan.hasIncompatibleChanges()).isTrue();
    assertThat(plan.changes()).containsExactly(
        new SchemaChange.Incompatible(List.of("qty"), Types.LongType.get(), Types.StringType.get(),
            "type family changed from long to string"),
        new SchemaChange.Incompatible(List.of("d"), Types.DecimalType.of(10, 2), Types.DecimalType.of(10, 4),
            "decimal scale changed from 2 to 4"),
        new SchemaChange.Incompatible(List.of("s"), Types.StringType.get(), Types.LongType.get(),
            "type family changed from string to long"));
    assertThat(plan.applyTo(table)).isEqualTo(table);
  }

  @Test
  void narrowingIsIncompatible() {
    StructType table = StructType.of(ID, Field.optional("qty", Types.LongType.get()));
    StructType source = StructType.of(ID, QTY);
    StructType tableInt = StructType.of(ID, QTY);
    StructType sourceLong = StructType.of(ID, Field.optional("qty", Types.LongType.get()));
    // long table accepts int source; int table gets widened by long source; decimal precision down is fine
    assertThat(comparator.compare(table, source).isEmpty()).isTrue();
    assertThat(comparator.compare(tableInt, sourceLong).changes())
        .singleElement().isInstanceOf(SchemaChange.WidenType.class);
    StructType dec = StructType.of(Field.optional("d", Types.DecimalType.of(38, 2)));
    StructType dec39 = StructType.of(Field.optional("d", Types.DecimalType.of(2, 2)));
    assertThat(comparator.compare(dec39, dec).changes()).singleElement()
        .isInstanceOf(SchemaChange.WidenType.class);
    StructType ts = StructType.of(Field.optional("t", Types.TimestampType.local()));
    StructType tsNanos = StructType.of(Field.optional("t", Types.TimestampType.localNanos()));
    assertThat(comparator.compare(ts, tsNanos).changes()).singleElement()
        .isInstanceOf(SchemaChange.Incompatible.class);
    assertThat(comparator.compare(tsNanos, ts).isEmpty()).isTrue();
    StructType zoned = StructType.of(Field.optional("t", Types.TimestampType.zoned()));
    assertThat(comparator.compare(ts, zoned).hasIncompatibleChanges()).isTrue();
  }

  @Test
  void makesColumnsOptionalWhenNullableOrMissingAtTheSource() {
    StructType table = StructType.of(ID, NAME, Field.required("code", Types.StringType.get()));
    StructType source = StructType.of(ID, Field.optional("name", Types.StringType.get()));

    SchemaChangePlan plan = comparator.compare(table, source);

    assertThat(plan.changes()).containsExactly(
        new SchemaChange.MakeOptional(List.of("name"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE),
        new SchemaChange.MakeOptional(List.of("code"), SchemaChange.MakeOptional.Reason.MISSING_AT_SOURCE));
    StructType evolved = plan.applyTo(table);
    assertThat(evolved.fieldNames()).containsExactly("id", "name", "code");
    assertThat(evolved.field("code").isOptional()).isTrue();
    assertThat(comparator.compare(evolved, source).isEmpty()).isTrue();
  }

  @Test
  void neverDropsAColumnAndAcceptsTablesWithMoreColumns() {
    StructType table = StructType.of(ID, NAME, Field.optional("notes", Types.StringType.get()));
    StructType source = StructType.of(ID, NAME);
    assertThat(comparator.compare(table, source).isEmpty()).isTrue();
  }

  @Test
  void evolvesNestedStructsListsAndMaps() {
    StructType addressV1 = StructType.of(Field.optional("city", Types.StringType.get()));
    StructType addressV2 = StructType.of(Field.optional("city", Types.StringType.get()),
        Field.optional("zip", Types.StringType.get()));
    StructType itemV1 = StructType.of(Field.required("n", Types.IntegerType.get()));
    StructType itemV2 = StructType.of(Field.required("n", Types.LongType.get()),
        Field.optional("note", Types.StringType.get()));
    StructType table = StructType.of(ID,
        Field.optional("address", addressV1),
        Field.optional("items", Types.ListType.of(itemV1, false)),
        Field.optional("counts", Types.MapType.of(Types.StringType.get(), Types.IntegerType.get(), false)));
    StructType source = StructType.of(ID,
        Field.optional("address", addressV2),
        Field.optional("items", Types.ListType.of(itemV2, true)),
        Field.optional("counts", Types.MapType.of(Types.StringType.get(), Types.LongType.get(), true)));

    SchemaChangePlan plan = comparator.compare(table, source);

    assertThat(plan.changes()).containsExactlyInAnyOrder(
        new SchemaChange.AddColumn(List.of("address"), Field.optional("zip", Types.StringType.get()), "city"),
        new SchemaChange.WidenType(List.of("items", "element", "n"), Types.IntegerType.get(), Types.LongType.get()),
        new SchemaChange.AddColumn(List.of("items", "element"), Field.optional("note", Types.StringType.get()), "n"),
        new SchemaChange.MakeOptional(List.of("items", "element"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE),
        new SchemaChange.WidenType(List.of("counts", "value"), Types.IntegerType.get(), Types.LongType.get()),
        new SchemaChange.MakeOptional(List.of("counts", "value"), SchemaChange.MakeOptional.Reason.NULLABLE_AT_SOURCE));
    StructType evolved = plan.applyTo(table);
    assertThat(evolved).isEqualTo(source);
    assertThat(comparator.compare(evolved, source).isEmpty()).isTrue();
  }

  @Test
  void appliesRenamesProvenByDdl() {
    StructType table = StructType.of(ID, SCORE, Field.optional("prefs", Types.StringType.get()));
    StructType source = StructType.of(ID, Field.optional("rating", Types.DoubleType.get()),
        Field.optional("prefs", Types.StringType.get()));

    SchemaChangePlan withoutEvidence = comparator.compare(table, source);
    SchemaChangePlan withEvidence = comparator.compare(table, source, List.of(ColumnRename.of("score", "rating")));

    assertThat(withoutEvidence.changes()).containsExactly(
        new SchemaChange.AddColumn(List.of(), Field.optional("rating", Types.DoubleType.get()), "id"));
    assertThat(withEvidence.changes()).containsExactly(
        new SchemaChange.RenameColumn(List.of("score"), "rating", SchemaChange.RenameColumn.Evidence.DDL));
    assertThat(withEvidence.applyTo(table)).isEqualTo(source);
    // evidence whose column was already renamed is ignored
    assertThat(comparator.compare(source, source, List.of(ColumnRename.of("score", "rating"))).isEmpty()).isTrue();
  }

  @Test
  void infersRenamesFromPositionAndTypeOnlyWhenAskedAndUnambiguous() {
    SchemaComparator inferring = SchemaComparator.builder().renameDetection(RenameDetection.INFERRED).build();
    SchemaComparator off = SchemaComparator.builder().renameDetection(RenameDetection.OFF).build();
    StructType table = StructType.of(ID, SCORE, Field.optional("prefs", Types.StringType.get()));
    StructType renamed = StructType.of(ID, Field.optional("rating", Types.DoubleType.get()),
        Field.optional("prefs", Types.StringType.get()));
    StructType retyped = StructType.of(ID, Field.optional("rating", Types.StringType.get()),
        Field.optional("prefs", Types.StringType.get()));

    assertThat(inferring.compare(table, renamed).changes()).containsExactly(
        new SchemaChange.RenameColumn(List.of("score"), "rating", SchemaChange.RenameColumn.Evidence.INFERRED));
    assertThat(inferring.compare(table, retyped).changes())
        .containsExactly(new SchemaChange.AddColumn(List.of(), Field.optional("rating", Types.StringType.get()), "id"));
    assertThat(off.compare(table, renamed, List.of(ColumnRename.of("score", "rating"))).changes())
        .containsExactly(new SchemaChange.AddColumn(List.of(), Field.optional("rating", Types.DoubleType.get()), "id"));
  }

  @Test
  void inferenceSkipsColumnsDroppedEarlier() {
    // notes was dropped at the source before score was renamed: the table still has it (optional)
    SchemaComparator inferring = SchemaComparator.builder().renameDetection(RenameDetection.INFERRED).build();
    StructType table = StructType.of(ID, Field.optional("active", Types.IntegerType.ofBits(16)), SCORE,
        Field.optional("notes", Types.StringType.get()), Field.optional("prefs", Types.StringType.get()));
    StructType source = StructType.of(ID, Field.optional("active", Types.IntegerType.ofBits(16)),
        Field.optional("rating", Types.DoubleType.get()), Field.optional("prefs", Types.StringType.get()));
    assertThat(inferring.compare(table, source).changes()).containsExactly(
        new SchemaChange.RenameColumn(List.of("score"), "rating", SchemaChange.RenameColumn.Evidence.INFERRED));
  }

  @Test
  void inferenceRefusesAmbiguousPairs() {
    SchemaComparator inferring = SchemaComparator.builder().renameDetection(RenameDetection.INFERRED).build();
    StructType table = StructType.of(ID, Field.optional("a", Types.StringType.get()),
        Field.optional("b", Types.StringType.get()));
    StructType source = StructType.of(ID, Field.optional("x", Types.StringType.get()),
        Field.optional("y", Types.StringType.get()));
    // a and b both vanished after id and x could be either: no guess, both new columns are added
    SchemaChangePlan ambiguous = inferring.compare(table, source);
    assertThat(ambiguous.changesOf(ChangeKind.RENAME_COLUMN)).isEmpty();
    assertThat(ambiguous.changesOf(ChangeKind.ADD_COLUMN)).hasSize(2);
    StructType table2 = StructType.of(ID, Field.optional("a", Types.StringType.get()));
    StructType source2 = StructType.of(ID, Field.optional("x", Types.StringType.get()),
        Field.optional("y", Types.StringType.get()));
    // a could be x (same predecessor) but y also lacks a match: x is unambiguous, y is added
    SchemaChangePlan plan = inferring.compare(table2, source2);
    assertThat(plan.changesOf(ChangeKind.RENAME_COLUMN)).hasSize(1);
    assertThat(plan.changesOf(ChangeKind.ADD_COLUMN)).hasSize(1);
  }

  @Test
  void matchesNamesIgnoringCaseWhenConfigured() {
    StructType table = StructType.of(Field.required("ID", Types.IntegerType.get()),
        Field.optional("Name", Types.StringType.get()));
    StructType source = StructType.of(Field.required("id", Types.IntegerType.get()),
        Field.optional("name", Types.StringType.get()));
    assertThat(comparator.compare(table, source).changesOf(ChangeKind.ADD_COLUMN)).hasSize(2);
    assertThat(SchemaComparator.builder().caseInsensitive().build().compare(table, source).isEmpty()).isTrue();
  }

  @Test
  void combinesEveryKindInOnePlanInApplicableOrder() {
    StructType table = StructType.of(ID, NAME, SCORE, QTY);
    StructType source = StructType.of(ID, Field.optional("name", Types.StringType.get()),
        Field.optional("rating", Types.DoubleType.get()), Field.optional("qty", Types.LongType.get()),
        Field.optional("status", Types.StringType.get()));
    SchemaChangePlan plan = comparator.compare(table, source, List.of(ColumnRename.of("score", "rating")));
    assertThat(plan.changes()).extracting(SchemaChange::kind).containsExactly(
        ChangeKind.RENAME_COLUMN, ChangeKind.MAKE_OPTIONAL, ChangeKind.WIDEN_TYPE, ChangeKind.ADD_COLUMN);
    assertThat(plan.applyTo(table)).isEqualTo(source);
  }
}
