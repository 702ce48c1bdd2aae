package io.tributary.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.core.config.Settings;
import io.tributary.core.type.Field;
import io.tributary.core.type.Types;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvolutionPolicyTest {
  private static final SchemaChange ADD =
      new SchemaChange.AddColumn(List.of(), Field.optional("status", Types.StringType.get()), "id");
  private static final SchemaChange WIDEN =
      new SchemaChange.WidenType(List.of("qty"), Types.IntegerType.get(), Types.LongType.get());
  private static final SchemaChange OPTIONAL =
      new SchemaChange.MakeOptional(List.of("name"), SchemaChange.MakeOptional.Reason.MISSING_AT_SOURCE);
  private static final SchemaChange RENAME =
      new SchemaChange.RenameColumn(List.of("score"), "rating", SchemaChange.RenameColumn.Evidence.DDL);
  private static final SchemaChange INCOMPATIBLE =
      new SchemaChange.Incompatible(List.of("qty"), Types.LongType.get(), Types.StringType.get(), "family");

  @Test
  void defaultsApplyEverySafeChangeAndFailOnIncompatibleOnes() {
    EvolutionPolicy policy = EvolutionPolicy.defaults();
    EvolutionPolicy.Decision safe = policy.decide(SchemaChangePlan.of(List.of(RENAME, WIDEN, OPTIONAL, ADD)));
    assertThat(safe.isAccepted()).isTrue();
    assertThat(safe.toApply().changes()).containsExactly(RENAME, WIDEN, OPTIONAL, ADD);

    EvolutionPolicy.Decision bad = policy.decide(SchemaChangePlan.of(List.of(ADD, INCOMPATIBLE)));
    assertThat(bad.action()).isEqualTo(EvolutionPolicy.Action.FAIL);
    assertThat(bad.rejected()).containsExactly(INCOMPATIBLE);
    assertThat(bad.describeRejected()).contains("qty").contains("long").contains("string");
    assertThat(policy.renameDetection()).isEqualTo(RenameDetection.DDL);
  }

  @Test
  void ignoredChangesAreDroppedAndTheRecordsStillWritten() {
    EvolutionPolicy policy = EvolutionPolicy.builder().on(ChangeKind.ADD_COLUMN, EvolutionPolicy.Action.IGNORE).build();
    EvolutionPolicy.Decision d = policy.decide(SchemaChangePlan.of(List.of(ADD, WIDEN)));
    assertThat(d.isAccepted()).isTrue();
    assertThat(d.toApply().changes()).containsExactly(WIDEN);
  }

  @Test
  void theStrongestActionWins() {
    EvolutionPolicy policy = EvolutionPolicy.builder()
        .on(ChangeKind.WIDEN_TYPE, EvolutionPolicy.Action.DEAD_LETTER)
        .on(ChangeKind.INCOMPATIBLE, EvolutionPolicy.Action.DEAD_LETTER)
        .on(ChangeKind.RENAME_COLUMN, EvolutionPolicy.Action.FAIL)
        .build();
    assertThat(policy.decide(SchemaChangePlan.of(List.of(ADD, WIDEN))).action())
        .isEqualTo(EvolutionPolicy.Action.DEAD_LETTER);
    assertThat(policy.decide(SchemaChangePlan.of(List.of(WIDEN, RENAME))).action())
        .isEqualTo(EvolutionPolicy.Action.FAIL);
    assertThat(policy.decide(SchemaChangePlan.of(List.of(INCOMPATIBLE))).rejected()).containsExactly(INCOMPATIBLE);
  }

  @Test
  void incompatibleChangesAreNeverApplied() {
    EvolutionPolicy policy = EvolutionPolicy.builder().on(ChangeKind.INCOMPATIBLE, EvolutionPolicy.Action.APPLY).build();
    assertThat(policy.decide(SchemaChangePlan.of(List.of(INCOMPATIBLE))).action()).isEqualTo(EvolutionPolicy.Action.FAIL);
    EvolutionPolicy ignoring = EvolutionPolicy.builder().on(ChangeKind.INCOMPATIBLE, EvolutionPolicy.Action.IGNORE).build();
    EvolutionPolicy.Decision d = ignoring.decide(SchemaChangePlan.of(List.of(INCOMPATIBLE)));
    assertThat(d.isAccepted()).isTrue();
    assertThat(d.toApply().isEmpty()).isTrue();
  }

  @Test
  void readsItsConfigurationFromDottedKeys() {
    EvolutionPolicy policy = EvolutionPolicy.from(Settings.of(Map.of(
        "tributary.schema.rename-detection", "inferred",
        "tributary.schema.on-incompatible", "dead-letter",
        "tributary.schema.on-add-column", "IGNORE",
        "tributary.schema.case-sensitive", "false")));
    assertThat(policy.renameDetection()).isEqualTo(RenameDetection.INFERRED);
    assertThat(policy.actionFor(ChangeKind.INCOMPATIBLE)).isEqualTo(EvolutionPolicy.Action.DEAD_LETTER);
    assertThat(policy.actionFor(ChangeKind.ADD_COLUMN)).isEqualTo(EvolutionPolicy.Action.IGNORE);
    assertThat(policy.actionFor(ChangeKind.WIDEN_TYPE)).isEqualTo(EvolutionPolicy.Action.APPLY);
    assertThat(policy.comparator().compare(
        io.tributary.core.type.StructType.of(Field.optional("ID", Types.IntegerType.get())),
        io.tributary.core.type.StructType.of(Field.optional("id", Types.IntegerType.get()))).isEmpty()).isTrue();
  }

  @Test
  void rejectsUnknownValuesNamingTheKey() {
    assertThatThrownBy(() -> EvolutionPolicy.from(Settings.of(Map.of("tributary.schema.rename-detection", "guess"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tributary.schema.rename-detection")
        .hasMessageContaining("inferred");
  }
}
