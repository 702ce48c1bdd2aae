package io.tributary.benchmarks.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON file a benchmark harness writes: its environment and its measurements, printed to the console as they
 * are added. One file per suite and run, so results can be tracked over time and charted.
 */
public final class ResultsFile {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The serialized form. */
  public record Contents(String suite, RunEnvironment environment, List<Measurement> measurements) {}

  private final String suite;
  private final RunEnvironment environment = RunEnvironment.current();
  private final List<Measurement> measurements = new ArrayList<>();

  private ResultsFile(String suite) {
    this.suite = suite;
    System.out.println("# " + suite + " on " + environment.describe());
  }

  /** A new, empty result set for {@code suite}. */
  public static ResultsFile forSuite(String suite) {
    return new ResultsFile(suite);
  }

  /** Records a figure and prints it. */
  public Measurement add(String name, double value, String unit) {
    return add(Measurement.of(suite, name, value, unit));
  }

  /** Records {@code measured / baseline} and prints it. */
  public Measurement addRatio(String name, Measurement measured, Measurement baseline) {
    return add(Measurement.ratio(suite, name, measured, baseline));
  }

  private Measurement add(Measurement m) {
    measurements.add(m);
    System.out.printf("%-48s %,16.2f %s%s%n", m.name(), m.value(), m.unit(),
        m.baseline() == null ? "" : " (vs " + m.baseline() + ")");
    return m;
  }

  /** Writes the file. */
  public void writeTo(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      JSON.writeValue(file.toFile(), new Contents(suite, environment, List.copyOf(measurements)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write benchmark results to " + file, e);
    }
  }

  /** Reads a file written by {@link #writeTo}. */
  public static Contents read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Contents.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read benchmark results from " + file, e);
    }
  }
}
