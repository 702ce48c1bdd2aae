package io.tributary.cli;

import io.tributary.core.config.Settings;
import io.tributary.core.pipeline.IngestPipeline;
import io.tributary.core.pipeline.PipelineConfig;
import io.tributary.core.pipeline.PipelineMetrics;
import io.tributary.kafka.DecodingThreads;
import io.tributary.kafka.RecordDispatcher;
import io.tributary.kafka.RunnerConfig;
import io.tributary.kafka.decode.DebeziumDecoders;
import io.tributary.kafka.decode.RecordDecoder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code tributary replay}: a file of Kafka records through the same pipeline as {@code run}. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {
        "Feed a file of Kafka records (JSON lines: topic, partition?, offset?, key, value, headers?; or kcat -J"
            + " output; plain or .gz) through the same pipeline as 'run': decode, route, buffer, evolve, write,"
            + " commit. Replaying the same file again changes nothing.",
        "Records that cannot be applied go to the dead-letter file (default: DIR/dead-letters.jsonl) unless"
            + " tributary.errors.tolerance=none."})
final class ReplayCommand implements Callable<Integer> {
  /**
   * Records decoded together (on {@code tributary.runner.decode-threads} threads) between checks of the commit
   * triggers.
   */
  private static final int CHUNK = 512;
  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The records to replay.")
  Path input;

  @Option(names = "--dead-letters", paramLabel = "FILE", description = "Where dead letters are appended.")
  Path deadLetterFile;

  @Mixin SinkOptions sinkOptions;

  @Override
  public Integer call() throws Exception {
    if (!Files.isReadable(input)) {
      throw new IllegalArgumentException("cannot read input file " + input);
    }
    Settings settings = sinkOptions.settings();
    if (!settings.contains(PipelineConfig.ERRORS_TOLERANCE.name())) {
      settings = settings.with(PipelineConfig.ERRORS_TOLERANCE.name(), "all");
    }
    PrintWriter out = spec.commandLine().getOut();
    PipelineMetrics metrics = new PipelineMetrics();
    long records = 0;
    long started = System.nanoTime();
    try (SinkFactory.OpenSink open = SinkFactory.open(sinkOptions.format(settings), sinkOptions.warehouse, settings);
        DeadLetterFile deadLetters = DeadLetterFile.open(deadLetterPath());
        RecordFile file = RecordFile.open(input);
        // closed before the sink: a batch still being committed after a failure finishes first
        IngestPipeline pipeline = IngestPipeline.builder()
            .sink(open.sink())
            .settings(settings)
            .listener(metrics)
            .deadLetters(deadLetters)
            .build()) {
      RecordDecoder decoder = DebeziumDecoders.create(settings, RecordDispatcher.hintsFrom(open.sink(), settings));
      try (DecodingThreads decoding = DecodingThreads.of(settings.get(RunnerConfig.DECODE_THREADS))) {
        RecordDispatcher dispatcher = new RecordDispatcher(decoder, pipeline, decoding);
        List<ConsumerRecord<byte[], byte[]>> chunk = new ArrayList<>(CHUNK);
        for (ConsumerRecord<byte[], byte[]> record : file) {
          chunk.add(record);
          records++;
          if (chunk.size() == CHUNK) {
            dispatcher.dispatchAll(chunk);
            chunk.clear();
            pipeline.flushDue();
          }
        }
        dispatcher.dispatchAll(chunk);
      }
      pipeline.flushAll();
      double seconds = (System.nanoTime() - started) / 1e9;
      Summary.print(out, metrics, records, seconds, open);
      if (metrics.totalDeadLetters() > 0) {
        out.printf("Dead letters written to %s%n", deadLetterPath());
      }
    }
    return 0;
  }

  private Path deadLetterPath() {
    if (deadLetterFile != null) {
      return deadLetterFile;
    }
    Path dir = sinkOptions.warehouse != null ? sinkOptions.warehouse : Path.of(".");
    return dir.resolve("dead-letters.jsonl");
  }
}
