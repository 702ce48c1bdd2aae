package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart end to end (embedded broker, real Debezium sample, the Kafka runner into both formats) and
 * the {@code schema} command on what it wrote.
 */
class QuickstartAndSchemaTest {
  @TempDir Path tmp;

  @Test
  void quickstartIngestsTheSampleIntoBothFormatsAndSchemaShowsTheEvolution() {
    CorpusAcceptanceTest.Result qs = CorpusAcceptanceTest.cli("quickstart", "--warehouse", tmp.toString());
    assertThat(qs.exitCode()).as(qs.err()).isZero();
    assertThat(qs.out())
        .contains("Produced 224 real Debezium records")
        .contains("== iceberg warehouse", "== paimon warehouse")
        .contains("inventory.customers evolved: rename score to rating (ddl)")
        .contains("inventory.customers evolved: add loyalty int not null default 0 after status")
        .contains("inventory.order_lines evolved: widen qty int -> long")
        .contains("\"ts\":\"2024-04-01T00:00:01Z\",\"kind\":\"after-truncate\",\"payload\":\"t2\"");

    for (String sink : new String[] {"iceberg", "paimon"}) {
      CorpusAcceptanceTest.Result schema = CorpusAcceptanceTest.cli("schema", "--sink", sink, "--warehouse",
          tmp.resolve(sink).toString(), "--table", "inventory.customers");
      assertThat(schema.exitCode()).as(schema.err()).isZero();
      assertThat(schema.out())
          .contains("Key: [id]")
          .containsPattern("loyalty +int +not null")
          .containsPattern("rating +double")
          .containsPattern("Evolution history \\([34]\\):")
          .contains("rename score to rating (ddl)")
          .contains("caused by topic mariadb, partition 0, offset 14");
    }
  }
}
