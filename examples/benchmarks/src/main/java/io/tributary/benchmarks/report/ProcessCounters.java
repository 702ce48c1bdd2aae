package io.tributary.benchmarks.report;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * CPU time and allocation of this whole process, for work that runs on several threads (a pipeline's feeding
 * and commit threads, an in-JVM broker, GC, JIT). On a shared machine, records per CPU-second vary less than
 * records per wall-clock second.
 */
public final class ProcessCounters {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** HotSpot's threads that the thread MX bean does not list (Linux shortens thread names to 15 characters). */
  private static final Pattern JVM_THREAD = Pattern.compile("GC Thread|G1 |C1 CompilerThre|C2 CompilerThre|VM Thread");

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

  /**
   * CPU seconds used so far per kind of thread: Java threads by their full names (from the thread MX bean), the
   * JVM's own GC and JIT compiler threads from Linux's {@code /proc/self/task} (absent elsewhere). Names are
   * grouped with digits dropped, so {@code GC Thread#0} and {@code GC Thread#1} add up. Threads that ended are
   * missing, as in {@link #liveThreadsAllocatedBytes()}.
   */
  public static Map<String, Double> threadCpuSecondsByKind() {
    Map<String, Double> byKind = new TreeMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      long nanos = info == null ? -1 : THREADS.getThreadCpuTime(info.getThreadId());
      if (nanos > 0) {
        byKind.merge(kindOf(info.getThreadName()), nanos / 1e9, Double::sum);
      }
    }
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return byKind;
    }
    try (Stream<Path> threads = Files.list(tasks)) {
      threads.forEach(t -> {
        try {
          String name = Files.readString(t.resolve("comm")).strip();
          if (!JVM_THREAD.matcher(name).lookingAt()) {
            return;
          }
          String stat = Files.readString(t.resolve("stat"));
          // fields after the parenthesized name: state is field 3, utime 14 and stime 15 (in clock ticks)
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
          byKind.merge(kindOf(name), ticks / 100.0, Double::sum);
        } catch (IOException | RuntimeException e) {
          // the thread ended while being read
        }
      });
    } catch (IOException e) {
      return byKind;
    }
    return byKind;
  }

  /** CPU seconds used so far by the JIT's compiler threads (Linux only; 0 elsewhere). */
  public static double compilerCpuSeconds() {
    return threadCpuSecondsByKind().entrySet().stream()
        .filter(e -> e.getKey().contains("CompilerThre"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  private static String kindOf(String threadName) {
    return threadName.replaceAll("[0-9]+", "#");
  }

  /** What each kind of thread used between two {@link #threadCpuSecondsByKind()} readings, largest first. */
  public static String describeCpuBetween(Map<String, Double> before, Map<String, Double> after) {
    StringBuilder out = new StringBuilder();
    after.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
        .filter(e -> e.getValue() >= 0.05)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> out.append(out.length() == 0 ? "" : ", ").append(String.format("%s %.1f s", e.getKey(), e.getValue())));
    return out.toString();
  }
}
