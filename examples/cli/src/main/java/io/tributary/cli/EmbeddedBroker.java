package io.tributary.cli;

import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A single-node KRaft Kafka broker inside this JVM, on a loopback port and a temporary log directory, for the
 * quickstart. Replication factor 1 for the internal topics, as a single node needs.
 */
final class EmbeddedBroker implements AutoCloseable {
  private final KafkaClusterTestKit cluster;

  private EmbeddedBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
  }

  static EmbeddedBroker start() throws Exception {
    // a fatal error while the broker stops must not halt the whole JVM of the quickstart
    org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
        System.err.println("embedded Kafka asked to exit(" + code + "): " + message));
    org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
        System.err.println("embedded Kafka asked to halt(" + code + "): " + message));
    TestKitNodes nodes = new TestKitNodes.Builder().setNumBrokerNodes(1).setNumControllerNodes(1)
        .setCombined(true).build();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "group.initial.rebalance.delay.ms", "0",
            "auto.create.topics.enable", "true")
        .forEach(builder::setConfigProp);
    KafkaClusterTestKit cluster = builder.build();
    // the test kit prints its storage formatting to System.out; keep the quickstart's output readable
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      cluster.format();
      cluster.startup();
    } finally {
      System.setOut(stdout);
    }
    cluster.waitForReadyBrokers();
    return new EmbeddedBroker(cluster);
  }

  String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    cluster.close();
  }
}
