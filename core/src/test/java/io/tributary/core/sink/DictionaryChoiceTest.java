package io.tributary.core.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.Row;
import io.tributary.core.Unavailable;
import io.tributary.core.type.Field;
import io.tributary.core.type.StructType;
import io.tributary.core.type.Types;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class DictionaryChoiceTest {
  private static final StructType PEOPLE = StructType.of(
      Field.required("id", Types.IntegerType.get()),
      Field.optional("born", Types.IntegerType.get()),
      Field.optional("tier", Types.StringType.get()));

  /** One batch of {@code rows} rows: distinct ids, {@code born(i)} and four tiers. */
  private static void batch(DictionaryChoice choice, int rows, IntFunction<Object> born) {
    DictionaryChoice.Sample sample = choice.newSample();
    for (int i = 0; i < rows; i++) {
      sample.add(Row.of(PEOPLE, i, born.apply(i), "tier-" + (i % 4)));
    }
    sample.finish();
  }

  @Test
  void nearlyDistinctColumnsGoPlainAndComeBackOnlyWellBelowTheShareThatTookThemAway() {
    DictionaryChoice choice = DictionaryChoice.sampled();
    assertThat(choice.plainColumns()).isEmpty();

    batch(choice, 2000, i -> i % 1000 < 950 ? i : 0); // 95% distinct among the sampled 1,024 rows
    assertThat(choice.plainColumns()).containsExactly("id");
    batch(choice, 2000, i -> i);
    assertThat(choice.plainColumns()).containsExactlyInAnyOrder("id", "born");
    // 95% again: a plain column stays plain rather than flipping back and forth
    batch(choice, 2000, i -> i % 1000 < 950 ? i : 0);
    assertThat(choice.plainColumns()).containsExactlyInAnyOrder("id", "born");
    batch(choice, 2000, i -> i % 2);
    assertThat(choice.plainColumns()).containsExactly("id");
  }

  @Test
  void smallBatchesNullsAndUnavailableValuesDecideNothing() {
    DictionaryChoice choice = DictionaryChoice.sampled();
    batch(choice, 100, i -> i);
    assertThat(choice.plainColumns()).isEmpty();
    batch(choice, 2000, i -> i < 1800 ? null : Unavailable.VALUE);
    assertThat(choice.plainColumns()).containsExactly("id");
  }

  @Test
  void dictionariesEverywhereNeverChoosesPlainColumns() {
    DictionaryChoice choice = DictionaryChoice.dictionariesEverywhere();
    batch(choice, 2000, i -> i);
    assertThat(choice.plainColumns()).isEmpty();
  }
}
