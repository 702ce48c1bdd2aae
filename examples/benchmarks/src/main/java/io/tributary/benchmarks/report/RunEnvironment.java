package io.tributary.benchmarks.report;

import java.lang.management.ManagementFactory;
import java.time.Instant;

/** What a benchmark ran on, recorded with every result file so figures can be compared over time. */
public record RunEnvironment(String jvm, String javaVersion, long maxHeapBytes, int cores, String os,
    String jvmArguments, String startedAt) {

  /** The environment of this JVM. */
  public static RunEnvironment current() {
    Runtime runtime = Runtime.getRuntime();
    return new RunEnvironment(
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        System.getProperty("java.version"),
        runtime.maxMemory(),
        runtime.availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        Instant.now().toString());
  }

  /** One line for console output: JVM, heap and cores. */
  public String describe() {
    return String.format("%s, max heap %d MB, %d cores, %s", jvm, maxHeapBytes >> 20, cores, os);
  }
}
