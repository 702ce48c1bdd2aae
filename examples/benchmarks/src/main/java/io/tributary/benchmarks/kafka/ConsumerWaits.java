package io.tributary.benchmarks.kafka;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What the Kafka consumers of a consumer group spent waiting for the broker, read from the metrics the clients
 * publish over JMX: a runner thread that is neither on a CPU nor parked is usually in the consumer's selector,
 * which no profiler shows.
 */
final class ConsumerWaits {
  private ConsumerWaits() {}

  /** One line: I/O wait and I/O time, fetch latency, records and bytes per fetch of the group's consumers. */
  static String describe(String group) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      double ioWait = 0;
      double io = 0;
      double latency = 0;
      double recordsPerFetch = 0;
      double bytesPerFetch = 0;
      int consumers = 0;
      for (ObjectName name : server.queryNames(new ObjectName("kafka.consumer:type=consumer-metrics,*"), null)) {
        String client = name.getKeyProperty("client-id");
        if (client == null || !client.contains(group)) {
          continue;
        }
        consumers++;
        ioWait += number(server, name, "io-wait-time-ns-total") / 1e9;
        io += number(server, name, "io-time-ns-total") / 1e9;
        ObjectName fetch = new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=" + client);
        latency = Math.max(latency, number(server, fetch, "fetch-latency-avg"));
        recordsPerFetch += number(server, fetch, "records-per-request-avg");
        bytesPerFetch += number(server, fetch, "fetch-size-avg");
      }
      if (consumers == 0) {
        return "no consumer metrics of group " + group + " over JMX";
      }
      return String.format(Locale.ROOT, "%d consumer(s): I/O wait %.1f s, I/O %.1f s, fetch latency avg %.1f ms,"
          + " %.0f records and %.0f KB per fetch", consumers, ioWait, io, latency, recordsPerFetch / consumers,
          bytesPerFetch / consumers / 1024);
    } catch (Exception e) {
      return "consumer metrics unavailable: " + e;
    }
  }

  private static double number(MBeanServer server, ObjectName name, String attribute) throws Exception {
    Object value = server.getAttribute(name, attribute);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
