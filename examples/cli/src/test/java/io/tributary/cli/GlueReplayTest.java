package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.core.testing.Corpus;
import io.tributary.core.testing.FinalState;
import io.tributary.iceberg.testing.AwsTestCatalogs;
import io.tributary.iceberg.testing.GlueEndpoint;
import io.tributary.iceberg.testing.S3Endpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The corpus replay through Iceberg's real GlueCatalog and S3FileIO with the real AWS SDK, against a loopback
 * Glue endpoint and an S3 API server on loopback, configured the way a user would: catalog properties passed
 * with --conf under tributary.iceberg.catalog.*.
 */
class GlueReplayTest {
  @RegisterExtension static final GlueEndpoint GLUE = GlueEndpoint.create();
  @RegisterExtension static final S3Endpoint S3 = S3Endpoint.create();

  @Test
  void replaysTheCorpusIntoGlueAndS3() throws Exception {
    replay(AwsTestCatalogs.glueCatalogProperties(GLUE, S3, "lake"), "inventory");
    for (String table : List.of("customers", "order_lines", "events_nopk")) {
      GlueEndpoint.StoredTable stored = GLUE.table("inventory", table).orElseThrow();
      assertThat(stored.parameters().get("table_type")).isEqualToIgnoringCase("ICEBERG");
      assertThat(stored.parameters().get("metadata_location")).startsWith("s3://lake/");
    }
    assertThat(S3.objectKeys("lake")).anyMatch(k -> k.endsWith(".parquet"));
  }

  /**
   * The same replay against real AWS Glue and S3, when {@code TRIBUTARY_AWS_TEST=1},
   * {@code TRIBUTARY_AWS_WAREHOUSE=s3://bucket/prefix} and AWS credentials are given; skipped otherwise.
   * Tables go to a fresh namespace so runs do not interfere.
   */
  @Test
  @io.tributary.iceberg.testing.RealAws.Enabled
  void replaysTheCorpusIntoRealGlueAndS3() throws Exception {
    replay(io.tributary.iceberg.testing.RealAws.glueCatalogProperties(), "tributary_test_" + System.currentTimeMillis());
  }

  private static void replay(Map<String, String> catalog, String namespace) throws Exception {
    Path corpus = Corpus.mariadb();
    List<String> conf = new ArrayList<>();
    catalog.forEach((k, v) -> {
      conf.add("--conf");
      conf.add(SinkFactory.ICEBERG_CATALOG_PREFIX + k + "=" + v);
    });
    conf.add("--conf");
    conf.add("tributary.route.namespace=" + namespace);

    List<String> replay = new ArrayList<>(List.of("replay", "--input",
        corpus.resolve("json-schemas/events.jsonl").toString(), "--sink", "iceberg",
        "--dead-letters", Path.of("target", "glue-dead-letters.jsonl").toString()));
    replay.addAll(conf);
    CorpusAcceptanceTest.Result r = CorpusAcceptanceTest.cli(replay.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();

    for (String table : List.of("customers", "order_lines", "events_nopk")) {
      List<String> show = new ArrayList<>(List.of("show", "--sink", "iceberg", "--table", namespace + "." + table,
          "--format", "jsonl"));
      show.addAll(conf);
      CorpusAcceptanceTest.Result shown = CorpusAcceptanceTest.cli(show.toArray(String[]::new));
      assertThat(shown.exitCode()).as(shown.err()).isZero();
      assertThat(FinalState.load(corpus, table).differencesInText(CorpusAcceptanceTest.parse(shown.out())))
          .as(table).isEmpty();
    }
  }
}
