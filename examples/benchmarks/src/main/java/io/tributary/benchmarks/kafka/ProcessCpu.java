package io.tributary.benchmarks.kafka;

import java.lang.management.ManagementFactory;

/**
 * CPU time of this process: every thread (ingest, the in-JVM broker, GC, JIT). On a shared machine, records per
 * CPU-second vary less than records per wall-clock second.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  static long nanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new UnsupportedOperationException("this JVM does not report the process CPU time");
  }
}
