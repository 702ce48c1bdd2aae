package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.core.testing.Corpus;
import io.tributary.core.testing.FinalState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The corpus acceptance test: {@code tributary replay} of real Debezium output, then {@code tributary show
 * --format jsonl}, compared column by column with the source tables' final state, for both sinks.
 */
class CorpusAcceptanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  record Result(int exitCode, String out, String err) {}

  static Result cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = TributaryCli.commandLine();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static List<Map<String, String>> show(String sink, Path warehouse, String table) throws Exception {
    Result r = cli("show", "--sink", sink, "--warehouse", warehouse.toString(), "--table", "inventory." + table,
        "--format", "jsonl");
    assertThat(r.exitCode()).as(r.err()).isZero();
    return parse(r.out());
  }

  /** Rows printed by {@code show --format jsonl}, every value as text. */
  static List<Map<String, String>> parse(String jsonl) throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : jsonl.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> row = new LinkedHashMap<>();
      JsonNode node = JSON.readTree(line);
      node.fields().forEachRemaining(e -> row.put(e.getKey(),
          e.getValue().isNull() ? null : e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
      rows.add(row);
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(strings = {"iceberg", "paimon"})
  void replayOfTheJsonSchemasCorpusReproducesTheFinalStateAndASecondReplayChangesNothing(String sink) throws Exception {
    Path corpus = Corpus.mariadb();
    Path warehouse = tmp.resolve(sink);
    String input = corpus.resolve("json-schemas/events.jsonl").toString();

    Result first = cli("replay", "--input", input, "--sink", sink, "--warehouse", warehouse.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("Tables created: 3").contains("dead letters: 0");

    for (String table : List.of("customers", "order_lines", "events_nopk")) {
      assertThat(FinalState.load(corpus, table).differencesInText(show(sink, warehouse, table)))
          .as("%s in %s", table, sink).isEmpty();
    }

    Result again = cli("replay", "--input", input, "--sink", sink, "--warehouse", warehouse.toString());
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.out()).contains("Tables created: 0, rows written: 0, deletes: 0, truncates: 0,"
        + " schema changes applied: 0, dead letters: 0");
    assertThat(FinalState.load(corpus, "events_nopk").differencesInText(show(sink, warehouse, "events_nopk"))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"iceberg", "paimon"})
  void replayOfTheUnwrappedCorpusReproducesCustomersAndOrderLines(String sink) throws Exception {
    Path corpus = Corpus.mariadb();
    Path warehouse = tmp.resolve(sink);
    Result r = cli("replay", "--input", corpus.resolve("unwrapped/events.jsonl").toString(), "--sink", sink,
        "--warehouse", warehouse.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    for (String table : List.of("customers", "order_lines")) {
      assertThat(FinalState.load(corpus, table).differencesInText(show(sink, warehouse, table)))
          .as("%s in %s", table, sink).isEmpty();
    }
  }

  @Test
  void errorsAreOneSentenceOnStderrWithANonZeroExit() {
    Result missing = cli("replay", "--input", tmp.resolve("nope.jsonl").toString(), "--sink", "iceberg",
        "--warehouse", tmp.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err().strip()).startsWith("tributary: cannot read input file").doesNotContain("\n");

    Result badSink = cli("show", "--sink", "delta", "--warehouse", tmp.toString(), "--table", "a.b");
    assertThat(badSink.exitCode()).isEqualTo(1);
    assertThat(badSink.err()).contains("unknown sink 'delta'");

    Result noTable = cli("show", "--sink", "iceberg", "--warehouse", tmp.toString(), "--table", "inventory.none");
    assertThat(noTable.exitCode()).isEqualTo(1);
    assertThat(noTable.err()).contains("inventory.none does not exist");
  }
}
