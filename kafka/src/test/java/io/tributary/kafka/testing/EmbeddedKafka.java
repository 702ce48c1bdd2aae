package io.tributary.kafka.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * One Kafka broker for the tests of a JVM: an in-JVM KRaft node (controller and broker combined, replication
 * factor 1 for the internal topics) from Kafka's own test kit, or, with {@code -Dkafka.fixture=container} and
 * a Docker engine, an {@code apache/kafka} Testcontainers container. Obtain it with {@link #shared()} or the
 * {@link EmbeddedKafkaExtension}; it stops when the JVM exits.
 *
 * <p>Users of this fixture (it ships in the {@code tributary-kafka} test-jar) add
 * {@code org.apache.kafka:kafka-test-common-runtime} and, for the container mode,
 * {@code org.testcontainers:testcontainers-kafka} as test dependencies.
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** System property choosing the broker: {@code embedded} (default) or {@code container}. */
  public static final String FIXTURE_PROPERTY = "kafka.fixture";
  /** Image of the container mode; override with {@code -Dkafka.image=...}. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.1";

  private static EmbeddedKafka shared;

  /** The SASL/PLAIN super user of a broker from {@link #startWithSasl()}. */
  public static final String SASL_ADMIN = "plain-admin";
  public static final String SASL_ADMIN_PASSWORD = "plain-admin-secret";

  private final AutoCloseable broker;
  private final String bootstrapServers;
  private final Map<String, Object> clientSecurity;
  private final Admin admin;
  private final KafkaProducer<byte[], byte[]> producer;

  private EmbeddedKafka(AutoCloseable broker, String bootstrapServers, Map<String, Object> clientSecurity) {
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.clientSecurity = Map.copyOf(clientSecurity);
    Map<String, Object> adminProps = new HashMap<>(clientSecurity);
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    this.admin = Admin.create(adminProps);
    this.producer = new KafkaProducer<>(producerProperties());
  }

  /**
   * The broker of this JVM, started on first use. Skips the calling test when the container mode is asked
   * for and no Docker engine is available.
   */
  public static synchronized EmbeddedKafka shared() {
    if (shared == null) {
      shared = start();
      EmbeddedKafka started = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "embedded-kafka-stop"));
    }
    return shared;
  }

  private static EmbeddedKafka start() {
    if ("container".equalsIgnoreCase(System.getProperty(FIXTURE_PROPERTY))) {
      return startContainer();
    }
    return startEmbedded();
  }

  /**
   * A separate broker (not the shared one; close it) whose only listener requires SASL: PLAIN and
   * SCRAM-SHA-256/512 are enabled. The fixture's own clients authenticate as {@link #SASL_ADMIN} with PLAIN;
   * add SCRAM users with the {@link #admin()} client.
   */
  public static EmbeddedKafka startWithSasl() {
    return startEmbedded(org.apache.kafka.common.security.auth.SecurityProtocol.SASL_PLAINTEXT,
        Map.of("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
            "allow.everyone.if.no.acl.found", "true"),
        Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\""
                + SASL_ADMIN + "\" password=\"" + SASL_ADMIN_PASSWORD + "\";"));
  }

  private static EmbeddedKafka startEmbedded() {
    return startEmbedded(org.apache.kafka.common.security.auth.SecurityProtocol.PLAINTEXT, Map.of(), Map.of());
  }

  private static EmbeddedKafka startEmbedded(org.apache.kafka.common.security.auth.SecurityProtocol protocol,
      Map<String, String> brokerConfig, Map<String, Object> clientSecurity) {
    // a broker or controller that hits a fatal error while the test JVM shuts down calls Exit.halt(1), which
    // turns a green test run into a crashed fork; Kafka's own tests replace these procedures the same way
    org.apache.kafka.common.utils.Exit.setExitProcedure((code, message) ->
        System.err.println("embedded Kafka asked to exit(" + code + "): " + message));
    org.apache.kafka.common.utils.Exit.setHaltProcedure((code, message) ->
        System.err.println("embedded Kafka asked to halt(" + code + "): " + message));
    try {
      TestKitNodes nodes = new TestKitNodes.Builder()
          .setCombined(true)
          .setNumBrokerNodes(1)
          .setNumControllerNodes(1)
          .setBrokerSecurityProtocol(protocol)
          .build();
      KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
      brokerConfig.forEach(builder::setConfigProp);
      KafkaClusterTestKit cluster = builder
          .setConfigProp("offsets.topic.replication.factor", "1")
          .setConfigProp("offsets.topic.num.partitions", "4")
          .setConfigProp("transaction.state.log.replication.factor", "1")
          .setConfigProp("transaction.state.log.min.isr", "1")
          .setConfigProp("transaction.state.log.num.partitions", "4")
          .setConfigProp("group.initial.rebalance.delay.ms", "0")
          .setConfigProp("num.partitions", "1")
          .setConfigProp("auto.create.topics.enable", "true")
          .build();
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      return new EmbeddedKafka(cluster, cluster.bootstrapServers(), clientSecurity);
    } catch (Exception e) {
      throw new IllegalStateException("Could not start the in-JVM Kafka broker", e);
    }
  }

  private static EmbeddedKafka startContainer() {
    boolean docker;
    try {
      docker = org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      docker = false;
    }
    assumeTrue(docker, "-Dkafka.fixture=container but no Docker engine is available; skipping");
    var container = new org.testcontainers.kafka.KafkaContainer(System.getProperty("kafka.image", DEFAULT_IMAGE));
    container.start();
    return new EmbeddedKafka(container, container.getBootstrapServers(), Map.of());
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** An admin client of this broker, owned by the fixture (do not close it). */
  public Admin admin() {
    return admin;
  }

  /** Creates a topic with {@code partitions} partitions (replication factor 1); an existing one is kept. */
  public void createTopic(String name, int partitions) {
    try {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("Could not create topic " + name, e);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Could not create topic " + name, e);
    }
    awaitLeaders(name, partitions);
  }

  /** Producing before every partition has a leader makes the first sends fail and retry out of order. */
  private void awaitLeaders(String topic, int partitions) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
        if (description.partitions().size() == partitions
            && description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
          try (KafkaProducer<byte[], byte[]> probe = new KafkaProducer<>(producerProperties())) {
            if (probe.partitionsFor(topic).stream().allMatch(p -> p.leader() != null)) {
              return;
            }
          }
        }
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (Exception e) {
        // not visible yet
      }
    }
    throw new IllegalStateException("Topic " + topic + " has no leader for every partition after 30 s");
  }

  /** A topic name unique to this run, so that tests sharing the broker do not see each other's records. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Producer properties for this broker with byte-array serializers. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> props = new HashMap<>(clientSecurity);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    // ordered retries without the idempotent producer's sequence checks, which a fresh single-node broker
    // can reject after a leader change
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    return props;
  }

  /** Consumer properties for this broker in group {@code groupId}, reading from the beginning. */
  public Map<String, Object> consumerProperties(String groupId) {
    Map<String, Object> props = new HashMap<>(clientSecurity);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return props;
  }

  /** Sends one record and waits for the acknowledgement. */
  public void produce(String topic, byte[] key, byte[] value) {
    produce(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /** Sends records in order and waits until all are acknowledged. */
  public void produce(Collection<ProducerRecord<byte[], byte[]>> records) {
    List<java.util.concurrent.Future<?>> sent = new ArrayList<>(records.size());
    for (ProducerRecord<byte[], byte[]> r : records) {
      sent.add(producer.send(r));
    }
    producer.flush();
    try {
      for (var f : sent) {
        f.get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Could not produce test records", e);
    }
  }

  /**
   * Reads every record of {@code topic} from the beginning (without a group) until {@code expected} records
   * were read or {@code timeout} passed.
   */
  public List<ConsumerRecord<byte[], byte[]>> consume(String topic, int expected, Duration timeout) {
    Properties props = new Properties();
    props.putAll(clientSecurity);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      List<TopicPartition> partitions = new ArrayList<>();
      while (partitions.isEmpty() && System.nanoTime() < deadline) {
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (out.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  /** The end offset of each partition of the topics. */
  public Map<TopicPartition, Long> endOffsets(Set<String> topics) {
    Properties props = new Properties();
    props.putAll(clientSecurity);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String t : topics) {
        consumer.partitionsFor(t).forEach(p -> partitions.add(new TopicPartition(t, p.partition())));
      }
      return consumer.endOffsets(partitions);
    }
  }

  @Override
  public synchronized void close() {
    try {
      producer.close(Duration.ofSeconds(5));
      admin.close(Duration.ofSeconds(5));
      broker.close();
    } catch (Exception e) {
      // the JVM is exiting; nothing to do about a broker that does not stop cleanly
    }
  }
}
