package io.tributary.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tributary run} as a separate process: it ingests the sample from a real broker, reports progress,
 * and on SIGTERM commits what it buffered and exits.
 */
class RunCommandTest {
  @TempDir Path tmp;

  @Test
  void runIngestsUntilSigtermAndCommitsOnTheWayOut() throws Exception {
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      int produced = 0;
      try (InputStream in = QuickstartCommand.class.getResourceAsStream(QuickstartCommand.SAMPLE);
          RecordFile file = RecordFile.read(in, QuickstartCommand.SAMPLE);
          KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
              "bootstrap.servers", broker.bootstrapServers(),
              "key.serializer", ByteArraySerializer.class.getName(),
              "value.serializer", ByteArraySerializer.class.getName()))) {
        for (ConsumerRecord<byte[], byte[]> r : file) {
          producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()));
          produced++;
        }
      }
      Path config = tmp.resolve("ingest.properties");
      Files.writeString(config, String.join("\n",
          "kafka.bootstrap.servers=" + broker.bootstrapServers(),
          "kafka.group.id=run-test",
          "tributary.topic-pattern=mariadb(\\\\..*)?",
          "tributary.sink.format=iceberg",
          // long enough that the last changes are still buffered when SIGTERM arrives
          "tributary.commit.interval-ms=600000",
          ""));
      Path warehouse = tmp.resolve("warehouse");
      Path log = tmp.resolve("run.log");
      Process process = new ProcessBuilder(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-cp", System.getProperty("java.class.path"),
              TributaryCli.class.getName(), "run", "--config", config.toString(),
              "--warehouse", warehouse.toString(), "--progress-seconds", "1")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      // the sample holds 191 change events besides tombstones and DDL records
      while (System.nanoTime() < deadline && !(Files.exists(log)
          && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("RUNNING  191 events") && l.contains("lag 0,")))) {
        Thread.sleep(200);
      }
      process.destroy(); // SIGTERM: the runner commits what is buffered before the JVM shuts down
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      List<String> lines = Files.readAllLines(log);
      assertThat(lines).as("the run's output").anyMatch(l -> l.startsWith("RUNNING  191 events") && l.contains("lag 0,"));
      assertThat(lines).anyMatch(l -> l.startsWith("Ingesting into iceberg at "));

      // nothing was committed before SIGTERM (600 s interval): everything is there only thanks to the stop
      CorpusAcceptanceTest.Result shown = CorpusAcceptanceTest.cli("show", "--sink", "iceberg", "--warehouse",
          warehouse.toString(), "--table", "inventory.customers", "--format", "jsonl");
      assertThat(shown.exitCode()).as(shown.err()).isZero();
      assertThat(shown.out().lines().count()).as("rows after the run that wrote:\n%s", String.join("\n", lines)).isEqualTo(65);
      assertThat(produced).isEqualTo(224);
    }
  }
}
