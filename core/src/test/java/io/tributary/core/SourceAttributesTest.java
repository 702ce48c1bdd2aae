package io.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source attributes behave as an immutable map in the order of the source block. */
class SourceAttributesTest {
  @Test
  void attributesAreAMapInTheBlocksOrder() {
    Map<String, String> block = new LinkedHashMap<>();
    block.put("version", "2.7.0.Final");
    block.put("server_id", "1");
    block.put("gtid", "0-1-42");
    SourceAttributes attributes = SourceAttributes.copyOf(block);

    assertThat(attributes).containsExactlyEntriesOf(block);
    assertThat(attributes).isEqualTo(new HashMap<>(block)).hasSameHashCodeAs(new HashMap<>(block));
    assertThat(Map.copyOf(block)).isEqualTo(attributes);
    assertThat(attributes.toString()).isEqualTo("{version=2.7.0.Final, server_id=1, gtid=0-1-42}");
    assertThat(attributes.get("gtid")).isEqualTo("0-1-42");
    assertThat(attributes.get("thread")).isNull();
    assertThat(attributes.containsKey("server_id")).isTrue();
    assertThat(attributes.containsKey(7)).isFalse();
    assertThat(SourceAttributes.copyOf(attributes)).isSameAs(attributes);
    assertThat(SourceAttributes.copyOf(Map.of())).isEmpty();
  }

  @Test
  void attributesCannotBeChanged() {
    SourceAttributes attributes = SourceAttributes.copyOf(Map.of("gtid", "0-1-42"));
    assertThatThrownBy(() -> attributes.put("gtid", "x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> attributes.remove("gtid")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(attributes::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> attributes.keySet().remove("gtid")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> attributes.entrySet().iterator().next().setValue("x"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(attributes).containsExactly(Map.entry("gtid", "0-1-42"));
  }

  @Test
  void blocksSharingTheirNamesKeepTheirOwnValues() {
    SourceAttributes.Names names = SourceAttributes.Names.of(new String[] {"pos", "row"}, 2);
    String[] values = {"47946", "0"};
    SourceAttributes first = names.with(values, 2);
    values[0] = "52061";
    values[1] = "1";
    SourceAttributes second = names.with(values, 2);

    assertThat(first).containsExactly(Map.entry("pos", "47946"), Map.entry("row", "0"));
    assertThat(second).containsExactly(Map.entry("pos", "52061"), Map.entry("row", "1"));
    assertThat(names.equalTo(new String[] {"pos", "row", "gtid"}, 2)).isTrue();
    assertThat(names.equalTo(new String[] {"pos", "gtid"}, 2)).isFalse();
    assertThat(names.equalTo(new String[] {"pos", "row", "gtid"}, 3)).isFalse();
  }

  @Test
  void namesAreDistinctAndValuesPresent() {
    assertThatThrownBy(() -> SourceAttributes.Names.of(new String[] {"pos", "pos"}, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pos");
    SourceAttributes.Names names = SourceAttributes.Names.of(new String[] {"pos", "row", "ignored"}, 2);
    assertThatThrownBy(() -> names.with(new String[] {"1", null}, 2))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("row");
    assertThatThrownBy(() -> names.with(new String[] {"1"}, 1)).isInstanceOf(IllegalArgumentException.class);
    Map<String, String> withNull = new HashMap<>();
    withNull.put("gtid", null);
    assertThatThrownBy(() -> SourceAttributes.copyOf(withNull)).isInstanceOf(NullPointerException.class);
  }
}
