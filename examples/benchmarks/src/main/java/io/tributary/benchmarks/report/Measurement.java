package io.tributary.benchmarks.report;

import java.util.Objects;

/**
 * One figure of a benchmark run: what was measured, its value and unit, and — for ratios — the baseline it is
 * compared with, measured in the same run.
 *
 * @param suite the harness that measured it, e.g. {@code write}, {@code kafka}
 * @param name what was measured, e.g. {@code iceberg.upsert-50.e2e}
 * @param value the figure
 * @param unit its unit, e.g. {@code events/s}, {@code ms}, {@code ratio}
 * @param baseline for a ratio, the name of the measurement it divides by; otherwise null
 */
public record Measurement(String suite, String name, double value, String unit, String baseline) {
  public Measurement {
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
  }

  /** A plain figure. */
  public static Measurement of(String suite, String name, double value, String unit) {
    return new Measurement(suite, name, value, unit, null);
  }

  /** {@code measured / baseline}, named after both. */
  public static Measurement ratio(String suite, String name, Measurement measured, Measurement baseline) {
    return new Measurement(suite, name, measured.value() / baseline.value(), "ratio", baseline.name());
  }
}
