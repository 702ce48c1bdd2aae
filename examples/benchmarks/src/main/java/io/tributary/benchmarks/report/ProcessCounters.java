package io.tributary.benchmarks.report;

import java.lang.management.ManagementFactory;

/**
 * CPU time and allocation of this whole process, for work that runs on several threads (a pipeline's feeding
 * and commit threads, an in-JVM broker, GC, JIT). On a shared machine, records per CPU-second vary less than
 * records per wall-clock second.
 */
public final class ProcessCounters {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private ProcessCounters() {}

  /** CPU nanoseconds used by the process so far, every thread included. */
  public static long cpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new UnsupportedOperationException("this JVM does not report the process CPU time");
  }

  /**
   * Bytes allocated so far by the threads that are alive now. An approximation of the process's allocation: what
   * a thread allocated is lost from the sum once it ends, so take the difference of two calls over a stretch in
   * which the threads doing the work stay alive.
   */
  public static long liveThreadsAllocatedBytes() {
    long total = 0;
    for (long bytes : THREADS.getThreadAllocatedBytes(THREADS.getAllThreadIds())) {
      // -1: the thread ended between listing and asking, or allocation counting is off
      if (bytes > 0) {
        total += bytes;
      }
    }
    return total;
  }
}
