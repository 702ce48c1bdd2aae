package io.tributary.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tributary} command line: run an ingest service, replay files, inspect tables. */
@Command(name = "tributary", mixinStandardHelpOptions = true, version = "tributary 0.1.0",
    description = "Debezium change events from Kafka into Apache Iceberg or Apache Paimon tables, with schema"
        + " evolution and exactly-once commits.",
    subcommands = {QuickstartCommand.class, RunCommand.class, ReplayCommand.class, ShowCommand.class, SchemaCommand.class})
public final class TributaryCli {
  private TributaryCli() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with Tributary's error handling: one clear sentence on stderr and exit code 1. */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new TributaryCli());
    cmd.setExecutionExceptionHandler((ex, line, parseResult) -> {
      line.getErr().println("tributary: " + message(ex));
      line.getErr().flush();
      return 1;
    });
    return cmd;
  }

  private static String message(Throwable ex) {
    Throwable t = ex;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
