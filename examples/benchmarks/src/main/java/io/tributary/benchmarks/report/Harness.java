package io.tributary.benchmarks.report;

import picocli.CommandLine;

/** Runs a benchmark harness's command line and exits with its status. */
public final class Harness {
  private Harness() {}

  /**
   * Executes {@code command} with {@code args} at log level WARN unless
   * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} says otherwise (per-commit INFO lines would interleave with
   * the results), then exits the JVM with the command's status.
   */
  public static void run(Object command, String[] args) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
        System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
    System.exit(new CommandLine(command).execute(args));
  }
}
