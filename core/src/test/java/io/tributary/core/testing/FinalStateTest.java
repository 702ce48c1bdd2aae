package io.tributary.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FinalStateTest {
  @Test
  void acceptsEquivalentRenderingsAndReportsRealDifferences() {
    FinalState customers = FinalState.load(Corpus.mariadb(), "customers");
    assertThat(customers.rowCount()).isEqualTo(65);
    // equivalent renderings of customer 1: local timestamp without Z, time as micros, boolean as false,
    // JSON with other spacing, decimal with other trailing zeros
    Map<String, String> one = new LinkedHashMap<>();
    one.put("id", "1");
    one.put("created_at", "2024-01-02T00:00:01.001");
    one.put("wake_time", "21661000000");
    one.put("active", "false");
    one.put("prefs", "{\"theme\":\"light\",\"n\":1,\"tags\":[\"a\",\"b\"]}");
    one.put("balance", "-0.010");
    List<String> diffs = customers.differencesInText(List.of(one));
    assertThat(diffs).noneMatch(d -> d.contains("id=1.created_at") || d.contains("id=1.wake_time")
        || d.contains("id=1.active") || d.contains("id=1.prefs") || d.contains("id=1.balance"));
    assertThat(diffs).anyMatch(d -> d.contains("expected 65 rows but found 1"));
    assertThat(diffs).anyMatch(d -> d.contains("id=2: missing"));
    assertThat(diffs).anyMatch(d -> d.contains("id=1: no column rating"));

    one.put("balance", "-0.02");
    assertThat(customers.differencesInText(List.of(one))).anyMatch(d -> d.contains("id=1.balance: expected -0.01"));
  }
}
