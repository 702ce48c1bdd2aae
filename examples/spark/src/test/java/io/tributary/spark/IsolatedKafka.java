package io.tributary.spark;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The project's in-JVM KRaft broker ({@code io.tributary.kafka.testing.EmbeddedKafka}) in a class loader of its
 * own. Spark 4.0's Kafka source needs Kafka clients 3.x on the classpath, which this module's tests therefore
 * use; the Kafka 4 broker needs the clients it was built with. Its loader holds the test classpath with the
 * clients jar replaced by the one Maven copies to {@code tributary.test.broker-lib}, and only the bootstrap
 * address crosses between the two worlds.
 */
final class IsolatedKafka {
  private static String bootstrapServers;

  private IsolatedKafka() {}

  /** Starts the broker on first use (it stops when the JVM exits) and returns its bootstrap address. */
  static synchronized String bootstrapServers() {
    if (bootstrapServers == null) {
      ClassLoader loader = brokerLoader();
      Thread thread = Thread.currentThread();
      ClassLoader previous = thread.getContextClassLoader();
      // Kafka loads its pluggable classes through the context class loader, and broker threads inherit it
      thread.setContextClassLoader(loader);
      try {
        Class<?> fixture = loader.loadClass("io.tributary.kafka.testing.EmbeddedKafka");
        Object broker = fixture.getMethod("shared").invoke(null);
        bootstrapServers = (String) fixture.getMethod("bootstrapServers").invoke(broker);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("Could not start the embedded Kafka broker", e);
      } finally {
        thread.setContextClassLoader(previous);
      }
    }
    return bootstrapServers;
  }

  private static ClassLoader brokerLoader() {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    String brokerLibDir = System.getProperty("tributary.test.broker-lib");
    if (brokerLibDir == null) {
      throw new IllegalStateException("tributary.test.broker-lib is not set: run the tests through Maven");
    }
    try (Stream<Path> brokerLib = Files.list(Path.of(brokerLibDir))) {
      for (Path jar : brokerLib.toList()) {
        urls.add(jar.toUri().toURL());
      }
      for (String entry : classpath.split(File.pathSeparator)) {
        if (!entry.isEmpty() && !Path.of(entry).getFileName().toString().startsWith("kafka-clients-")) {
          urls.add(Path.of(entry).toUri().toURL());
        }
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot list " + brokerLibDir + " (tributary.test.broker-lib)", e);
    }
    return new URLClassLoader("embedded-kafka", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
  }
}
