package io.tributary.kafka.decode.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Source blocks read with reuse of repeated values give the same text as without. */
class SourceBlocksTest {
  private final JsonFactory factory = new JsonFactory();

  private Map<String, String> read(String json, SourceBlocks.RecentValues recent) throws IOException {
    try (JsonParser p = factory.createParser(json)) {
      p.nextToken();
      return SourceBlocks.readFlat(p, recent);
    }
  }

  @Test
  void repeatedValuesAreReusedAndChangedOnesAreNot() throws IOException {
    SourceBlocks.RecentValues recent = new SourceBlocks.RecentValues();
    Map<String, String> first = read("{\"db\":\"inventory\",\"pos\":47946,\"gtid\":null,\"snapshot\":\"true\","
        + "\"nested\":{\"a\":1},\"row\":0}", recent);
    Map<String, String> second = read("{\"db\":\"inventory\",\"pos\":52061,\"gtid\":\"0-1-2\",\"snapshot\":\"tru\","
        + "\"nested\":null,\"row\":0}", recent);
    Map<String, String> third = read("{\"db\":\"inventorz\",\"pos\":52061,\"gtid\":null,\"snapshot\":\"true\","
        + "\"nested\":null,\"row\":1}", recent);
    assertThat(first).containsExactlyInAnyOrderEntriesOf(
        Map.of("db", "inventory", "pos", "47946", "snapshot", "true", "row", "0"));
    assertThat(second).containsExactlyInAnyOrderEntriesOf(
        Map.of("db", "inventory", "pos", "52061", "gtid", "0-1-2", "snapshot", "tru", "row", "0"));
    assertThat(third).containsExactlyInAnyOrderEntriesOf(
        Map.of("db", "inventorz", "pos", "52061", "snapshot", "true", "row", "1"));
    assertThat(second.get("db")).isSameAs(first.get("db"));
    assertThat(third.get("pos")).isSameAs(second.get("pos"));
    assertThat(read("{\"db\":\"inventory\"}", null)).isEqualTo(Map.of("db", "inventory"));
  }
}
