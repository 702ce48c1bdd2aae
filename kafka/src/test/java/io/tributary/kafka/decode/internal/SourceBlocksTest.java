package io.tributary.kafka.decode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.tributary.core.SourceInfo;
import io.tributary.core.SourcePosition;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source blocks read straight into source infos, with reuse of repeated values. */
class SourceBlocksTest {
  private final JsonFactory factory = new JsonFactory();

  private SourceInfo read(String json, SourceBlocks.RecentValues recent) throws IOException {
    try (JsonParser p = factory.createParser(json)) {
      p.nextToken();
      return SourceBlocks.read(p, recent);
    }
  }

  @Test
  void namedFieldsBecomeTheSourceInfoAndTheRestItsAttributes() throws IOException {
    SourceInfo info = read("{\"connector\":\"mysql\",\"db\":\"inventory\",\"table\":\"customers\","
        + "\"ts_ms\":1700000000123,\"snapshot\":\"last\",\"file\":\"mysql-bin.000003\",\"pos\":47946,\"row\":2,"
        + "\"gtid\":null,\"nested\":{\"a\":1},\"thread\":7}", new SourceBlocks.RecentValues());
    assertThat(info.connector()).isEqualTo("mysql");
    assertThat(info.database()).isEqualTo("inventory");
    assertThat(info.table()).isEqualTo("customers");
    assertThat(info.timestampMillis()).isEqualTo(1700000000123L);
    assertThat(info.snapshot()).isTrue();
    assertThat(info.position()).isEqualTo(SourcePosition.of("", 3, 47946, 2));
    assertThat(info.attributes()).containsExactly(Map.entry("snapshot", "last"),
        Map.entry("file", "mysql-bin.000003"), Map.entry("pos", "47946"), Map.entry("row", "2"),
        Map.entry("thread", "7"));
    assertThat(SourceBlocks.toSourceInfo(Map.of("db", "inventory", "lsn", "41449128",
        "sequence", "[\"41448112\",\"41449128\"]")).position()).isEqualTo(SourcePosition.of("", 41449128, 41449128));
  }

  @Test
  void repeatedValuesAreReusedAndChangedOnesAreNot() throws IOException {
    SourceBlocks.RecentValues recent = new SourceBlocks.RecentValues();
    SourceInfo first = read("{\"db\":\"inventory\",\"pos\":47946,\"gtid\":null,\"snapshot\":\"true\","
        + "\"nested\":{\"a\":1},\"row\":0}", recent);
    SourceInfo second = read("{\"db\":\"inventory\",\"pos\":52061,\"gtid\":\"0-1-2\",\"snapshot\":\"tru\","
        + "\"nested\":null,\"row\":0}", recent);
    SourceInfo third = read("{\"db\":\"inventorz\",\"pos\":52061,\"gtid\":null,\"snapshot\":\"true\","
        + "\"nested\":null,\"row\":1}", recent);
    assertThat(first.attributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("pos", "47946", "snapshot", "true", "row", "0"));
    assertThat(second.attributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("pos", "52061", "gtid", "0-1-2", "snapshot", "tru", "row", "0"));
    assertThat(third.attributes()).containsExactlyInAnyOrderEntriesOf(
        Map.of("pos", "52061", "snapshot", "true", "row", "1"));
    assertThat(third.database()).isEqualTo("inventorz");
    assertThat(second.database()).isSameAs(first.database());
    assertThat(third.attributes().get("pos")).isSameAs(second.attributes().get("pos"));
  }

  @Test
  void blocksWhoseFieldsComeInAnotherOrderOrNumberAreReadAsWritten() throws IOException {
    SourceBlocks.RecentValues recent = new SourceBlocks.RecentValues();
    String mysql = "{\"connector\":\"mysql\",\"db\":\"inventory\",\"table\":\"customers\",\"ts_ms\":5,"
        + "\"file\":\"mysql-bin.000003\",\"pos\":47946,\"row\":2}";
    String postgres = "{\"ts_ms\":6,\"connector\":\"postgresql\",\"schema\":\"public\",\"table\":\"orders\","
        + "\"db\":\"shop\",\"lsn\":41449128}";
    String shorter = "{\"connector\":\"mysql\",\"db\":\"inventory\"}";
    for (int round = 0; round < 2; round++) {
      SourceInfo a = read(mysql, recent);
      assertThat(a.connector()).isEqualTo("mysql");
      assertThat(a.table()).isEqualTo("customers");
      assertThat(a.timestampMillis()).isEqualTo(5L);
      assertThat(a.position()).isEqualTo(SourcePosition.of("", 3, 47946, 2));
      SourceInfo b = read(postgres, recent);
      assertThat(b.connector()).isEqualTo("postgresql");
      assertThat(b.schema()).isEqualTo("public");
      assertThat(b.table()).isEqualTo("orders");
      assertThat(b.database()).isEqualTo("shop");
      assertThat(b.timestampMillis()).isEqualTo(6L);
      assertThat(b.position()).isEqualTo(SourcePosition.of("", 41449128));
      SourceInfo c = read(shorter, recent);
      assertThat(c.table()).isNull();
      assertThat(c.position()).isNull();
    }
  }
}
